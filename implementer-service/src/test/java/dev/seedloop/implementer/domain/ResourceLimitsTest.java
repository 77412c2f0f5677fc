package dev.seedloop.implementer.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ResourceLimitsTest {

    @Test
    void anExperimentMayTakeEveryCommandsTimeoutPlusTheGrace() {
        ResourceLimits limits = ResourceLimits.defaults().withWallTimeout(Duration.ofHours(2));

        assertThat(limits.allowance(5, Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(605));
        assertThat(limits.allowance(0, Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(5));
    }
}
