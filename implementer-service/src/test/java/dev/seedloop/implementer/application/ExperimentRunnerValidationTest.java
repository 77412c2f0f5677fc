package dev.seedloop.implementer.application;

import static dev.seedloop.implementer.application.Fixtures.FAST;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.seedloop.events.FailureReason;
import dev.seedloop.events.ValidationResult;
import dev.seedloop.events.ValidationSpec;
import dev.seedloop.implementer.domain.Outcome;

/**
 * The runner's validation against the real sandbox: the validation and held-out commands run after the repeats, in
 * fresh workspaces of the experiment's code, with the same environment and limits; only the held-out command sees
 * the held-out data; every fresh directory is released once its command ran.
 */
class ExperimentRunnerValidationTest {

    @TempDir
    Path tmp;

    private Path code;
    private Path data;
    private WorkspaceMaterializer materializer;
    private final List<Path> released = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Fixtures.searchable(tmp);
        code = Files.createDirectories(tmp.resolve("code"));
        Files.writeString(code.resolve("check.sh"), """
                test ! -e written-by-the-experiment || { echo "saw the experiment's file"; exit 5; }
                test "$SEEDLOOP_PARAM_LR" = 0.25 || exit 6
                test "$MODE" = eval || exit 7
                test -z "$SEEDLOOP_SEED" || exit 8
                test ! -e /heldout && test -z "$SEEDLOOP_HELDOUT_DATA" && echo checked
                """);
        Files.writeString(code.resolve("heldout.sh"), """
                test ! -e written-by-the-experiment || exit 5
                test "$SEEDLOOP_HELDOUT_DATA" = /heldout || exit 6
                echo "{\\"heldout_loss\\": $(cat "$SEEDLOOP_HELDOUT_DATA/answer.txt")}"
                """);
        data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("answer.txt"), "0.125\n");
        materializer = new WorkspaceMaterializer(tmp.resolve("experiments"), List.of());
    }

    private Outcome run(String experimentScript, ValidationSpec validation) throws Exception {
        WorkspaceContent content = materializer.legacy(code, List.of());
        MaterializedWorkspace ws = materializer.materialize(content, "exp", Map.of("lr", 0.25));
        ExperimentPlan plan = new ExperimentPlan(List.of(), List.of("sh", "-c", experimentScript), 2, 42, "score",
                FAST, Map.of("MODE", "eval"), new ExperimentPlan.ValidationInput(validation, content,
                        Map.of("lr", 0.25), materializer.legacy(data, List.of())));
        return new ExperimentRunner(Fixtures.bubblewrap(), materializer, dir -> {
            released.add(dir);
            try {
                WorkspaceMaterializer.release(dir);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).run(ws, plan);
    }

    private static final String EXPERIMENT = "touch written-by-the-experiment; echo '{\"score\": 1}'";

    @Test
    void theValidationAndTheHeldOutCommandRunFreshAndTheHeldOutMetricIsReported() throws Exception {
        Outcome outcome = run(EXPERIMENT, new ValidationSpec(List.of("sh", "check.sh"), List.of("sh", "heldout.sh"),
                "heldout_loss", 0.1, null));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Completed.class, completed -> {
            assertThat(completed.repeats()).hasSize(2);
            assertThat(completed.validation().passed()).as(completed.validation().toString()).isTrue();
            assertThat(completed.validation().logTail()).contains("checked");
            assertThat(completed.heldOut()).isEqualTo(0.125);
        });
        Path experiments = tmp.resolve("experiments");
        assertThat(released).containsExactly(experiments.resolve("exp-validation"),
                experiments.resolve("exp-heldout"), experiments.resolve("exp-heldout-data"));
        assertThat(released).allSatisfy(dir -> assertThat(dir).doesNotExist());
    }

    @Test
    void aFailedValidationSkipsTheHeldOutCommand() throws Exception {
        Outcome outcome = run(EXPERIMENT, new ValidationSpec(List.of("sh", "-c", "echo failing >&2; exit 3"),
                List.of("sh", "heldout.sh"), "heldout_loss", 0.1, null));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Completed.class, completed -> {
            assertThat(completed.validation()).isEqualTo(new ValidationResult(false, "validation exited with 3",
                    "failing\n"));
            assertThat(completed.heldOut()).isNull();
        });
        assertThat(released).containsExactly(tmp.resolve("experiments").resolve("exp-validation"));
    }

    @Test
    void aHeldOutCommandWithoutItsMetricFailsTheValidation() throws Exception {
        Outcome outcome = run(EXPERIMENT, new ValidationSpec(null, List.of("sh", "-c", "echo '{\"other\": 1}'"),
                "heldout_loss", 0.1, null));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Completed.class, completed -> {
            assertThat(completed.validation().passed()).isFalse();
            assertThat(completed.validation().detail())
                    .startsWith("held-out metric unavailable: objective metric 'heldout_loss' missing");
            assertThat(completed.heldOut()).isNull();
        });
    }

    @Test
    void aFailedExperimentIsNotValidated() throws Exception {
        Outcome outcome = run("exit 4", new ValidationSpec(List.of("sh", "check.sh"), List.of("sh", "heldout.sh"),
                "heldout_loss", 0.1, null));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class,
                failed -> assertThat(failed.reason()).isEqualTo(FailureReason.CRASHED));
        assertThat(released).isEmpty();
    }
}
