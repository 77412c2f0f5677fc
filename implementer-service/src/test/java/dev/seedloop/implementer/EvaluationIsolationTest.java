package dev.seedloop.implementer;

import static dev.seedloop.implementer.StudyFixtures.proposal;
import static dev.seedloop.implementer.StudyFixtures.study;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.seedloop.artifacts.ArtifactStore;
import dev.seedloop.events.ContentHash;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentLimits;
import dev.seedloop.events.ExperimentSpec;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.Topics;
import dev.seedloop.events.ValidationSpec;
import dev.seedloop.events.WorkspaceRef;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An evaluation the experiment cannot touch (ADR 0020), against the real broker, PostgreSQL store and sandbox: the
 * validation and held-out commands run in fresh workspaces of the experiment's code, so what the experiment wrote
 * cannot forge them, and the held-out data is visible to the held-out command only. Each case runs for a study with
 * an uploaded tree and for one with a server directory (legacy), which had these holes before.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(SandboxReachableDataDir.class)
class EvaluationIsolationTest {

    private static final ExperimentSpec ONE_RUN = new ExperimentSpec(List.of("sh", "run.sh"), Map.of(), 60, 1,
            new ExperimentLimits(60, 512, 64, 65_536), null);

    @Inject
    EventCodec codec;

    @Inject
    ArtifactStore store;

    /**
     * Before: the held-out command ran where the experiment had just replaced {@code helper.py} (not protected: the
     * experiment may change it for its own runs), so it measured 0.001 instead of 7.5; and the experiment's
     * {@code conftest.py} was there for the validation command to pick up.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void filesTheExperimentWritesReachNeitherTheValidationNorTheHeldOutCommand(boolean uploaded) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("run.sh", """
                printf 'def score():\\n    return 0.001\\n' > helper.py
                printf 'raise SystemExit("forged")\\n' > conftest.py
                echo '{"loss": 1}'
                """);
        files.put("helper.py", "def score():\n    return 7.5\n");
        files.put("heldout.py", "import json, helper\nprint(json.dumps({'heldout_loss': helper.score()}))\n");
        String study = UUID.randomUUID().toString();
        EventEnvelope created = study(study, workspace(uploaded, files), ONE_RUN, new ValidationSpec(
                List.of("sh", "-c", "test -f params.json && test ! -e conftest.py && echo clean checkout"),
                List.of("python3", "heldout.py"), "heldout_loss", 0.1), List.of("heldout.py"));

        List<EventEnvelope> events = run(created, proposal(created, 0, Map.of("x", 1.0)));

        assertThat(events.get(1).payload()).isInstanceOfSatisfying(ExperimentCompleted.class, completed -> {
            assertThat(completed.validation().passed()).as(completed.validation().detail() + " " + completed.validation().logTail()).isTrue();
            assertThat(completed.validation().logTail()).contains("clean checkout");
            assertThat(completed.heldOutValue()).isEqualTo(7.5);
        });
    }

    /**
     * The held-out data (a tree of the team) is mounted read-only at {@code /heldout} for the held-out command only.
     * Positive markers: the experiment prints what it sees, the validation command exits 0 only without it, the
     * held-out command reads its number from it and fails if it can write there. Before: the data was not mounted at
     * all, so the held-out command found nothing.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void heldOutDataIsReadableByTheHeldOutCommandOnly(boolean uploaded) throws Exception {
        String data = StudyFixtures.tree(store, Map.of("answers.txt", "4.25\n", "deep/more.txt", "x\n")).hash();
        Map<String, String> files = new LinkedHashMap<>();
        files.put("run.sh", """
                if [ -e /heldout ]; then echo "heldout visible: yes"; else echo "heldout visible: no"; fi
                echo "data variable: ${SEEDLOOP_HELDOUT_DATA:-unset}"
                echo '{"loss": 1}'
                """);
        files.put("heldout.sh", """
                if touch "$SEEDLOOP_HELDOUT_DATA/forged" 2>/dev/null; then echo "held-out data is writable"; exit 9; fi
                test -f "$SEEDLOOP_HELDOUT_DATA/deep/more.txt" || exit 8
                echo "{\\"heldout_loss\\": $(cat "$SEEDLOOP_HELDOUT_DATA/answers.txt")}"
                """);
        String study = UUID.randomUUID().toString();
        EventEnvelope created = study(study, workspace(uploaded, files), ONE_RUN, new ValidationSpec(
                List.of("sh", "-c", "test ! -e /heldout && test -z \"$SEEDLOOP_HELDOUT_DATA\" && echo no data here"),
                List.of("sh", "heldout.sh"), "heldout_loss", 0.1, data), List.of("heldout.sh"));

        List<EventEnvelope> events = run(created, proposal(created, 0, Map.of("x", 1.0)));

        assertThat(events.get(1).payload()).isInstanceOfSatisfying(ExperimentCompleted.class, completed -> {
            assertThat(completed.logTail()).contains("heldout visible: no").contains("data variable: unset");
            assertThat(completed.validation().passed()).as(completed.validation().detail() + " " + completed.validation().logTail()).isTrue();
            assertThat(completed.validation().logTail()).contains("no data here");
            assertThat(completed.heldOutValue()).isEqualTo(4.25);
        });
    }

    private WorkspaceRef workspace(boolean uploaded, Map<String, String> files) throws Exception {
        if (uploaded) {
            return WorkspaceRef.ofTree(StudyFixtures.tree(store, files).hash());
        }
        Path dir = StudyFixtures.directory(files);
        return new WorkspaceRef(dir.toString(), ContentHash.ofDirectory(dir));
    }

    private List<EventEnvelope> run(EventEnvelope study, EventEnvelope proposal) {
        KafkaTopics.produce(Topics.STUDIES, study.studyId(), codec.encode(study));
        KafkaTopics.produce(Topics.PROPOSALS, study.studyId(), codec.encode(proposal));
        List<EventEnvelope> events = KafkaTopics.awaitRecords(Topics.EXPERIMENTS,
                r -> study.studyId().equals(r.key()), 2, Duration.ofSeconds(90)).stream()
                .map(r -> codec.decode(r.value())).toList();
        assertThat(events.getFirst().payload()).isInstanceOf(ExperimentStarted.class);
        return events;
    }
}
