package dev.seedloop.learner.domain;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.seedloop.events.Budget;
import dev.seedloop.events.Objective;
import dev.seedloop.events.Observation;
import dev.seedloop.events.PromotionPolicy;

/**
 * Everything the learner knows about one study, folded from its events by {@link StudyFold}.
 * Immutable; collections keep the order events arrived in, so a replay of the same log yields an
 * equal state (and equal {@link StateJson} bytes).
 *
 * <p>Spec fields ({@code objective} … {@code startedAt}) are null until StudyCreated is seen.
 * {@code seenEventIds} makes the fold idempotent under redelivery; it grows with the study's log, so it is
 * kept flat ({@link EventIdSet}, ~24 bytes per event). {@code lineage} grows by one entry per proposal.
 * Nothing else grows with the log: {@code observations} keeps only the latest {@link #OBSERVATIONS_KEPT}
 * evaluations, all a StrategyUpdated ever shares (the full history is the lineage and the store).
 * {@code resumes} counts applied StudyResumed events because resumption is a decision point.
 *
 * <p>Governance: {@code team}, {@code name}, {@code createdBy} and {@code promotion} come from StudyCreated
 * (null before it; {@code promotion} is then treated as AUTO). {@code controls} lists every human
 * intervention, {@code pendingApprovals} the candidates waiting for an approver and {@code candidates} the
 * evidence of manual-promotion candidates not yet crowned or rejected. These three change rarely, so a fold
 * step shares them with the previous state instead of copying them.
 *
 * <p>A fork ({@code origin} set) starts with its source's evaluated proposals in {@code lineage} (marked
 * {@link Lineage#inheritedFrom}) and {@code observations}; none of them count as its own proposals, evaluations
 * or budget, and its champion is its own.
 *
 * <p>Requests (ADR 0021): {@code proposalsRequested} counts the ordinals the learner's own StrategyUpdated events asked
 * for (in a log from before, also the first batch the proposer made on StudyCreated by itself: see
 * {@link StudyFold}); {@code resolvedOrdinals} the ordinals evaluated or rejected, which the next request waits for.
 */
public record StudyState(String studyId, UUID createdEventId, StudyStatus status, Objective objective, Budget budget,
                         String strategy, long seed, Instant startedAt, long eventsApplied, EventIdSet seenEventIds,
                         int proposals, int proposalsRejected, int experimentsStarted, int experimentsCompleted,
                         int experimentsFailed, int evaluations, int invalidEvaluations, int resumes,
                         long strategyRevision, Set<UUID> inFlight, Double bestValue, UUID championProposalId,
                         List<ChampionEntry> championHistory, Map<UUID, Lineage> lineage, List<Elite> archive,
                         String completionReason, int proposalsRequested, List<Observation> observations,
                         String team, String name, String createdBy, PromotionPolicy promotion,
                         List<Control> controls, List<PendingApproval> pendingApprovals, List<Candidate> candidates,
                         ForkOrigin origin, ResolvedOrdinals resolvedOrdinals)
        implements StudyBefore {

    /** Size of the elite archive. */
    public static final int ARCHIVE_SIZE = 8;

    /** Observations kept: the most a StrategyUpdated shares with the proposer. */
    public static final int OBSERVATIONS_KEPT = LearnerDecider.MAX_OBSERVATIONS_SHARED;

    public static final StudyState EMPTY = new StudyState(null, null, StudyStatus.NEW, null, null, null, 0L, null, 0L,
            EventIdSet.EMPTY, 0, 0, 0, 0, 0, 0, 0, 0, 0L, Set.of(), null, null, List.of(), Map.of(), List.of(), null, 0,
            List.of(), null, null, null, null, List.of(), List.of(), List.of(), null, ResolvedOrdinals.NONE);

    public StudyState {
        // EventIdSet is immutable: shared, not copied.
        inFlight = Collections.unmodifiableSet(new LinkedHashSet<>(inFlight));
        championHistory = List.copyOf(championHistory);
        lineage = Collections.unmodifiableMap(new LinkedHashMap<>(lineage));
        archive = List.copyOf(archive);
        observations = List.copyOf(observations);
        // List.copyOf returns an unmodifiable list as it is: unchanged governance lists cost nothing per event.
        controls = List.copyOf(controls);
        pendingApprovals = List.copyOf(pendingApprovals);
        candidates = List.copyOf(candidates);
    }

    /** Proposals asked for and not yet evaluated: what occupies the study's parallelism. */
    public int outstanding() {
        return Math.max(0, proposalsRequested - evaluations - proposalsRejected);
    }

    public boolean hasSeen(UUID eventId) {
        return seenEventIds.contains(eventId);
    }

    @Override
    public Lineage lineageOf(UUID proposalId) {
        return lineage.get(proposalId);
    }

    /**
     * Experiments that consumed budget. Both the implementer's outcome events and the
     * evaluations count each experiment once, but they arrive on different topics in no fixed
     * order, so the larger count is the one known to be spent.
     */
    public int budgetUsed() {
        return Math.max(experimentsCompleted + experimentsFailed, evaluations);
    }

    /** Experiments the budget still allows, or 0 before StudyCreated. */
    public int remainingBudget() {
        return budget == null ? 0 : Math.max(0, budget.maxExperiments() - budgetUsed());
    }

    /** The current champion's entry, or null before the first one. */
    public ChampionEntry champion() {
        return championHistory.isEmpty() ? null : championHistory.getLast();
    }

    /** Whether a study exists for {@code team}: created, and by that team. */
    public boolean visibleTo(String team) {
        return createdEventId != null && this.team != null && this.team.equals(team);
    }

    Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Mutable working copy of a study, never escaping the package: {@link StudyFold#evolve} makes one per
     * event, {@link LearnerFold} one per replay. {@link #build()} freezes a copy, so a builder can go on
     * folding after it.
     */
    static final class Builder implements StudyBefore {
        String studyId;
        UUID createdEventId;
        StudyStatus status;
        Objective objective;
        Budget budget;
        String strategy;
        long seed;
        Instant startedAt;
        long eventsApplied;
        final EventIdSet.Builder seenEventIds;
        int proposals;
        int proposalsRejected;
        int experimentsStarted;
        int experimentsCompleted;
        int experimentsFailed;
        int evaluations;
        int invalidEvaluations;
        int resumes;
        long strategyRevision;
        final LinkedHashSet<UUID> inFlight;
        Double bestValue;
        UUID championProposalId;
        final List<ChampionEntry> championHistory;
        final LinkedHashMap<UUID, Lineage> lineage;
        List<Elite> archive;
        String completionReason;
        int proposalsRequested;
        /** The latest {@link #OBSERVATIONS_KEPT}, oldest first. */
        final ArrayDeque<Observation> observations;
        String team;
        String name;
        String createdBy;
        PromotionPolicy promotion;
        List<Control> controls;
        List<PendingApproval> pendingApprovals;
        List<Candidate> candidates;
        ForkOrigin origin;
        ResolvedOrdinals resolvedOrdinals;

        Builder(StudyState s) {
            studyId = s.studyId;
            createdEventId = s.createdEventId;
            status = s.status;
            objective = s.objective;
            budget = s.budget;
            strategy = s.strategy;
            seed = s.seed;
            startedAt = s.startedAt;
            eventsApplied = s.eventsApplied;
            seenEventIds = s.seenEventIds.toBuilder();
            proposals = s.proposals;
            proposalsRejected = s.proposalsRejected;
            experimentsStarted = s.experimentsStarted;
            experimentsCompleted = s.experimentsCompleted;
            experimentsFailed = s.experimentsFailed;
            evaluations = s.evaluations;
            invalidEvaluations = s.invalidEvaluations;
            resumes = s.resumes;
            strategyRevision = s.strategyRevision;
            inFlight = new LinkedHashSet<>(s.inFlight);
            bestValue = s.bestValue;
            championProposalId = s.championProposalId;
            championHistory = new ArrayList<>(s.championHistory);
            lineage = new LinkedHashMap<>(s.lineage);
            archive = s.archive;
            completionReason = s.completionReason;
            proposalsRequested = s.proposalsRequested;
            observations = new ArrayDeque<>(s.observations);
            team = s.team;
            name = s.name;
            createdBy = s.createdBy;
            promotion = s.promotion;
            controls = s.controls;
            pendingApprovals = s.pendingApprovals;
            candidates = s.candidates;
            origin = s.origin;
            resolvedOrdinals = s.resolvedOrdinals;
        }

        boolean hasSeen(UUID eventId) {
            return seenEventIds.contains(eventId);
        }

        void observe(Observation observation) {
            if (observations.size() == OBSERVATIONS_KEPT) {
                observations.removeFirst();
            }
            observations.addLast(observation);
        }

        @Override
        public Lineage lineageOf(UUID proposalId) {
            return lineage.get(proposalId);
        }

        @Override
        public Double bestValue() {
            return bestValue;
        }

        @Override
        public Objective objective() {
            return objective;
        }

        @Override
        public long seed() {
            return seed;
        }

        StudyState build() {
            return new StudyState(studyId, createdEventId, status, objective, budget, strategy, seed, startedAt,
                    eventsApplied, seenEventIds.build(), proposals, proposalsRejected, experimentsStarted,
                    experimentsCompleted, experimentsFailed, evaluations, invalidEvaluations, resumes, strategyRevision,
                    inFlight, bestValue, championProposalId, championHistory, lineage, archive, completionReason,
                    proposalsRequested, List.copyOf(observations), team, name, createdBy, promotion, controls,
                    pendingApprovals, candidates, origin, resolvedOrdinals);
        }
    }
}
