package dev.seedloop.learner.domain;

import static dev.seedloop.learner.domain.Events.evaluation;
import static dev.seedloop.learner.domain.Events.proposal;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.Direction;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.Services;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.events.Verdict;

/** Each part of {@link StudyState} on its own events, and the fold sharing the parts an event leaves alone. */
class StudyPartsTest {

    private final Events ev = new Events();

    @Test
    void theSpecIsNamedByTheFirstEventAndFixedByTheFirstStudyCreated() {
        EventEnvelope proposed = ev.proposed(proposal(1), 0, "random", List.of());
        StudySpec named = StudySpec.evolve(StudySpec.EMPTY, proposed);
        assertThat(named.studyId()).isEqualTo(Events.STUDY);
        assertThat(named.created()).isFalse();

        EventEnvelope created = ev.createdManual("alice");
        StudySpec spec = StudySpec.evolve(named, created);
        assertThat(spec.createdEventId()).isEqualTo(created.eventId());
        assertThat(spec.startedAt()).isEqualTo(created.occurredAt());
        assertThat(spec.team()).isEqualTo(Events.TEAM);
        assertThat(spec.createdBy()).isEqualTo("alice");
        assertThat(spec.promotion()).isEqualTo(PromotionPolicy.MANUAL);
        assertThat(spec.budget().parallelism()).isEqualTo(2);

        assertThat(StudySpec.evolve(spec, ev.created(Direction.MAXIMIZE, 1.0, 99, 1, 9, 9))).isSameAs(spec);
        assertThat(StudySpec.evolve(spec, ev.paused())).isSameAs(spec);
    }

    @Test
    void progressMovesTheStatusAndCountsWhatHappened() {
        StudyProgress p = StudyProgress.EMPTY;
        p = StudyProgress.evolve(p, ev.created(Direction.MINIMIZE, null, 10, 600, 2, 1));
        assertThat(p.status()).isEqualTo(StudyStatus.CREATED);
        p = StudyProgress.evolve(p, ev.proposed(proposal(1), 0, "random", List.of()));
        assertThat(p.status()).isEqualTo(StudyStatus.RUNNING);
        p = StudyProgress.evolve(p, ev.paused());
        p = StudyProgress.evolve(p, ev.resumed());
        StudyProgress notPaused = StudyProgress.evolve(p, ev.resumed());
        assertThat(notPaused).as("a resume of a running study counts not").isSameAs(p);
        p = StudyProgress.evolve(p, ev.started(proposal(1)));
        p = StudyProgress.evolve(p, ev.failed(proposal(1)));
        p = StudyProgress.evolve(p, ev.evaluated(proposal(1), Verdict.INVALID, null));
        p = StudyProgress.evolve(p, ev.envelope(Services.PROPOSER, new ProposalRejected(proposal(2), "bad",
                List.of("x"))));
        p = StudyProgress.evolve(p, ev.envelope(Services.LEARNER, new StudyCompleted("budget-exhausted", null, null,
                1)));
        StudyProgress halted = StudyProgress.evolve(p, ev.halted());

        assertThat(p).isEqualTo(new StudyProgress(StudyStatus.COMPLETED, "budget-exhausted", 1, 1, 1, 0, 1, 1, 1,
                1));
        assertThat(halted).as("a completed study stays completed").isSameAs(p);
    }

    @Test
    void requestsCountTheOrdinalsAskedForWhatIsInFlightAndWhatIsResolved() {
        EventEnvelope created = ev.created(Direction.MINIMIZE, null, 10, 600, 3, 1);
        StudySpec spec = StudySpec.evolve(StudySpec.EMPTY, created);
        Map<UUID, Lineage> lineage = Map.of(proposal(1), new Lineage(proposal(1), 0, "random", List.of(), Map.of()),
                proposal(2), new Lineage(proposal(2), 1, "random", List.of(), Map.of()));
        StudyRequests r = StudyRequests.evolve(StudyRequests.EMPTY, created, spec, StudyProgress.EMPTY, Map.of());
        assertThat(r.proposalsRequested()).as("the learner asks for the first batch itself (ADR 0021)").isZero();
        r = StudyRequests.evolve(r, ev.envelope(Services.LEARNER, new StrategyUpdated(0, 3, Map.of(), "first batch",
                0, List.of())), spec, StudyProgress.EMPTY, Map.of());
        assertThat(r.proposalsRequested()).isEqualTo(3);
        r = StudyRequests.evolve(r, ev.proposed(proposal(1), 0, "random", List.of()), spec, StudyProgress.EMPTY,
                Map.of());
        r = StudyRequests.evolve(r, ev.proposed(proposal(2), 1, "random", List.of()), spec, StudyProgress.EMPTY,
                Map.of(proposal(1), lineage.get(proposal(1))));
        r = StudyRequests.evolve(r, ev.evaluated(proposal(2), Verdict.NOT_BETTER, 0.5), spec, StudyProgress.EMPTY,
                lineage);
        assertThat(r.inFlight()).containsExactly(proposal(1));
        assertThat(r.resolvedOrdinals()).as("ordinal 1 resolved before ordinal 0")
                .isEqualTo(new ResolvedOrdinals(0, List.of(1)));
        r = StudyRequests.evolve(r, ev.envelope(Services.PROPOSER, new ProposalRejected(proposal(1), "bad",
                List.of("x"))), spec, StudyProgress.EMPTY, lineage);
        assertThat(r.inFlight()).isEmpty();
        assertThat(r.resolvedOrdinals()).isEqualTo(new ResolvedOrdinals(2, List.of()));

        StrategyUpdated update = new StrategyUpdated(4, 2, Map.of("random", 1.0), "evaluation", 3, List.of());
        r = StudyRequests.evolve(r, ev.envelope(Services.LEARNER, update), spec, StudyProgress.EMPTY, lineage);
        StudyRequests older = StudyRequests.evolve(r, ev.envelope(Services.LEARNER,
                new StrategyUpdated(2, 1, Map.of("random", 1.0), "evaluation", 1, List.of())), spec,
                StudyProgress.EMPTY, lineage);
        assertThat(r.proposalsRequested()).isEqualTo(5);
        assertThat(r.strategyRevision()).isEqualTo(4);
        assertThat(older).as("a late, older request lowers nothing").isEqualTo(r);
    }

    @Test
    void anEvaluationReadBeforeItsProposalWaitsUntilTheProposalPlacesIt() {
        EventEnvelope created = ev.created(Direction.MINIMIZE, null, 10, 600, 3, 1);
        StudySpec spec = StudySpec.evolve(StudySpec.EMPTY, created);
        StudyRequests r = StudyRequests.evolve(StudyRequests.EMPTY, ev.envelope(Services.LEARNER,
                new StrategyUpdated(0, 3, Map.of(), "first batch", 0, List.of())), spec, StudyProgress.EMPTY,
                Map.of());
        r = StudyRequests.evolve(r, ev.evaluated(proposal(3), Verdict.NOT_BETTER, 0.5), spec, StudyProgress.EMPTY,
                Map.of());
        assertThat(r.resolvedOrdinals().unplaced()).containsOnlyKeys(proposal(3));
        assertThat(r.resolvedOrdinals().below()).isZero();

        StudyRequests before = r;
        r = StudyRequests.evolve(r, ev.proposed(proposal(3), 0, "random", List.of()), spec, StudyProgress.EMPTY,
                Map.of());
        assertThat(r.resolvedOrdinals()).isEqualTo(new ResolvedOrdinals(1, List.of()));
        assertThat(r.inFlight()).as("evaluated already: not in flight").isEmpty();

        StudyResults.Builder results = StudyResults.EMPTY.toBuilder();
        results.apply(ev.proposed(proposal(3), 0, "random", List.of()), spec, StudyGovernance.EMPTY, before, 4);
        assertThat(results.build().lineage().get(proposal(3)).verdict()).isEqualTo(Verdict.NOT_BETTER);
    }

    @Test
    void resultsCrownUnderAutoPromotionAndKeepTheLineage() {
        StudySpec spec = StudySpec.evolve(StudySpec.EMPTY, ev.created(Direction.MINIMIZE, null, 10, 600, 2, 1));
        StudyResults.Builder results = StudyResults.EMPTY.toBuilder();
        results.apply(ev.proposed(proposal(1), 0, "random", List.of()), spec, StudyGovernance.EMPTY,
                StudyRequests.EMPTY, 2);
        results.apply(ev.proposed(proposal(2), 1, "mutate", List.of(proposal(1))), spec, StudyGovernance.EMPTY,
                StudyRequests.EMPTY, 3);

        ChampionEntry crowned = results.apply(ev.evaluated(proposal(1), Verdict.NEW_CHAMPION, 0.4), spec,
                StudyGovernance.EMPTY, StudyRequests.EMPTY, 4);
        ChampionEntry notBetter = results.apply(ev.evaluated(proposal(2), Verdict.NOT_BETTER, 0.6), spec,
                StudyGovernance.EMPTY, StudyRequests.EMPTY, 5);
        StudyResults r = results.build();

        assertThat(crowned.proposalId()).isEqualTo(proposal(1));
        assertThat(crowned.sequence()).isEqualTo(4);
        assertThat(notBetter).isNull();
        assertThat(r.championProposalId()).isEqualTo(proposal(1));
        assertThat(r.bestValue()).isEqualTo(0.4);
        assertThat(r.lineage().get(proposal(2)).parents()).containsExactly(proposal(1));
        assertThat(r.archive()).extracting(Elite::proposalId).containsExactly(proposal(1), proposal(2));
        assertThat(r.observations()).extracting(o -> o.value()).containsExactly(0.4, 0.6);
        assertThat(r.isChampion(evaluation(proposal(1)))).isTrue();
    }

    @Test
    void governanceMakesACandidateUnderManualPromotionAndDropsItWhenCrowned() {
        StudyResults champions = StudyResults.EMPTY;
        StudyGovernance g = StudyGovernance.evolve(StudyGovernance.EMPTY, ev.evaluatedChampion(proposal(1), 0.3),
                PromotionPolicy.MANUAL, champions, null);
        assertThat(g.candidates()).extracting(Candidate::proposalId).containsExactly(proposal(1));
        assertThat(StudyGovernance.evolve(StudyGovernance.EMPTY, ev.evaluatedChampion(proposal(1), 0.3),
                PromotionPolicy.AUTO, champions, null)).as("auto promotion makes no candidate")
                .isEqualTo(StudyGovernance.EMPTY);

        g = StudyGovernance.evolve(g, ev.promotionRequested(proposal(1), 0.3, null), PromotionPolicy.MANUAL,
                champions, null);
        assertThat(g.pendingApprovals()).extracting(PendingApproval::proposalId).containsExactly(proposal(1));
        EventEnvelope approval = ev.approved(proposal(1), "bob");
        g = StudyGovernance.evolve(g, approval, PromotionPolicy.MANUAL, champions, null);
        assertThat(g.pendingApprovals()).isEmpty();
        assertThat(g.approverOf(approval.eventId())).isEqualTo("bob");
        assertThat(g.evidenceOf(evaluation(proposal(1)))).isNotNull();

        ChampionEntry crowned = new ChampionEntry(proposal(1), evaluation(proposal(1)), 0.3, 9, null,
                Instant.EPOCH, null, approval.eventId(), "bob");
        StudyGovernance after = StudyGovernance.evolve(g, ev.championChanged(approval, proposal(1), null, 0.3),
                PromotionPolicy.MANUAL, champions, crowned);
        assertThat(after.candidates()).isEmpty();
        assertThat(after.controls()).isSameAs(g.controls());
    }

    @Test
    void appliedEventsIgnoreRedeliveriesAndTeamStreams() {
        AppliedEvents.Builder applied = AppliedEvents.EMPTY.toBuilder();
        EventEnvelope created = ev.created(Direction.MINIMIZE, null, 10, 600, 2, 1);

        assertThat(applied.apply(created)).isTrue();
        assertThat(applied.apply(created)).isFalse();
        assertThat(applied.apply(SampleEvents.teamQuotaSet())).isFalse();
        AppliedEvents a = applied.build();
        assertThat(a.eventsApplied()).isEqualTo(1);
        assertThat(a.hasSeen(created.eventId())).isTrue();
        assertThat(a.hasSeen(UUID.randomUUID())).isFalse();
    }

    @Test
    void aStepSharesThePartsItsEventLeavesAlone() {
        StudyState s = StudyFold.replay(List.of(ev.created(Direction.MINIMIZE, null, 10, 600, 2, 1),
                ev.proposed(proposal(1), 0, "random", List.of())));

        StudyState started = StudyFold.evolve(s, ev.started(proposal(1)));
        assertThat(started.results()).isSameAs(s.results());
        assertThat(started.governance()).isSameAs(s.governance());
        assertThat(started.spec()).isSameAs(s.spec());
        assertThat(started.requests()).isSameAs(s.requests());
        assertThat(started.progress()).isNotSameAs(s.progress());

        StudyState paused = StudyFold.evolve(started, ev.paused());
        assertThat(paused.results()).isSameAs(s.results());
        assertThat(paused.governance().controls()).hasSize(1);
    }
}
