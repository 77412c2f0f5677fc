package dev.seedloop.implementer.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.ExperimentLimits;
import dev.seedloop.events.ExperimentSpec;
import dev.seedloop.events.ValidationSpec;

class ExperimentMaximaTest {

    private static final ExperimentMaxima MAX = new ExperimentMaxima(Duration.ofHours(24), 86_400, 65_536, 4_096,
            1L << 30, 100);

    @Test
    void aSpecAskingForAtMostTheMaximaFits() {
        assertThat(MAX.excesses(RunLimits.defaults(), 3)).isEmpty();
        assertThat(MAX.excesses(new RunLimits(Duration.ofHours(24), 86_400, 65_536, 4_096, 1L << 30), 100))
                .as("the maxima themselves are allowed").isEmpty();
    }

    @Test
    void namesEveryLimitAskedBeyondItsMaximumAsTheSpecNamesIt() {
        RunLimits greedy = new RunLimits(Duration.ofSeconds(86_401), 86_401, 65_537, 4_097, (1L << 30) + 1);

        assertThat(MAX.excesses(greedy, 101)).containsExactly("timeoutSeconds 86401 > 86400", "repeats 101 > 100",
                "limits.cpuSeconds 86401 > 86400", "limits.memoryMiB 65537 > 65536", "limits.maxProcesses 4097 > 4096",
                "limits.maxOutputBytes 1073741825 > 1073741824");
        assertThat(MAX.excesses(RunLimits.defaults().withMemoryMiB(100_000), 1))
                .containsExactly("limits.memoryMiB 100000 > 65536");
    }

    @Test
    void aDiskLimitBeyondTheOperatorsIsNamedToo() {
        ExperimentMaxima tenGiB = new ExperimentMaxima(Duration.ofHours(24), 86_400, 65_536, 4_096, 1L << 30,
                10L << 30, 100);

        assertThat(tenGiB.excesses(RunLimits.defaults().withDiskBytes(10L << 30), 1)).isEmpty();
        assertThat(tenGiB.excesses(RunLimits.defaults().withDiskBytes((10L << 30) + 1), 1))
                .containsExactly("limits.diskBytes 10737418241 > 10737418240");
    }

    @Test
    void anExperimentMayTakeEachOfItsCommandsTimeoutPlusTheGrace() {
        ExperimentSpec fiveRepeatsWithBuild = new ExperimentSpec(List.of("train"), Map.of(), 7_200, 5,
                new ExperimentLimits(7_200, 1_024, 64, 65_536), List.of("make"));
        ValidationSpec testsAndHeldOut = new ValidationSpec(List.of("pytest"), List.of("heldout"), "loss", 0.1);

        assertThat(MAX.allowance(fiveRepeatsWithBuild, testsAndHeldOut, Duration.ofMinutes(5)))
                .as("build, 5 repeats, validation and held-out: 8 runs of 2 h").isEqualTo(Duration.ofMinutes(8 * 120 + 5));
        assertThat(MAX.allowance(fiveRepeatsWithBuild, null, Duration.ZERO)).isEqualTo(Duration.ofHours(12));
        assertThat(MAX.allowance(fiveRepeatsWithBuild, testsAndHeldOut, Duration.ofMinutes(5), Duration.ofMinutes(5)))
                .as("a Job's start-timeout per command").isEqualTo(Duration.ofMinutes(8 * 125 + 5));
        ExperimentSpec beyondTheMaxima = new ExperimentSpec(List.of("train"), Map.of(), Long.MAX_VALUE / 2,
                Integer.MAX_VALUE, new ExperimentLimits(1, 1, 1, 1), null);
        assertThat(MAX.allowance(beyondTheMaxima, null, Duration.ZERO))
                .as("counted with what it can get, without overflow").isEqualTo(Duration.ofHours(24 * 100));
    }

    @Test
    void maximaMustBePositive() {
        assertThatThrownBy(() -> new ExperimentMaxima(Duration.ZERO, 1, 1, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExperimentMaxima(Duration.ofSeconds(1), 1, 1, 1, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("repeats");
    }
}
