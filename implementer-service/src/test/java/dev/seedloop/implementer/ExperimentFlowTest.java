package dev.seedloop.implementer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.Budget;
import dev.seedloop.events.ContentHash;
import dev.seedloop.events.Direction;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.ExperimentLimits;
import dev.seedloop.events.ExperimentSpec;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.FailureReason;
import dev.seedloop.events.Objective;
import dev.seedloop.events.Parameter;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.SearchSpace;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyHalted;
import dev.seedloop.events.StudyPaused;
import dev.seedloop.events.Topics;
import dev.seedloop.events.ValidationSpec;
import dev.seedloop.events.WorkspaceRef;
import dev.seedloop.implementer.application.ExperimentService;
import dev.seedloop.implementer.application.Fixtures;
import dev.seedloop.messaging.StudyDirectory;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A proposal on the real broker becomes a sandboxed experiment with metrics, validation and held-out value;
 * a halt of its study stops it.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class ExperimentFlowTest {

    private static final Instant T = Instant.parse("2026-11-23T12:00:00Z");

    @Inject
    EventCodec codec;

    @Inject
    StudyDirectory directory;

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

    private static Path workspace(String script) throws Exception {
        Path dir = Files.createTempDirectory("seedloop-ws-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.writeString(dir.resolve("run.sh"), script);
        return dir;
    }

    private static EventEnvelope study(String studyId, Path workspace, ExperimentSpec experiment,
            ValidationSpec validation) throws Exception {
        UUID id = UUID.fromString(studyId);
        StudyCreated created = new StudyCreated("flow", new Objective("loss", Direction.MINIMIZE, null),
                new SearchSpace(List.of(new Parameter("x", dev.seedloop.events.ParameterKind.FLOAT, 0.0, 5.0, false,
                        List.of()))),
                new Budget(4, 600, 2), "random", 11L, ContentHash.sha256("spec"),
                new WorkspaceRef(workspace.toString(), ContentHash.ofDirectory(workspace)), experiment, validation,
                List.of("heldout.sh"), Map.of());
        return new EventEnvelope(id, studyId, "team-a", T, null, id, "gateway", created);
    }

    private static EventEnvelope proposal(EventEnvelope study, int ordinal, Map<String, Object> parameters) {
        UUID proposalId = EventIds.derived(study.eventId(), "proposal:" + ordinal);
        return new EventEnvelope(EventIds.derived(proposalId, "event"), study.studyId(), study.team(), T,
                study.eventId(), study.correlationId(), "proposer-service",
                new ProposalCreated(proposalId, ordinal, "random", "random", new LinkedHashMap<>(parameters), List.of()));
    }
}
