package dev.seedloop.implementer.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import dev.seedloop.implementer.application.RunningExperiment;
import dev.seedloop.implementer.application.RunningExperiments;

class ExperimentDeadlineCheckTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void upWhileEveryExperimentIsWithinItsDeadlineDownWhenOneOutlivesIt() {
        RunningExperiments running = new RunningExperiments();
        UUID longRun = UUID.randomUUID();
        running.start("s", longRun, NOW.plusSeconds(3 * 3600));
        UUID unkillable = UUID.randomUUID();
        RunningExperiment stuck = running.start("s", unkillable, NOW.minusSeconds(30));

        HealthCheckResponse down = check(running).call();

        assertThat(down.getName()).isEqualTo("experiments");
        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(down.getData()).hasValueSatisfying(data -> {
            assertThat(data).containsEntry("running", 2L);
            assertThat(data.get("experiment " + unkillable).toString()).contains("30 s after its deadline");
            assertThat(data).doesNotContainKey("experiment " + longRun);
        });

        running.finish(stuck);
        assertThat(check(running).call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    private static ExperimentDeadlineCheck check(RunningExperiments running) {
        ExperimentDeadlineCheck check = new ExperimentDeadlineCheck();
        check.running = running;
        check.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        return check;
    }
}
