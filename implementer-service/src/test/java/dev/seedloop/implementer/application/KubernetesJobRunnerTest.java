package dev.seedloop.implementer.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.seedloop.events.ValidationSpec;
import dev.seedloop.implementer.domain.Outcome;
import dev.seedloop.implementer.domain.RunLimits;

/**
 * The whole runner path (build, repeats, validation) on the Job executor, a {@link FakeKubelet} running each Job's
 * command: what the build wrote reaches the repeats (the workspace comes back from each pod), each repeat's metrics
 * are read as after a local run, and the validation runs in a fresh workspace without the experiment's files.
 */
class KubernetesJobRunnerTest {

    @TempDir
    Path tmp;

    @Test
    void buildRepeatsAndValidationRunAsJobsWithTheLocalSandboxesSemantics() throws Exception {
        Path code = Files.createDirectories(tmp.resolve("code"));
        Files.writeString(code.resolve("check.sh"), """
                test ! -e built.txt || { echo "saw the build's file"; exit 5; }
                test ! -e written-by-the-experiment || { echo "saw the experiment's file"; exit 6; }
                test "$SEEDLOOP_PARAM_LR" = 0.25 && echo checked
                """);
        WorkspaceMaterializer materializer = new WorkspaceMaterializer(tmp.resolve("experiments"), List.of());
        WorkspaceContent content = materializer.legacy(code, List.of());
        MaterializedWorkspace ws = materializer.materialize(content, "exp", Map.of("lr", 0.25));
        RunLimits limits = RunLimits.defaults().withWallTimeout(Duration.ofSeconds(30)).withMemoryMiB(256);
        ExperimentPlan plan = new ExperimentPlan(List.of("sh", "-c", "echo 3 > built.txt"),
                List.of("sh", "-c", "touch written-by-the-experiment; echo \"{\\\"score\\\": $(cat built.txt)}\""),
                2, 42, "score", limits, Map.of(), new ExperimentPlan.ValidationInput(new ValidationSpec(
                        List.of("sh", "check.sh"), null, null, 0.1), content, Map.of("lr", 0.25), null));
        KubernetesJobExecutor.Settings settings = new KubernetesJobExecutor.Settings(FakeKubelet.NAMESPACE,
                "experiments:1", "tools:1", Optional.empty(), "1", Duration.ofMillis(20), Duration.ofSeconds(20), true,
                256 * 1024);
        try (FakeKubelet kubelet = new FakeKubelet()) {
            kubelet.reportLimit = KubernetesJobExecutor.reportLogBytes(settings.maxWorkspaceBytes());
            ExperimentRunner runner = new ExperimentRunner(new KubernetesJobExecutor(kubelet.client, settings),
                    materializer);
            CompletableFuture<Outcome> outcome = CompletableFuture.supplyAsync(() -> {
                try {
                    return runner.run(ws, plan);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            List<Integer> exits = new ArrayList<>();
            for (int job = 0; job < 4; job++) {
                exits.add(kubelet.runNext(tmp));
            }

            assertThat(exits).containsExactly(0, 0, 0, 0);
            assertThat(outcome.get(20, TimeUnit.SECONDS)).isInstanceOfSatisfying(Outcome.Completed.class, done -> {
                assertThat(done.repeats()).hasSize(2).allSatisfy(r -> assertThat(r.metrics()).containsEntry("score",
                        3.0));
                assertThat(done.validation().passed()).isTrue();
                assertThat(done.validation().detail()).isEqualTo("validation passed");
            });
            assertThat(ws.dir().resolve("written-by-the-experiment")).exists();
            assertThat(kubelet.client.batch().v1().jobs().inNamespace(FakeKubelet.NAMESPACE).list().getItems())
                    .isEmpty();
            assertThat(kubelet.client.configMaps().inNamespace(FakeKubelet.NAMESPACE).list().getItems()).isEmpty();
        }
    }
}
