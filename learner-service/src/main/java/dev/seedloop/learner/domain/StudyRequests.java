package dev.seedloop.learner.domain;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCreated;

/**
 * What the learner asked the proposer for and what is out: {@code proposalsRequested} counts the ordinals asked for
 * (requests name their ordinals, so the count is order-insensitive), {@code strategyRevision} the latest request's
 * revision, {@code inFlight} the proposals made and not yet evaluated or rejected, in arrival order.
 */
public record StudyRequests(Set<UUID> inFlight, int proposalsRequested, long strategyRevision) {

    public static final StudyRequests EMPTY = new StudyRequests(Set.of(), 0, 0L);

    public StudyRequests {
        inFlight = Collections.unmodifiableSet(new LinkedHashSet<>(inFlight));
    }

    /**
     * The requests after {@code event} (one the study has not seen, and not a second StudyCreated); the same
     * instance when it changes nothing.
     */
    static StudyRequests evolve(StudyRequests r, EventEnvelope event) {
        return switch (event.payload()) {
            // The proposer's first batch, by its documented rule (Proposer.initialBatchSize).
            case StudyCreated c -> new StudyRequests(r.inFlight,
                    Math.min(c.budget().parallelism(), c.budget().maxExperiments()), r.strategyRevision);
            case ProposalCreated p -> r.inFlight.contains(p.proposalId()) ? r
                    : new StudyRequests(with(r.inFlight, p.proposalId(), true), r.proposalsRequested,
                    r.strategyRevision);
            case ProposalRejected p -> r.without(p.proposalId());
            case EvaluationCompleted e -> r.without(e.proposalId());
            case StrategyUpdated u -> new StudyRequests(r.inFlight, Math.max(r.proposalsRequested,
                    u.nextOrdinal() + u.proposalsRequested()), Math.max(r.strategyRevision, u.revision()));
            default -> r;
        };
    }

    private StudyRequests without(UUID proposalId) {
        return inFlight.contains(proposalId)
                ? new StudyRequests(with(inFlight, proposalId, false), proposalsRequested, strategyRevision) : this;
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
