package dev.seedloop.implementer.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RunEnvironmentTest {

    private static final Path WS = Path.of("/data/experiments/e1");
    private static final RunLimits LIMITS = RunLimits.defaults().withWallTimeout(Duration.ofSeconds(5));

    private static final RunEnvironment EXPERIMENT = RunEnvironment.of(Map.of("OMP_NUM_THREADS", "1"),
            RunEnvironment.parameterVariables(Map.of("lr", 0.5)));

    private static RunRequest request(Map<String, String> env, ReadOnlyMount... mounts) {
        return new RunRequest(WS, List.of("true"), env, LIMITS, List.of(), null, List.of(mounts));
    }

    @Test
    void parametersAreNamedUpperCasedWithEveryOtherCharacterAnUnderscore() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("lr-max", 0.5);
        parameters.put("layers", 3);
        parameters.put("opt.name", "adam");
        parameters.put("use_bias", true);

        assertThat(RunEnvironment.parameterVariables(parameters)).containsExactly(
                Map.entry("SEEDLOOP_PARAM_LR_MAX", "0.5"), Map.entry("SEEDLOOP_PARAM_LAYERS", "3"),
                Map.entry("SEEDLOOP_PARAM_OPT_NAME", "adam"), Map.entry("SEEDLOOP_PARAM_USE_BIAS", "true"));
    }

    @Test
    void theBuildValidationAndHeldOutCommandsGetTheStudysEnvAndTheParametersButNoSeed() {
        assertThat(EXPERIMENT.command()).containsOnly(Map.entry("OMP_NUM_THREADS", "1"),
                Map.entry("SEEDLOOP_PARAM_LR", "0.5"));
    }

    @Test
    void aRepeatAddsItsSeedAndIndex() {
        assertThat(EXPERIMENT.repeat(1234, 2)).containsOnly(Map.entry("OMP_NUM_THREADS", "1"),
                Map.entry("SEEDLOOP_PARAM_LR", "0.5"), Map.entry(RunEnvironment.SEED, "1234"),
                Map.entry(RunEnvironment.REPEAT, "2"));
        assertThat(EXPERIMENT.command()).as("a repeat leaves the other commands' environment alone")
                .doesNotContainKeys(RunEnvironment.SEED, RunEnvironment.REPEAT);
    }

    @Test
    void aParameterWinsOverTheStudysVariableOfTheSameName() {
        RunEnvironment clash = RunEnvironment.of(Map.of("SEEDLOOP_PARAM_LR", "from the study"),
                RunEnvironment.parameterVariables(Map.of("lr", 0.1)));

        assertThat(clash.command()).containsExactly(Map.entry("SEEDLOOP_PARAM_LR", "0.1"));
    }

    @Test
    void aRunSeesOnlyTheBaseAndItsRequestsVariables() {
        Map<String, String> env = RunEnvironment.sandboxed(request(EXPERIMENT.command()));

        assertThat(env).containsOnly(Map.entry("PATH", "/usr/local/bin:/usr/bin:/bin"),
                Map.entry("HOME", WS.toString()), Map.entry("LANG", "C.UTF-8"),
                Map.entry("OMP_NUM_THREADS", "1"), Map.entry("SEEDLOOP_PARAM_LR", "0.5"));
        assertThat(RunEnvironment.unsandboxed(request(EXPERIMENT.command()))).isEqualTo(env);
        assertThat(env).doesNotContainKey(RunEnvironment.HELD_OUT_DATA);
    }

    @Test
    void theHeldOutDataIsNamedAtItsMountInTheSandboxAndAtItsSourceWithout() {
        ReadOnlyMount data = new ReadOnlyMount(Path.of("/data/experiments/e1-heldout-data"), "/heldout",
                RunEnvironment.HELD_OUT_DATA);

        assertThat(RunEnvironment.sandboxed(request(Map.of(), data)))
                .containsEntry(RunEnvironment.HELD_OUT_DATA, "/heldout");
        assertThat(RunEnvironment.unsandboxed(request(Map.of(), data)))
                .containsEntry(RunEnvironment.HELD_OUT_DATA, "/data/experiments/e1-heldout-data");
    }

    @Test
    void theLauncherGetsASearchPathAndNothingElse() {
        assertThat(RunEnvironment.launcher()).containsExactly(Map.entry("PATH", RunEnvironment.PATH));
    }

    @Test
    void whatIsBuiltCannotBeChangedAfterwards() {
        assertThatThrownBy(() -> EXPERIMENT.command().put("X", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> EXPERIMENT.repeat(1, 0).put("X", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> RunEnvironment.sandboxed(request(Map.of())).put("X", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
