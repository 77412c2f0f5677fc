package dev.seedloop.learner.domain;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCreated;

/**
 * What the learner asked the proposer for and what is out: {@code proposalsRequested} counts the ordinals asked for
 * by the learner's own StrategyUpdated events (requests name their ordinals, so the count is order-insensitive; in a
 * log from before ADR 0021 also the first batch the proposer made on StudyCreated by itself), {@code
 * strategyRevision} the latest request's revision, {@code inFlight} the proposals made and not yet evaluated or
 * rejected, in arrival order, and {@code resolvedOrdinals} the ordinals evaluated or rejected, which the next
 * request waits for ({@link OrdinalRequests}).
 */
public record StudyRequests(Set<UUID> inFlight, int proposalsRequested, long strategyRevision,
                            ResolvedOrdinals resolvedOrdinals) {

    public static final StudyRequests EMPTY = new StudyRequests(Set.of(), 0, 0L, ResolvedOrdinals.NONE);

    public StudyRequests {
        inFlight = Collections.unmodifiableSet(new LinkedHashSet<>(inFlight));
    }

    /**
     * The requests after {@code event} (one the study has not seen, and not a second StudyCreated); the same
     * instance when it changes nothing. Read-only inputs: {@code spec} and {@code progress} after the event (the
     * creation's id and budget, the proposals counted), {@code lineage} the results' lineage before it (the ordinal
     * of an evaluated or rejected proposal).
     */
    static StudyRequests evolve(StudyRequests r, EventEnvelope event, StudySpec spec, StudyProgress progress,
                                Map<UUID, Lineage> lineage) {
        return switch (event.payload()) {
            // The learner asks for the first batch itself (ADR 0021); proposals folded before their StudyCreated
            // come from a log where the proposer made it on StudyCreated by its own rule.
            case StudyCreated c -> progress.proposals() + progress.proposalsRejected() > 0
                    ? r.firstBatchMadeOnCreation(spec) : r;
            case ProposalCreated p -> r.onProposal(event, p, spec, lineage);
            case ProposalRejected p -> r.firstBatchIfCausedByTheCreation(event, spec).without(p.proposalId())
                    .resolve(p.proposalId(), event, lineage);
            case EvaluationCompleted e -> r.onEvaluation(event, e, lineage);
            case StrategyUpdated u -> new StudyRequests(r.inFlight, Math.max(r.proposalsRequested,
                    u.nextOrdinal() + u.proposalsRequested()), Math.max(r.strategyRevision, u.revision()),
                    r.resolvedOrdinals);
            default -> r;
        };
    }

    private StudyRequests onProposal(EventEnvelope event, ProposalCreated p, StudySpec spec,
                                     Map<UUID, Lineage> lineage) {
        StudyRequests r = firstBatchIfCausedByTheCreation(event, spec);
        if (!resolvedOrdinals.unplaced().containsKey(p.proposalId())) {
            return r.inFlight.contains(p.proposalId()) ? r
                    : new StudyRequests(with(r.inFlight, p.proposalId(), true), r.proposalsRequested,
                    r.strategyRevision, r.resolvedOrdinals);
        }
        // Its evaluation came first: the proposal is evaluated already, and its ordinal resolved now.
        StudyRequests placed = new StudyRequests(r.inFlight, r.proposalsRequested, r.strategyRevision,
                r.resolvedOrdinals.placed(p.proposalId()));
        Lineage known = lineage.get(p.proposalId());
        if (known == null || known.inheritedFrom() == null) {
            return placed.withResolved(known == null ? p.ordinal() : known.ordinal());
        }
        return placed.resolveByIdRule(p.proposalId(), event);
    }

    private StudyRequests onEvaluation(EventEnvelope event, EvaluationCompleted e, Map<UUID, Lineage> lineage) {
        StudyRequests r = without(e.proposalId());
        if (lineage.containsKey(e.proposalId())) {
            return r.resolve(e.proposalId(), event, lineage);
        }
        // Read before its ProposalCreated (another topic): its ordinal is unknown until that comes.
        Double observed = StudyProgress.invalid(e) ? null : e.summary().mean();
        return new StudyRequests(r.inFlight, r.proposalsRequested, r.strategyRevision,
                r.resolvedOrdinals.waiting(e.proposalId(), new ResolvedOrdinals.Result(e.verdict(), observed)));
    }

    private StudyRequests firstBatchIfCausedByTheCreation(EventEnvelope event, StudySpec spec) {
        return spec.createdEventId() != null && spec.createdEventId().equals(event.causationId())
                ? firstBatchMadeOnCreation(spec) : this;
    }

    /**
     * A log from before ADR 0021: the proposer made the study's first batch on StudyCreated by its own rule,
     * {@code min(parallelism, maxExperiments)} from ordinal 0, with no StrategyUpdated asking for it. Recognised from
     * the log itself (a proposal caused by the StudyCreated, or folded before it), it counts as requested, so such a
     * log replays to the state it always did.
     */
    private StudyRequests firstBatchMadeOnCreation(StudySpec spec) {
        int requested = Math.max(proposalsRequested,
                Math.min(spec.budget().parallelism(), spec.budget().maxExperiments()));
        return requested == proposalsRequested ? this
                : new StudyRequests(inFlight, requested, strategyRevision, resolvedOrdinals);
    }

    /**
     * The proposal's ordinal is resolved (evaluated or rejected). Its ordinal is in the lineage once its
     * ProposalCreated is folded (an evaluation that overtakes it waits in {@link ResolvedOrdinals#unplaced}); a
     * rejected proposal has none, so its ordinal is found by the proposer's id rule.
     */
    private StudyRequests resolve(UUID proposalId, EventEnvelope event, Map<UUID, Lineage> lineage) {
        Lineage own = lineage.get(proposalId);
        if (own != null && own.inheritedFrom() == null) {
            return withResolved(own.ordinal());
        }
        return resolveByIdRule(proposalId, event);
    }

    /**
     * The proposer names a proposal {@code derived(correlation, "proposal:" + ordinal)}, the correlation of the
     * request, which every event it caused shares: the ordinal is found among those asked for and unresolved.
     */
    private StudyRequests resolveByIdRule(UUID proposalId, EventEnvelope event) {
        for (int ordinal = resolvedOrdinals.below(); ordinal < proposalsRequested; ordinal++) {
            if (!resolvedOrdinals.contains(ordinal)
                    && EventIds.derived(event.correlationId(), "proposal:" + ordinal).equals(proposalId)) {
                return withResolved(ordinal);
            }
        }
        return this;
    }

    private StudyRequests withResolved(int ordinal) {
        ResolvedOrdinals next = resolvedOrdinals.with(ordinal);
        return next == resolvedOrdinals ? this : new StudyRequests(inFlight, proposalsRequested, strategyRevision, next);
    }

    private StudyRequests without(UUID proposalId) {
        return inFlight.contains(proposalId) ? new StudyRequests(with(inFlight, proposalId, false), proposalsRequested,
                strategyRevision, resolvedOrdinals) : this;
    }

    private static Set<UUID> with(Set<UUID> set, UUID id, boolean add) {
        LinkedHashSet<UUID> next = new LinkedHashSet<>(set);
        if (add) {
            next.add(id);
        } else {
            next.remove(id);
        }
        return next;
    }
}
