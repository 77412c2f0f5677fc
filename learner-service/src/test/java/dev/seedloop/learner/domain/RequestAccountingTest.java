package dev.seedloop.learner.domain;

import static dev.seedloop.learner.domain.Events.proposalOfOrdinal;
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
 * The learner counts what it asked for from its own requests (ADR 0021: the first batch too), so evaluations that
 * overtake the ProposalCreated events (another topic) never make it ask for the same ordinals twice; its decisions
 * are folded back, as the recorder does. An evaluation whose proposal it has not seen yet is placed by the proposer's
 * id rule.
 */
class RequestAccountingTest {

    private static final Instant NOW = Events.T0.plusSeconds(100);
    private final Events ev = new Events();
    private final LearnerFixture fixture = new LearnerFixture();

    private List<StrategyUpdated> decideAndFoldBack(EventEnvelope cause) {
        List<EventEnvelope> out = fixture.when(cause, NOW);
        out.forEach(fixture::given);
        return out.stream().map(e -> (StrategyUpdated) e.payload()).toList();
    }

    @Test
    void theFirstBatchIsTheLearnersFirstRequest() {
        List<EventEnvelope> out = fixture.when(ev.created(Direction.MINIMIZE, null, 5, 3600, 2, 42), NOW);

        assertThat(out).singleElement().satisfies(e -> {
            StrategyUpdated first = (StrategyUpdated) e.payload();
            assertThat(first.nextOrdinal()).isZero();
            assertThat(first.proposalsRequested()).isEqualTo(2);
            assertThat(first.observations()).isEmpty();
            assertThat(first.operatorWeights()).as("the strategies' defaults, as the first batch always had").isEmpty();
            assertThat(first.revision()).isZero();
            assertThat(first.reason()).startsWith("first batch");
        });
        assertThat(fixture.study.proposalsRequested()).as("nothing before its own request is folded").isZero();
        fixture.given(out.getFirst());
        assertThat(fixture.study.proposalsRequested()).isEqualTo(2);
    }

    @Test
    void ordinalsFollowOnAndAreNotRequestedTwice() {
        fixture.given(ev.created(Direction.MINIMIZE, null, 5, 3600, 2, 42));
        assertThat(fixture.study.proposalsRequested()).isEqualTo(2);
        for (int ordinal = 0; ordinal < 5; ordinal++) {
            fixture.given(ev.proposed(proposalOfOrdinal(ordinal), ordinal, "random", List.of()));
        }

        // Evaluations of ordinals 0 and 1: each frees one slot.
        List<StrategyUpdated> first = decideAndFoldBack(ev.evaluated(proposalOfOrdinal(0), Verdict.NOT_BETTER, 0.9));
        List<StrategyUpdated> second = decideAndFoldBack(ev.evaluated(proposalOfOrdinal(1), Verdict.NOT_BETTER, 0.8));
        assertThat(first).singleElement().satisfies(u -> {
            assertThat(u.nextOrdinal()).isEqualTo(2);
            assertThat(u.proposalsRequested()).isEqualTo(1);
        });
        assertThat(second).singleElement().satisfies(u -> {
            assertThat(u.nextOrdinal()).isEqualTo(3);
            assertThat(u.proposalsRequested()).isEqualTo(1);
        });

        // Budget 5: ordinals 0..4 requested once all are asked for, never more.
        assertThat(decideAndFoldBack(ev.evaluated(proposalOfOrdinal(2), Verdict.NOT_BETTER, 0.7)))
                .singleElement().satisfies(u -> assertThat(u.nextOrdinal()).isEqualTo(4));
        assertThat(decideAndFoldBack(ev.evaluated(proposalOfOrdinal(3), Verdict.NOT_BETTER, 0.6)))
                .singleElement().satisfies(u -> assertThat(u.proposalsRequested()).isZero());
        assertThat(fixture.when(ev.evaluated(proposalOfOrdinal(4), Verdict.NOT_BETTER, 0.5), NOW))
                .singleElement().extracting(EventEnvelope::payload).isInstanceOf(StudyCompleted.class);
    }

    @Test
    void anOrdinalWaitsForEveryOrdinalAParallelismBeforeIt() {
        fixture.given(ev.created(Direction.MINIMIZE, null, 10, 3600, 2, 42),
                ev.proposed(proposalOfOrdinal(0), 0, "random", List.of()),
                ev.proposed(proposalOfOrdinal(1), 1, "mutate", List.of()));

        // Ordinal 1 finishes first: ordinal 2 needs ordinal 0, which is still running.
        assertThat(decideAndFoldBack(ev.evaluated(proposalOfOrdinal(1), Verdict.NOT_BETTER, 0.8)))
                .singleElement().satisfies(u -> assertThat(u.proposalsRequested()).isZero());
        assertThat(fixture.study.resolvedOrdinals()).isEqualTo(new ResolvedOrdinals(0, List.of(1)));

        // Ordinal 0 finishes: ordinals 2 and 3 are due at once, each with exactly the results it may see, by ordinal.
        List<StrategyUpdated> both = decideAndFoldBack(ev.evaluated(proposalOfOrdinal(0), Verdict.NOT_BETTER, 0.9));
        assertThat(both).extracting(StrategyUpdated::nextOrdinal).containsExactly(2, 3);
        assertThat(both).extracting(StrategyUpdated::proposalsRequested).containsExactly(1, 1);
        assertThat(both.get(0).observations()).extracting(o -> o.ordinal() + "=" + o.value()).containsExactly("0=0.9");
        assertThat(both.get(1).observations()).extracting(o -> o.ordinal() + "=" + o.value())
                .containsExactly("0=0.9", "1=0.8");
        assertThat(both.get(0).operatorWeights()).isNotEmpty();
        assertThat(fixture.study.resolvedOrdinals()).isEqualTo(new ResolvedOrdinals(2, List.of()));
    }

    @Test
    void anEvaluationAheadOfItsProposalWaitsForItsPointBeforeAnythingIsAskedWithIt() {
        fixture.given(ev.created(Direction.MINIMIZE, null, 10, 3600, 1, 42));

        // The evaluation of ordinal 0 is read before its ProposalCreated (another topic): its point is unknown.
        List<StrategyUpdated> early = decideAndFoldBack(ev.evaluated(proposalOfOrdinal(0), Verdict.NOT_BETTER, 0.9));
        assertThat(early).singleElement().satisfies(u -> assertThat(u.proposalsRequested()).isZero());
        assertThat(fixture.study.resolvedOrdinals().below()).isZero();
        assertThat(fixture.study.resolvedOrdinals().unplaced()).containsOnlyKeys(proposalOfOrdinal(0));

        // Its ProposalCreated places it: ordinal 1 is asked for now, with ordinal 0's result.
        List<StrategyUpdated> placed = decideAndFoldBack(ev.proposed(proposalOfOrdinal(0), 0, "random", List.of()));
        assertThat(placed).singleElement().satisfies(u -> {
            assertThat(u.nextOrdinal()).isEqualTo(1);
            assertThat(u.observations()).extracting(o -> o.ordinal() + "=" + o.value()).containsExactly("0=0.9");
        });
        assertThat(fixture.study.resolvedOrdinals()).isEqualTo(ResolvedOrdinals.NONE.with(0));
        assertThat(fixture.study.inFlight()).as("evaluated already").isEmpty();
    }

    @Test
    void aRequestSeenAgainDoesNotGrowTheCount() {
        fixture.given(ev.created(Direction.MINIMIZE, null, 10, 3600, 3, 42),
                ev.proposed(proposalOfOrdinal(0), 0, "random", List.of()),
                ev.proposed(proposalOfOrdinal(1), 1, "random", List.of()));
        List<EventEnvelope> out = fixture.when(ev.evaluated(proposalOfOrdinal(0), Verdict.NOT_BETTER, 0.9), NOW);
        fixture.given(out.get(0));
        StrategyUpdated same = (StrategyUpdated) out.get(0).payload();
        // The same request arriving again (a different delivery, same content) changes nothing.
        fixture.given(ev.envelope("learner-service", same));

        List<StrategyUpdated> next = decideAndFoldBack(ev.evaluated(proposalOfOrdinal(1), Verdict.NOT_BETTER, 0.8));

        assertThat(next).singleElement().satisfies(u ->
                assertThat(u.nextOrdinal()).isEqualTo(same.nextOrdinal() + same.proposalsRequested()));
    }
}
