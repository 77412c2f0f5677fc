package dev.seedloop.learner.domain;

import static dev.seedloop.learner.domain.Events.proposal;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.Direction;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.EventLimits;
import dev.seedloop.events.Observation;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.Services;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.events.Verdict;

class LearnerDeciderTest {

    private final Events ev = new Events();
    private final LearnerFixture fixture = new LearnerFixture();
    private static final Instant NOW = Events.T0.plusSeconds(100);

    private EventEnvelope createdAndTwoInFlight(int maxExperiments, Double target) {
        EventEnvelope created = ev.created(Direction.MINIMIZE, target, maxExperiments, 3600, 2, 42);
        fixture.given(created,
                ev.proposed(proposal(1), 0, "random", List.of()),
                ev.proposed(proposal(2), 1, "random", List.of()),
                ev.started(proposal(1)),
                ev.completed(proposal(1), 0.5));
        return created;
    }

    @Test
    void evaluationYieldsStrategyUpdateForTheFreeSlots() {
        createdAndTwoInFlight(40, null);
        EventEnvelope cause = ev.evaluated(proposal(1), Verdict.NEW_CHAMPION, 0.5);

        List<EventEnvelope> out = fixture.when(cause, NOW);

        assertThat(out).hasSize(1);
        EventEnvelope e = out.get(0);
        assertThat(e.eventId()).isEqualTo(EventIds.derived(cause.eventId(), "strategy-updated:2"));
        assertThat(e.causationId()).isEqualTo(cause.eventId());
        assertThat(e.correlationId()).isEqualTo(cause.correlationId());
        assertThat(e.studyId()).isEqualTo(cause.studyId());
        assertThat(e.team()).isEqualTo(cause.team());
        assertThat(e.producer()).isEqualTo(Services.LEARNER);
        assertThat(e.occurredAt()).isEqualTo(NOW);
        StrategyUpdated u = (StrategyUpdated) e.payload();
        assertThat(u.revision()).isEqualTo(1);
        // Ordinal 0 is resolved, so ordinal 2 (= 0 + parallelism) is due, with the result of ordinal 0.
        assertThat(u.nextOrdinal()).isEqualTo(2);
        assertThat(u.proposalsRequested()).isEqualTo(1);
        assertThat(u.observations()).extracting(o -> o.ordinal()).containsExactly(0);
        assertThat(u.operatorWeights()).containsOnlyKeys("crossover", "mutate", "random");
        assertThat(u.operatorWeights().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
                org.assertj.core.api.Assertions.within(1e-12));
        assertThat(u.reason()).contains("improved").contains("restart=false");
    }

    @Test
    void remainingBudgetCapsTheRequest() {
        createdAndTwoInFlight(3, null);
        StrategyUpdated u = (StrategyUpdated) fixture.when(ev.evaluated(proposal(1), Verdict.NOT_BETTER, 0.9), NOW)
                .get(0).payload();
        // remaining 3 - 1 = 2, minus 1 in flight = 1; parallelism allows 1 too
        assertThat(u.proposalsRequested()).isEqualTo(1);
    }

    @Test
    void budgetExhaustedCompletesTheStudy() {
        EventEnvelope created = createdAndTwoInFlight(2, null);
        fixture.given(ev.evaluated(proposal(1), Verdict.NEW_CHAMPION, 0.5), ev.failed(proposal(2)));

        List<EventEnvelope> out = fixture.when(ev.evaluated(proposal(2), Verdict.INVALID, null), NOW);

        assertThat(out).hasSize(1);
        assertThat(out.get(0).eventId()).isEqualTo(EventIds.derived(created.eventId(), "study-completed"));
        assertThat(out.get(0).payload()).isEqualTo(new StudyCompleted("budget-exhausted", proposal(1), 0.5, 2));
    }

    @Test
    void targetReachedCompletesTheStudy() {
        createdAndTwoInFlight(40, 0.05);
        List<EventEnvelope> out = fixture.when(ev.evaluated(proposal(1), Verdict.NEW_CHAMPION, 0.04), NOW);
        assertThat(out.get(0).payload()).isEqualTo(new StudyCompleted("target-reached", proposal(1), 0.04, 1));
    }

    @Test
    void targetRespectsMaximize() {
        fixture.given(ev.created(Direction.MAXIMIZE, 0.9, 40, 3600, 2, 42), ev.proposed(proposal(1), 0, "random", List.of()));
        assertThat(fixture.when(ev.evaluated(proposal(1), Verdict.NEW_CHAMPION, 0.8), NOW).get(0).payload())
                .isInstanceOf(StrategyUpdated.class);
        fixture.given(ev.proposed(proposal(2), 1, "mutate", List.of(proposal(1))));
        assertThat(fixture.when(ev.evaluated(proposal(2), Verdict.NEW_CHAMPION, 0.95), NOW).get(0).payload())
                .isEqualTo(new StudyCompleted("target-reached", proposal(2), 0.95, 2));
    }

    @Test
    void wallTimeExhaustedCompletesTheStudy() {
        EventEnvelope created = createdAndTwoInFlight(40, null);
        Instant late = created.occurredAt().plusSeconds(3601);
        List<EventEnvelope> out = fixture.when(ev.evaluated(proposal(1), Verdict.NOT_BETTER, 0.5), late);
        assertThat(((StudyCompleted) out.get(0).payload()).reason()).isEqualTo("wall-time-exhausted");
    }

    @Test
    void studyCompletesOnlyOnce() {
        createdAndTwoInFlight(1, null);
        List<EventEnvelope> out = fixture.when(ev.evaluated(proposal(1), Verdict.NEW_CHAMPION, 0.5), NOW);
        assertThat(out.get(0).payload()).isInstanceOf(StudyCompleted.class);
        fixture.given(out.get(0));
        assertThat(fixture.study.status()).isEqualTo(StudyStatus.COMPLETED);
        assertThat(fixture.when(ev.evaluated(proposal(2), Verdict.NOT_BETTER, 0.7), NOW)).isEmpty();
    }

    @Test
    void pausedStudyRequestsNoProposals() {
        createdAndTwoInFlight(40, null);
        fixture.given(ev.paused());
        StrategyUpdated u = (StrategyUpdated) fixture.when(ev.evaluated(proposal(1), Verdict.NOT_BETTER, 0.5), NOW)
                .get(0).payload();
        assertThat(u.proposalsRequested()).isZero();
        assertThat(u.reason()).startsWith("paused");
    }

    @Test
    void resumingAsksForTheFreeSlotsUnderANewRevision() {
        createdAndTwoInFlight(40, null);
        fixture.given(ev.paused(), ev.evaluated(proposal(1), Verdict.NOT_BETTER, 0.5),
                ev.evaluated(proposal(2), Verdict.NOT_BETTER, 0.6));
        List<StrategyUpdated> us = fixture.when(ev.resumed(), NOW).stream()
                .map(e -> (StrategyUpdated) e.payload()).toList();
        // Ordinals 2 and 3, one request each: each sees the results through its own ordinal minus the parallelism.
        assertThat(us).extracting(StrategyUpdated::nextOrdinal).containsExactly(2, 3);
        assertThat(us).extracting(StrategyUpdated::proposalsRequested).containsExactly(1, 1);
        assertThat(us).extracting(StrategyUpdated::revision).containsOnly(3L);
        assertThat(us.get(1).observations()).extracting(o -> o.ordinal()).containsExactly(0, 1);
    }

    @Test
    void haltedStudyDecidesNothing() {
        createdAndTwoInFlight(40, null);
        fixture.given(ev.halted());
        assertThat(fixture.when(ev.evaluated(proposal(1), Verdict.NEW_CHAMPION, 0.5), NOW)).isEmpty();
        assertThat(fixture.study.status()).isEqualTo(StudyStatus.HALTED);
    }

    @Test
    void redeliveredEvaluationIsIgnored() {
        createdAndTwoInFlight(40, null);
        EventEnvelope cause = ev.evaluated(proposal(1), Verdict.NEW_CHAMPION, 0.5);
        fixture.when(cause, NOW);
        StudyState study = fixture.study;
        StrategyState strategy = fixture.strategy;
        assertThat(fixture.when(cause, NOW)).isEmpty();
        assertThat(fixture.study).isSameAs(study);
        assertThat(fixture.strategy).isSameAs(strategy);
    }

    @Test
    void aStudysCreationAsksForItsFirstBatchUnderAnIdOfItsOwn() {
        EventEnvelope created = ev.created(Direction.MINIMIZE, null, 1, 3600, 4, 42);

        List<EventEnvelope> out = fixture.when(created, NOW);

        assertThat(out).singleElement().satisfies(e -> {
            assertThat(e.eventId()).isEqualTo(EventIds.derived(created.eventId(), "strategy-updated:0"));
            assertThat(e.causationId()).isEqualTo(created.eventId());
            StrategyUpdated first = (StrategyUpdated) e.payload();
            assertThat(first.proposalsRequested()).as("min(parallelism, maxExperiments)").isEqualTo(1);
            assertThat(first.nextOrdinal()).isZero();
        });
        assertThat(fixture.when(created, NOW)).as("a redelivered creation").isEmpty();
        assertThat(fixture.when(ev.created(Direction.MINIMIZE, null, 9, 3600, 4, 42), NOW))
                .as("a second creation of the study").isEmpty();
    }

    @Test
    void aStudyHaltedBeforeItsCreationIsFoldedGetsNoFirstBatch() {
        // The halt was stored first (the studies topic is one partition per study, but a restore or an import may
        // order them so): the learner admits nothing more for a halted study.
        fixture.given(ev.halted());
        assertThat(fixture.when(ev.created(Direction.MINIMIZE, null, 10, 3600, 2, 42), NOW)).isEmpty();
        assertThat(fixture.study.status()).isEqualTo(StudyStatus.HALTED);
    }

    @Test
    void aLogFromBeforeWhoseFirstBatchTheProposerMadeIsNotAskedForAgain() {
        EventEnvelope created = ev.created(Direction.MINIMIZE, null, 10, 3600, 2, 42);
        // A proposal of the old first batch folded before its StudyCreated (another topic): the creation asks nothing.
        LearnerFixture early = new LearnerFixture();
        early.given(ev.caused(created.eventId(), Services.PROPOSER, new ProposalCreated(proposal(1), 0, "evolutionary",
                "sobol", Map.of("x", 0.5), List.of())));
        assertThat(early.when(created, NOW)).isEmpty();
        assertThat(early.study.proposalsRequested()).isEqualTo(2);
    }

    @Test
    void otherEventsAreNotDecisionPoints() {
        createdAndTwoInFlight(40, null);
        assertThat(fixture.when(ev.started(proposal(2)), NOW)).isEmpty();
    }

    /**
     * Wide parameter maps (here 40 parameters with 100-character values, ~4.5 KB an observation): 500 of them would
     * make a StrategyUpdated of over 2 MB, which Kafka refuses, failing the channel and stalling every study. The
     * learner shares the latest that fit a byte budget instead, and the event stays under the contract's limit.
     */
    @Test
    void theSharedHistoryIsBoundedByBytesKeepingTheLatestObservations() {
        EventEnvelope created = ev.created(Direction.MINIMIZE, null, 1000, 360_000, 1, 42);
        fixture.given(created);
        int evaluated = LearnerDecider.MAX_OBSERVATIONS_SHARED;
        for (int i = 0; i < evaluated; i++) {
            fixture.given(ev.envelope(Services.PROPOSER, new ProposalCreated(proposal(i), i, "evolutionary", "random",
                    wideParameters(i), List.of())));
            if (i < evaluated - 1) {
                fixture.given(ev.evaluated(proposal(i), Verdict.NOT_BETTER, 1.0 + i));
            }
        }
        EventEnvelope last = ev.evaluated(proposal(evaluated - 1), Verdict.NOT_BETTER, 0.5);

        EventEnvelope update = fixture.when(last, NOW).getFirst();

        StrategyUpdated u = (StrategyUpdated) update.payload();
        assertThat(new EventCodec().encode(update).length).as("the encoded event")
                .isLessThanOrEqualTo(EventLimits.MAX_EVENT_BYTES);
        assertThat(u.observations()).as("not everything fits").hasSizeLessThan(evaluated).isNotEmpty();
        assertThat(u.observations().getLast().proposalId()).as("the latest is kept").isEqualTo(proposal(evaluated - 1));
        List<Observation> all = fixture.study.observations();
        assertThat(u.observations()).as("a contiguous run of the latest")
                .containsExactlyElementsOf(all.subList(all.size() - u.observations().size(), all.size()));
    }

    @Test
    void aSmallStudySharesItsLatestObservationsUpToTheCountCap() {
        EventEnvelope created = ev.created(Direction.MINIMIZE, null, 1000, 360_000, 1, 42);
        fixture.given(created);
        int evaluated = LearnerDecider.MAX_OBSERVATIONS_SHARED + 20;
        for (int i = 0; i < evaluated - 1; i++) {
            fixture.given(ev.proposed(proposal(i), i, "random", List.of()),
                    ev.evaluated(proposal(i), Verdict.NOT_BETTER, 1.0 + i));
        }
        fixture.given(ev.proposed(proposal(evaluated - 1), evaluated - 1, "random", List.of()));

        StrategyUpdated u = (StrategyUpdated) fixture.when(ev.evaluated(proposal(evaluated - 1), Verdict.NOT_BETTER,
                0.5), NOW).getFirst().payload();

        assertThat(u.observations()).hasSize(LearnerDecider.MAX_OBSERVATIONS_SHARED);
        assertThat(u.observations().getFirst().proposalId()).isEqualTo(proposal(20));
    }

    /** 40 parameters of 100 characters each, different per proposal. */
    static Map<String, Object> wideParameters(int n) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        for (int p = 0; p < 40; p++) {
            parameters.put("parameter_" + p, String.format(Locale.ROOT, "%04d-%02d-", n, p) + "v".repeat(92));
        }
        return parameters;
    }
}
