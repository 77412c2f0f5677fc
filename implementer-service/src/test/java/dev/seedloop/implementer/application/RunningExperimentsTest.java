package dev.seedloop.implementer.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class RunningExperimentsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void anExperimentIsOverdueOnlyAfterItsOwnDeadlineAndOnlyWhileItRuns() {
        RunningExperiments running = new RunningExperiments();
        RunningExperiment hours = running.start("s1", UUID.randomUUID(), NOW.plusSeconds(6 * 3600));
        RunningExperiment stuck = running.start("s2", UUID.randomUUID(), NOW.plusSeconds(60));

        assertThat(running.overdue(NOW.plusSeconds(60))).as("at its deadline it may still be reporting").isEmpty();
        assertThat(running.overdue(NOW.plusSeconds(61))).containsExactly(stuck);
        assertThat(running.overdue(NOW.plusSeconds(6 * 3600 + 1))).containsExactly(stuck, hours);

        running.finish(stuck);
        assertThat(running.overdue(NOW.plusSeconds(61))).isEmpty();
        assertThat(running.count()).isEqualTo(1);
    }

    @Test
    void aHaltReachesOnlyTheExperimentsOfItsStudy() {
        RunningExperiments running = new RunningExperiments();
        RunningExperiment mine = running.start("mine", UUID.randomUUID(), NOW);
        RunningExperiment other = running.start("other", UUID.randomUUID(), NOW);

        running.halt("mine");

        assertThat(mine.halted()).isTrue();
        assertThat(other.halted()).isFalse();
    }
}
