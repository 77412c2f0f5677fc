package dev.seedloop.learner.domain;

import java.time.Instant;
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
 * {@code seenEventIds} makes the fold idempotent under redelivery; it grows with the study's log.
 * {@code resumes} counts applied StudyResumed events because resumption is a decision point.
 *
 * <p>Governance: {@code team}, {@code name}, {@code createdBy} and {@code promotion} come from StudyCreated
 * (null before it; {@code promotion} is then treated as AUTO). {@code controls} lists every human
 * intervention, {@code pendingApprovals} the candidates waiting for an approver and {@code candidates} the
 * evidence of manual-promotion candidates not yet crowned or rejected. These three change rarely, so a fold
 * step shares them with the previous state instead of copying them.
 */
public record StudyState(String studyId, UUID createdEventId, StudyStatus status, Objective objective, Budget budget,
                         String strategy, long seed, Instant startedAt, long eventsApplied, Set<UUID> seenEventIds,
                         int proposals, int proposalsRejected, int experimentsStarted, int experimentsCompleted,
                         int experimentsFailed, int evaluations, int invalidEvaluations, int resumes,
                         long strategyRevision, Set<UUID> inFlight, Double bestValue, UUID championProposalId,
                         List<ChampionEntry> championHistory, Map<UUID, Lineage> lineage, List<Elite> archive,
                         String completionReason, int proposalsRequested, List<Observation> observations,
                         String team, String name, String createdBy, PromotionPolicy promotion,
                         List<Control> controls, List<PendingApproval> pendingApprovals, List<Candidate> candidates) {

    /** Size of the elite archive. */
    public static final int ARCHIVE_SIZE = 8;

    public static final StudyState EMPTY = new StudyState(null, null, StudyStatus.NEW, null, null, null, 0L, null, 0L,
            Set.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0L, Set.of(), null, null, List.of(), Map.of(), List.of(), null, 0, List.of(),
            null, null, null, null, List.of(), List.of(), List.of());

    public StudyState {
        seenEventIds = Collections.unmodifiableSet(new LinkedHashSet<>(seenEventIds));
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

    /** Mutable working copy for one fold step; never escapes the package. */
    static final class Builder {
        String studyId;
        UUID createdEventId;
        StudyStatus status;
        Objective objective;
        Budget budget;
        String strategy;
        long seed;
        Instant startedAt;
        long eventsApplied;
        final LinkedHashSet<UUID> seenEventIds;
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
        final List<Observation> observations;
        String team;
        String name;
        String createdBy;
        PromotionPolicy promotion;
        List<Control> controls;
        List<PendingApproval> pendingApprovals;
        List<Candidate> candidates;

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
            seenEventIds = new LinkedHashSet<>(s.seenEventIds);
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
            observations = new ArrayList<>(s.observations);
            team = s.team;
            name = s.name;
            createdBy = s.createdBy;
            promotion = s.promotion;
            controls = s.controls;
            pendingApprovals = s.pendingApprovals;
            candidates = s.candidates;
        }

        StudyState build() {
            return new StudyState(studyId, createdEventId, status, objective, budget, strategy, seed, startedAt,
                    eventsApplied, seenEventIds, proposals, proposalsRejected, experimentsStarted, experimentsCompleted,
                    experimentsFailed, evaluations, invalidEvaluations, resumes, strategyRevision, inFlight, bestValue,
                    championProposalId, championHistory, lineage, archive, completionReason, proposalsRequested,
                    observations, team, name, createdBy, promotion, controls, pendingApprovals, candidates);
        }
    }
}
