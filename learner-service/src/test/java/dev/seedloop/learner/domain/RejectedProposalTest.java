package dev.seedloop.learner.domain;

import static dev.seedloop.learner.domain.Events.proposalOfOrdinal;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.Direction;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.StrategyUpdated;

/** A rejected proposal spends no budget: its slot is asked for again. */
class RejectedProposalTest {

    private static final Instant NOW = Events.T0.plusSeconds(100);

    @Test
    void aRejectionFreesItsSlotWithoutSpendingBudget() {
        Events ev = new Events();
        LearnerFixture fixture = new LearnerFixture();
        fixture.given(ev.created(Direction.MINIMIZE, null, 2, 3600, 2, 42));

        // Ordinal 0 rejected (a rejection names no ordinal: the learner finds it by the proposer's id rule).
        List<EventEnvelope> out = fixture.when(ev.envelope("proposer-service", new ProposalRejected(
                proposalOfOrdinal(0), "the patch set touches protected paths", List.of("tests/a.py"))), NOW);

        assertThat(out).singleElement().satisfies(e -> {
            StrategyUpdated update = (StrategyUpdated) e.payload();
            assertThat(update.nextOrdinal()).isEqualTo(2);
            assertThat(update.proposalsRequested()).isEqualTo(1);
            assertThat(update.reason()).startsWith("proposal rejected");
        });
        assertThat(fixture.study.resolvedOrdinals()).isEqualTo(new ResolvedOrdinals(1, List.of()));
    }

    @Test
    void aReplacementWaitsForTheOrdinalAParallelismBackLikeAnyOther() {
        Events ev = new Events();
        LearnerFixture fixture = new LearnerFixture();
        fixture.given(ev.created(Direction.MINIMIZE, null, 2, 3600, 2, 42));

        // Ordinal 1 rejected while ordinal 0 runs: its replacement (ordinal 2) would have to see ordinal 0's result.
        List<EventEnvelope> out = fixture.when(ev.envelope("proposer-service", new ProposalRejected(
                proposalOfOrdinal(1), "the patch set touches protected paths", List.of("tests/a.py"))), NOW);

        assertThat(out).singleElement().satisfies(e ->
                assertThat(((StrategyUpdated) e.payload()).proposalsRequested()).isZero());
        assertThat(fixture.study.resolvedOrdinals()).isEqualTo(new ResolvedOrdinals(0, List.of(1)));
    }
}
