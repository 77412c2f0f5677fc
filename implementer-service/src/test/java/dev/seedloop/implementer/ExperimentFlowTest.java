package dev.seedloop.implementer;

import static dev.seedloop.implementer.StudyFixtures.proposal;
import static dev.seedloop.implementer.StudyFixtures.study;
import static dev.seedloop.implementer.StudyFixtures.workspace;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.ExperimentLimits;
import dev.seedloop.events.ExperimentSpec;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.FailureReason;
import dev.seedloop.events.StudyHalted;
import dev.seedloop.events.StudyPaused;
import dev.seedloop.events.Topics;
import dev.seedloop.events.ValidationSpec;
import dev.seedloop.implementer.application.ExperimentService;
import dev.seedloop.implementer.application.Fixtures;
import dev.seedloop.implementer.config.ImplementerConfig;
import dev.seedloop.messaging.StudyDirectory;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A proposal on the real broker becomes a sandboxed experiment with metrics, validation and held-out value;
 * a halt of its study stops it.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(SandboxReachableDataDir.class)
class ExperimentFlowTest {

    private static final Instant T = StudyFixtures.T;

    @Inject
    EventCodec codec;

    @Inject
    StudyDirectory directory;

    @Inject
    ImplementerConfig config;

    @Test
    void aProposalRunsItsRepeatsAndReportsMetricsValidationAndHeldOut() throws Exception {
        Path workspace = workspace("""
                echo "working on x=$SEEDLOOP_PARAM_X seed=$SEEDLOOP_SEED"
                echo "{\\"loss\\": $SEEDLOOP_PARAM_X, \\"seed\\": $SEEDLOOP_SEED}"
                """);
        Files.writeString(workspace.resolve("heldout.sh"), "echo \"{\\\"heldout_loss\\\": 7.5}\"\n");
        String study = UUID.randomUUID().toString();
        EventEnvelope created = study(study, workspace, new ExperimentSpec(List.of("sh", "run.sh"), Map.of(), 20, 3,
                new ExperimentLimits(20, 512, 64, 65_536), null),
                new ValidationSpec(List.of("sh", "-c", "test -f params.json"), List.of("sh", "heldout.sh"),
                        "heldout_loss", 0.1));
        EventEnvelope proposal = proposal(created, 0, Map.of("x", 2.5));
        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(created));
        KafkaTopics.produce(Topics.PROPOSALS, study, codec.encode(proposal));
        // Redelivered: must not run a second time.
        KafkaTopics.produce(Topics.PROPOSALS, study, codec.encode(proposal));

        List<EventEnvelope> events = KafkaTopics.awaitRecords(Topics.EXPERIMENTS, r -> study.equals(r.key()), 2,
                Duration.ofSeconds(60)).stream().map(r -> codec.decode(r.value())).toList();

        assertThat(events.get(0).payload()).isInstanceOfSatisfying(ExperimentStarted.class, started -> {
            assertThat(started.repeats()).isEqualTo(3);
            assertThat(started.workspaceSha256()).startsWith("sha256:");
            assertThat(started.executor()).isEqualTo("bubblewrap");
        });
        assertThat(events.get(1).payload()).isInstanceOfSatisfying(ExperimentCompleted.class, completed -> {
            assertThat(completed.repeats()).hasSize(3);
            assertThat(completed.repeats()).allSatisfy(r -> assertThat(r.metrics()).containsEntry("loss", 2.5));
            assertThat(completed.repeats()).extracting(r -> r.seed()).doesNotHaveDuplicates();
            assertThat(completed.repeats()).allSatisfy(r ->
                    assertThat(r.metrics().get("seed")).isEqualTo((double) r.seed()));
            assertThat(completed.validation().passed()).isTrue();
            assertThat(completed.heldOutValue()).isEqualTo(7.5);
            assertThat(completed.logTail()).contains("working on x=2.5");
        });
        assertThat(events).allSatisfy(e -> assertThat(e.causationId()).isEqualTo(proposal.eventId()));
        // Proposals run concurrently, so a sentinel cannot order this check; give the copy time to run.
        Thread.sleep(3_000);
        assertThat(KafkaTopics.readAll(Topics.EXPERIMENTS, r -> study.equals(r.key())))
                .as("the redelivered proposal ran no second experiment").hasSize(2);
    }

    @Test
    void anExperimentThatPrintsNoMetricsFailsWithBadMetrics() throws Exception {
        Path workspace = workspace("echo 'all done, no numbers'\n");
        String study = UUID.randomUUID().toString();
        EventEnvelope created = study(study, workspace, new ExperimentSpec(List.of("sh", "run.sh"), Map.of(), 20, 1,
                new ExperimentLimits(20, 512, 64, 65_536), null), null);
        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(created));
        KafkaTopics.produce(Topics.PROPOSALS, study, codec.encode(proposal(created, 0, Map.of("x", 1.0))));

        List<EventEnvelope> events = KafkaTopics.awaitRecords(Topics.EXPERIMENTS, r -> study.equals(r.key()), 2,
                Duration.ofSeconds(60)).stream().map(r -> codec.decode(r.value())).toList();

        assertThat(events.get(1).payload()).isInstanceOfSatisfying(ExperimentFailed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.BAD_METRICS);
            assertThat(failed.logTail()).contains("all done, no numbers");
        });
    }

    @Test
    void haltingTheStudyKillsItsRunningExperimentAndReportsItWithinTenSeconds() throws Exception {
        String marker = "600.4217"; // a sleep no other test runs, to find its process
        Path workspace = workspace("echo sleeping\nsleep " + marker + "\necho '{\"loss\": 1}'\n");
        String study = UUID.randomUUID().toString();
        EventEnvelope created = study(study, workspace, new ExperimentSpec(List.of("sh", "run.sh"), Map.of(), 900, 1,
                new ExperimentLimits(900, 512, 64, 65_536), null), null);
        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(created));
        KafkaTopics.produce(Topics.PROPOSALS, study, codec.encode(proposal(created, 0, Map.of("x", 1.0))));
        KafkaTopics.awaitRecords(Topics.EXPERIMENTS, r -> study.equals(r.key()), 1, Duration.ofSeconds(60));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !Fixtures.processesWith(marker).isEmpty());

        long haltedAt = System.nanoTime();
        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(new EventEnvelope(UUID.randomUUID(), study,
                created.team(), T, null, created.correlationId(), "gateway", new StudyHalted("bob", "wrong data set"))));
        List<EventEnvelope> events = KafkaTopics.awaitRecords(Topics.EXPERIMENTS, r -> study.equals(r.key()), 2,
                Duration.ofSeconds(10)).stream().map(r -> codec.decode(r.value())).toList();

        assertThat(Duration.ofNanos(System.nanoTime() - haltedAt)).isLessThan(Duration.ofSeconds(10));
        assertThat(events.get(1).payload()).isInstanceOfSatisfying(ExperimentFailed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.HALTED);
            assertThat(failed.detail()).isEqualTo(ExperimentService.HALTED);
            assertThat(failed.usage().wallMillis()).isLessThan(60_000);
        });
        assertThat(Fixtures.processesWith(marker)).as("the sandboxed sleep was killed").isEmpty();
    }

    @Test
    void aProposalMadeBeforeAPauseStillRuns() throws Exception {
        Path workspace = workspace("echo '{\"loss\": 0.5}'\n");
        String study = UUID.randomUUID().toString();
        EventEnvelope created = study(study, workspace, new ExperimentSpec(List.of("sh", "run.sh"), Map.of(), 20, 1,
                new ExperimentLimits(20, 512, 64, 65_536), null), null);
        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(created));
        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(new EventEnvelope(UUID.randomUUID(), study,
                created.team(), T, null, created.correlationId(), "gateway", new StudyPaused("bob", "maintenance"))));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> directory.find(study)
                .map(s -> s.status() == StudyDirectory.Status.PAUSED).orElse(false));
        KafkaTopics.produce(Topics.PROPOSALS, study, codec.encode(proposal(created, 0, Map.of("x", 1.0))));

        List<EventEnvelope> events = KafkaTopics.awaitRecords(Topics.EXPERIMENTS, r -> study.equals(r.key()), 2,
                Duration.ofSeconds(60)).stream().map(r -> codec.decode(r.value())).toList();

        assertThat(events.get(1).payload()).isInstanceOf(ExperimentCompleted.class);
    }

    @Test
    void aProposalWhoseWorkspaceACrashLeftBehindRunsAgainAndCompletes() throws Exception {
        Path workspace = workspace("echo 'fresh run'\necho '{\"loss\": 0.25}'\n");
        String study = UUID.randomUUID().toString();
        EventEnvelope created = study(study, workspace, new ExperimentSpec(List.of("sh", "run.sh"), Map.of(), 20, 1,
                new ExperimentLimits(20, 512, 64, 65_536), null), null);
        EventEnvelope proposal = proposal(created, 0, Map.of("x", 1.0));
        // What kill -9 mid-experiment leaves: the experiment's directory, half written, owned by the sandbox user.
        Path stale = experimentsRoot().resolve(ExperimentService.experimentId(
                (dev.seedloop.events.ProposalCreated) proposal.payload()).toString());
        Files.createDirectories(stale.resolve("half/written"));
        Files.writeString(stale.resolve("run.sh"), "echo 'stale copy'; exit 7\n");
        Files.writeString(stale.resolve("half/written/out.bin"), "partial");
        if ("root".equals(System.getProperty("user.name"))) {
            try (var files = Files.walk(stale)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.setAttribute(f, "unix:uid", 65534);
                }
            }
        }
        stale.resolve("half").toFile().setWritable(false);
        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(created));
        KafkaTopics.produce(Topics.PROPOSALS, study, codec.encode(proposal));

        List<EventEnvelope> events = KafkaTopics.awaitRecords(Topics.EXPERIMENTS, r -> study.equals(r.key()), 2,
                Duration.ofSeconds(60)).stream().map(r -> codec.decode(r.value())).toList();

        assertThat(events.get(1).payload()).isInstanceOfSatisfying(ExperimentCompleted.class, completed -> {
            assertThat(completed.repeats().getFirst().metrics()).containsEntry("loss", 0.25);
            assertThat(completed.logTail()).contains("fresh run").doesNotContain("stale copy");
        });
    }

    @Test
    void anExperimentAskingForMoreThanTheOperatorAllowsIsRefusedSayingWhat() throws Exception {
        Path workspace = workspace("echo '{\"loss\": 1}'\n");
        String study = UUID.randomUUID().toString();
        long overADay = config.max().timeout().toSeconds() + 1;
        EventEnvelope created = study(study, workspace, new ExperimentSpec(List.of("sh", "run.sh"), Map.of(),
                overADay, 1, new ExperimentLimits(20, config.max().memoryMiB() * 2, 64, 65_536), null), null);
        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(created));
        KafkaTopics.produce(Topics.PROPOSALS, study, codec.encode(proposal(created, 0, Map.of("x", 1.0))));

        List<EventEnvelope> events = KafkaTopics.awaitRecords(Topics.EXPERIMENTS, r -> study.equals(r.key()), 1,
                Duration.ofSeconds(60)).stream().map(r -> codec.decode(r.value())).toList();

        assertThat(events.getFirst().payload()).isInstanceOfSatisfying(ExperimentFailed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.SANDBOX_REFUSED);
            assertThat(failed.detail()).contains("timeoutSeconds " + overADay + " > " + (overADay - 1))
                    .contains("limits.memoryMiB " + config.max().memoryMiB() * 2 + " > " + config.max().memoryMiB())
                    .contains("seedloop.implementer.max");
        });
    }

    @Test
    void anExperimentWritingMoreThanTheDiskQuotaFailsSayingSoAndItsVolumeIsGone() throws Exception {
        long quota = config.max().diskBytes();
        Path workspace = workspace("head -c " + 4 * quota + " /dev/zero > big; echo wrote; echo '{\"loss\": 1}'\n");
        String study = UUID.randomUUID().toString();
        EventEnvelope created = study(study, workspace, new ExperimentSpec(List.of("sh", "run.sh"), Map.of(), 20, 1,
                new ExperimentLimits(20, 512, 64, 65_536), null), null);
        EventEnvelope proposal = proposal(created, 0, Map.of("x", 1.0));
        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(created));
        KafkaTopics.produce(Topics.PROPOSALS, study, codec.encode(proposal));

        List<EventEnvelope> events = KafkaTopics.awaitRecords(Topics.EXPERIMENTS, r -> study.equals(r.key()), 2,
                Duration.ofSeconds(60)).stream().map(r -> codec.decode(r.value())).toList();

        assertThat(events.get(1).payload()).isInstanceOfSatisfying(ExperimentFailed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.CRASHED);
            assertThat(failed.detail()).startsWith("disk quota exceeded");
        });
        String id = ExperimentService.experimentId((dev.seedloop.events.ProposalCreated) proposal.payload()).toString();
        // Released right after the outcome is published: unmounted, image and directory deleted.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(experimentsRoot().resolve(id))
                && !Files.exists(experimentsRoot().resolve(id + ".img"))
                && !Files.readString(Path.of("/proc/self/mountinfo")).contains(id));
    }

    private Path experimentsRoot() {
        return config.dataDir().resolve("experiments");
    }
}
