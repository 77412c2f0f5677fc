package dev.seedloop.learner.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.Direction;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.Observation;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyHalted;
import dev.seedloop.events.StudyPaused;
import dev.seedloop.events.StudyResumed;
import dev.seedloop.events.Verdict;

/**
 * The study projection: {@code evolve} is total over every event type and idempotent per event
 * id, so the learner can rebuild a study from its stored log at any time and get what it had live.
 */
public final class StudyFold {

    private StudyFold() {
    }

    /** Folds a sequence of events from {@link StudyState#EMPTY}. */
    public static StudyState replay(Iterable<EventEnvelope> events) {
        StudyState state = StudyState.EMPTY;
        for (EventEnvelope e : events) {
            state = evolve(state, e);
        }
        return state;
    }

    public static StudyState evolve(StudyState state, EventEnvelope event) {
        if (state.hasSeen(event.eventId())) {
            return state;
        }
        StudyState.Builder b = state.toBuilder();
        b.seenEventIds.add(event.eventId());
        b.eventsApplied++;
        if (b.studyId == null) {
            b.studyId = event.studyId();
        }
        switch (event.payload()) {
            case StudyCreated c -> {
                // A second StudyCreated would be a gateway bug; the first one fixed the spec.
                if (b.createdEventId == null) {
                    b.createdEventId = event.eventId();
                    b.objective = c.objective();
                    b.budget = c.budget();
                    b.strategy = c.strategy();
                    b.seed = c.seed();
                    b.startedAt = event.occurredAt();
                    // The proposer's first batch, by its documented rule (Proposer.initialBatchSize).
                    b.proposalsRequested = Math.min(c.budget().parallelism(), c.budget().maxExperiments());
                    if (b.status == StudyStatus.NEW) {
                        b.status = StudyStatus.CREATED;
                    }
                }
            }
            case StudyPaused p -> {
                if (b.status == StudyStatus.CREATED || b.status == StudyStatus.RUNNING) {
                    b.status = StudyStatus.PAUSED;
                }
            }
            case StudyResumed r -> {
                if (b.status == StudyStatus.PAUSED) {
                    b.status = StudyStatus.RUNNING;
                    b.resumes++;
                }
            }
            case StudyHalted h -> {
                if (!b.status.isTerminal()) {
                    b.status = StudyStatus.HALTED;
                }
            }
            case StudyCompleted c -> {
                if (!b.status.isTerminal()) {
                    b.status = StudyStatus.COMPLETED;
                    b.completionReason = c.reason();
                }
            }
            case ProposalCreated p -> {
                b.proposals++;
                b.lineage.putIfAbsent(p.proposalId(), new Lineage(p.proposalId(), p.ordinal(), p.operator(), p.parents(),
                        p.parameters()));
                b.inFlight.add(p.proposalId());
                markRunning(b);
            }
            case ProposalRejected r -> {
                b.proposalsRejected++;
                b.inFlight.remove(r.proposalId());
            }
            case ExperimentStarted s -> {
                b.experimentsStarted++;
                markRunning(b);
            }
            case ExperimentCompleted c -> b.experimentsCompleted++;
            case ExperimentFailed f -> b.experimentsFailed++;
            case EvaluationCompleted e -> onEvaluation(b, e);
            case ChampionChanged c -> crown(b, c.proposalId(), c.evaluationId(), c.value());
            case StrategyUpdated u -> {
                b.strategyRevision = Math.max(b.strategyRevision, u.revision());
                // Requests name their ordinals, so the count of ordinals asked for is order-insensitive.
                b.proposalsRequested = Math.max(b.proposalsRequested, u.nextOrdinal() + u.proposalsRequested());
            }
        }
        return b.build();
    }

    private static void markRunning(StudyState.Builder b) {
        if (b.status == StudyStatus.CREATED) {
            b.status = StudyStatus.RUNNING;
        }
    }

    private static void onEvaluation(StudyState.Builder b, EvaluationCompleted e) {
        b.evaluations++;
        b.inFlight.remove(e.proposalId());
        Lineage made = b.lineage.get(e.proposalId());
        if (made != null) {
            Double observed = e.verdict() == Verdict.INVALID || e.summary() == null ? null : e.summary().mean();
            b.observations.add(new Observation(e.proposalId(), made.ordinal(), made.operator(), made.parameters(),
                    observed));
        }
        if (e.verdict() == Verdict.INVALID || e.summary() == null) {
            b.invalidEvaluations++;
            return;
        }
        double value = e.summary().mean();
        Lineage origin = b.lineage.get(e.proposalId());
        b.archive = admit(b.archive, new Elite(e.proposalId(), value, origin == null ? null : origin.operator(),
                b.eventsApplied), b.objective == null ? Direction.MINIMIZE : b.objective.direction());
        if (e.verdict() == Verdict.NEW_CHAMPION) {
            // The evaluation arrives before its ChampionChanged; crowning here lets the learner
            // check the target on the evaluation itself.
            crown(b, e.proposalId(), e.evaluationId(), value);
        }
    }

    private static void crown(StudyState.Builder b, UUID proposalId, UUID evaluationId, double value) {
        for (ChampionEntry c : b.championHistory) {
            if (c.evaluationId().equals(evaluationId)) {
                return;
            }
        }
        b.championProposalId = proposalId;
        b.bestValue = value;
        b.championHistory.add(new ChampionEntry(proposalId, evaluationId, value, b.eventsApplied));
    }

    /** Top {@link StudyState#ARCHIVE_SIZE} by value; a re-evaluated proposal keeps only its latest value. */
    private static List<Elite> admit(List<Elite> archive, Elite candidate, Direction direction) {
        List<Elite> next = new ArrayList<>(archive.size() + 1);
        for (Elite e : archive) {
            if (!e.proposalId().equals(candidate.proposalId())) {
                next.add(e);
            }
        }
        next.add(candidate);
        Comparator<Elite> byValue = Comparator.comparingDouble(Elite::value);
        if (direction == Direction.MAXIMIZE) {
            byValue = byValue.reversed();
        }
        next.sort(byValue.thenComparingLong(Elite::sequence));
        return next.size() > StudyState.ARCHIVE_SIZE ? next.subList(0, StudyState.ARCHIVE_SIZE) : next;
    }
}
