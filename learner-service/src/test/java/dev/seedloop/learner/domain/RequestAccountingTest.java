package dev.seedloop.learner.domain;

import static dev.seedloop.learner.domain.Events.proposal;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.Direction;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.events.Verdict;

/**
 * The learner counts what is in flight from its own requests, so evaluations that overtake the
 * ProposalCreated events (another topic) never make it ask for the same slots twice; its decisions
 * are folded back, as the recorder does.
 */
class RequestAccountingTest {

    private static final Instant NOW = Events.T0.plusSeconds(100);
    private final Events ev = new Events();
    private final LearnerFixture fixture = new LearnerFixture();

    private StrategyUpdated decideAndFoldBack(EventEnvelope cause) {
        List<EventEnvelope> out = fixture.when(cause, NOW);
        assertThat(out).singleElement().extracting(EventEnvelope::payload).isInstanceOf(StrategyUpdated.class);
        fixture.given(out.get(0));
        return (StrategyUpdated) out.get(0).payload();
    }

    @Test
    void ordinalsFollowOnAndSlotsAreNotRequestedTwice() {
        fixture.given(ev.created(Direction.MINIMIZE, null, 5, 3600, 2, 42));

        StrategyUpdated first = decideAndFoldBack(ev.evaluated(proposal(1), Verdict.NOT_BETTER, 0.9));
        StrategyUpdated second = decideAndFoldBack(ev.evaluated(proposal(2), Verdict.NOT_BETTER, 0.8));

        // The first batch took ordinals 0 and 1; each evaluation frees one slot.
        assertThat(first.nextOrdinal()).isEqualTo(2);
        assertThat(first.proposalsRequested()).isEqualTo(1);
        assertThat(second.nextOrdinal()).isEqualTo(3);
        assertThat(second.proposalsRequested()).isEqualTo(1);

        // Budget 5: ordinals 0..4 requested once all are asked for, never more.
        StrategyUpdated third = decideAndFoldBack(ev.evaluated(proposal(3), Verdict.NOT_BETTER, 0.7));
        assertThat(third.nextOrdinal()).isEqualTo(4);
        assertThat(third.proposalsRequested()).isEqualTo(1);
        StrategyUpdated fourth = decideAndFoldBack(ev.evaluated(proposal(4), Verdict.NOT_BETTER, 0.6));
        assertThat(fourth.proposalsRequested()).isZero();
        assertThat(fixture.when(ev.evaluated(proposal(5), Verdict.NOT_BETTER, 0.5), NOW))
                .singleElement().extracting(EventEnvelope::payload).isInstanceOf(StudyCompleted.class);
    }

    @Test
    void aRequestSeenAgainDoesNotGrowTheCount() {
        fixture.given(ev.created(Direction.MINIMIZE, null, 10, 3600, 3, 42));
        List<EventEnvelope> out = fixture.when(ev.evaluated(proposal(1), Verdict.NOT_BETTER, 0.9), NOW);
        fixture.given(out.get(0));
        StrategyUpdated same = (StrategyUpdated) out.get(0).payload();
        // The same request arriving again (a different delivery, same content) changes nothing.
        fixture.given(ev.envelope("learner-service", same));

        StrategyUpdated next = decideAndFoldBack(ev.evaluated(proposal(2), Verdict.NOT_BETTER, 0.8));

        assertThat(next.nextOrdinal()).isEqualTo(same.nextOrdinal() + same.proposalsRequested());
    }
}
