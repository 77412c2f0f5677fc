package dev.seedloop.learner.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.seedloop.events.Budget;
import dev.seedloop.events.Objective;
import dev.seedloop.events.Observation;
import dev.seedloop.events.PromotionPolicy;

/**
 * Everything the learner knows about one study, folded from its events by {@link StudyFold}, in parts that each
 * evolve on their own events: {@link StudySpec} (what the study is), {@link StudyProgress} (status and counts),
 * {@link StudyRequests} (what was asked for, what is in flight, which ordinals are resolved), {@link StudyResults} (champions, lineage, elite
 * archive, latest observations), {@link StudyGovernance} (controls, pending approvals, candidates), {@link ModelUse} (language-model spend, and
 * what an llm study's code proposals did) and {@link
 * AppliedEvents} (the applied event ids, which make the fold idempotent under redelivery). Immutable; a fold step
 * shares the parts an event does not change. Collections keep the order events arrived in, so a replay of the same
 * log yields an equal state (and equal {@code StateJson} bytes).
 *
 * <p>The accessors below read through to the parts, under the names the state had before it was split.
 */
public record StudyState(StudySpec spec, StudyProgress progress, StudyRequests requests, StudyResults results,
                         StudyGovernance governance, ModelUse modelUse, AppliedEvents applied)
        implements StudyBefore {

    /** Size of the elite archive. */
    public static final int ARCHIVE_SIZE = 8;

    /** Observations kept: the most a StrategyUpdated shares with the proposer. */
    public static final int OBSERVATIONS_KEPT = LearnerDecider.MAX_OBSERVATIONS_SHARED;

    public static final StudyState EMPTY = new StudyState(StudySpec.EMPTY, StudyProgress.EMPTY, StudyRequests.EMPTY,
            StudyResults.EMPTY, StudyGovernance.EMPTY, ModelUse.EMPTY, AppliedEvents.EMPTY);

    /** Proposals asked for and not yet evaluated: what occupies the study's parallelism. */
    public int outstanding() {
        return Math.max(0, requests.proposalsRequested() - progress.evaluations() - progress.proposalsRejected());
    }

    public boolean hasSeen(UUID eventId) {
        return applied.hasSeen(eventId);
    }

    @Override
    public Lineage lineageOf(UUID proposalId) {
        return results.lineage().get(proposalId);
    }

    /**
     * Experiments that consumed budget. Both the implementer's outcome events and the
     * evaluations count each experiment once, but they arrive on different topics in no fixed
     * order, so the larger count is the one known to be spent.
     */
    public int budgetUsed() {
        return Math.max(progress.experimentsCompleted() + progress.experimentsFailed(), progress.evaluations());
    }

    /** Experiments the budget still allows, or 0 before StudyCreated. */
    public int remainingBudget() {
        return spec.budget() == null ? 0 : Math.max(0, spec.budget().maxExperiments() - budgetUsed());
    }

    /** The current champion's entry, or null before the first one. */
    public ChampionEntry champion() {
        List<ChampionEntry> history = results.championHistory();
        return history.isEmpty() ? null : history.getLast();
    }

    /** Whether a study exists for {@code team}: created, and by that team. */
    public boolean visibleTo(String team) {
        return spec.created() && spec.team() != null && spec.team().equals(team);
    }

    // The spec.

    public String studyId() {
        return spec.studyId();
    }

    public UUID createdEventId() {
        return spec.createdEventId();
    }

    @Override
    public Objective objective() {
        return spec.objective();
    }

    public Budget budget() {
        return spec.budget();
    }

    public String strategy() {
        return spec.strategy();
    }

    @Override
    public long seed() {
        return spec.seed();
    }

    public Instant startedAt() {
        return spec.startedAt();
    }

    public String team() {
        return spec.team();
    }

    public String name() {
        return spec.name();
    }

    public String createdBy() {
        return spec.createdBy();
    }

    public PromotionPolicy promotion() {
        return spec.promotion();
    }

    public ForkOrigin origin() {
        return spec.origin();
    }

    // The progress.

    public StudyStatus status() {
        return progress.status();
    }

    public String completionReason() {
        return progress.completionReason();
    }

    public int proposals() {
        return progress.proposals();
    }

    public int proposalsRejected() {
        return progress.proposalsRejected();
    }

    public int experimentsStarted() {
        return progress.experimentsStarted();
    }

    public int experimentsCompleted() {
        return progress.experimentsCompleted();
    }

    public int experimentsFailed() {
        return progress.experimentsFailed();
    }

    public int evaluations() {
        return progress.evaluations();
    }

    public int invalidEvaluations() {
        return progress.invalidEvaluations();
    }

    public int resumes() {
        return progress.resumes();
    }

    // The requests.

    public Set<UUID> inFlight() {
        return requests.inFlight();
    }

    public int proposalsRequested() {
        return requests.proposalsRequested();
    }

    public long strategyRevision() {
        return requests.strategyRevision();
    }

    public ResolvedOrdinals resolvedOrdinals() {
        return requests.resolvedOrdinals();
    }

    // The results.

    @Override
    public Double bestValue() {
        return results.bestValue();
    }

    public UUID championProposalId() {
        return results.championProposalId();
    }

    public List<ChampionEntry> championHistory() {
        return results.championHistory();
    }

    public Map<UUID, Lineage> lineage() {
        return results.lineage();
    }

    public List<Elite> archive() {
        return results.archive();
    }

    public List<Observation> observations() {
        return results.observations();
    }

    // The governance.

    public List<Control> controls() {
        return governance.controls();
    }

    public List<PendingApproval> pendingApprovals() {
        return governance.pendingApprovals();
    }

    public List<Candidate> candidates() {
        return governance.candidates();
    }

    // The model use.

    public ModelSpend modelSpend() {
        return modelUse.spend();
    }

    // The applied events.

    public long eventsApplied() {
        return applied.eventsApplied();
    }

    public EventIdSet seenEventIds() {
        return applied.seenEventIds();
    }

    Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Mutable working copy of a study, never escaping the package: {@link StudyFold#evolve} makes one per event,
     * {@link LearnerFold} one per replay. The parts that grow with the log ({@link StudyResults}, {@link
     * AppliedEvents}) are worked on in place; the small ones are replaced by their evolve. {@link #build()} freezes
     * a copy, so a builder can go on folding after it; a part that was not touched is shared, not copied.
     */
    static final class Builder implements StudyBefore {
        StudySpec spec;
        StudyProgress progress;
        StudyRequests requests;
        StudyGovernance governance;
        ModelUse modelUse;
        final AppliedEvents.Builder applied;
        private final StudyResults frozenResults;
        private StudyResults.Builder results;

        Builder(StudyState s) {
            spec = s.spec;
            progress = s.progress;
            requests = s.requests;
            governance = s.governance;
            modelUse = s.modelUse;
            applied = s.applied.toBuilder();
            frozenResults = s.results;
        }

        /** The results to change: copied from the frozen ones on first use. */
        StudyResults.Builder results() {
            if (results == null) {
                results = frozenResults.toBuilder();
            }
            return results;
        }

        /** The lineage to read. */
        Map<UUID, Lineage> lineage() {
            return results != null ? results.lineage : frozenResults.lineage();
        }

        /** The results to read. */
        Champions champions() {
            return results != null ? results : frozenResults;
        }

        boolean hasSeen(UUID eventId) {
            return applied.hasSeen(eventId);
        }

        @Override
        public Lineage lineageOf(UUID proposalId) {
            return results != null ? results.lineage.get(proposalId) : frozenResults.lineage().get(proposalId);
        }

        @Override
        public Double bestValue() {
            return results != null ? results.bestValue : frozenResults.bestValue();
        }

        @Override
        public Objective objective() {
            return spec.objective();
        }

        @Override
        public long seed() {
            return spec.seed();
        }

        StudyState build() {
            return new StudyState(spec, progress, requests, results == null ? frozenResults : results.build(),
                    governance, modelUse, applied.build());
        }
    }
}
