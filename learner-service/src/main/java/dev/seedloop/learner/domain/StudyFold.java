package dev.seedloop.learner.domain;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.PromotionApproved;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.TeamStreams;

/**
 * The study projection: {@code evolve} is total over every event type and idempotent per event id, so the learner
 * can rebuild a study from its stored log at any time and get what it had live. It runs the parts of {@link
 * StudyState} over the event, each on the events it cares about: {@link AppliedEvents} first (a redelivery or an
 * event of a team stream ({@link TeamStreams}) stops here and leaves the state untouched), then {@link StudySpec},
 * {@link StudyProgress}, {@link StudyRequests} (which reads the spec, the progress and the lineage: the creation's
 * id and budget, the ordinals resolved), {@link StudyResults} (which reads the governance and the requests as they
 * were before the event: a ChampionChanged names the evidence and approver the governance holds, a ProposalCreated
 * places the evaluation that overtook it, held in {@link ResolvedOrdinals#unplaced}) and {@link StudyGovernance} (which reads the
 * champion the event crowned), then {@link ModelUse} (which reads the spec: an llm study keeps its proposals'
 * outcomes). A second StudyCreated is counted and otherwise ignored: the first fixed the spec.
 */
public final class StudyFold {

    private StudyFold() {
    }

    /** Folds a sequence of events from {@link StudyState#EMPTY}. */
    public static StudyState replay(Iterable<EventEnvelope> events) {
        StudyState.Builder b = StudyState.EMPTY.toBuilder();
        for (EventEnvelope e : events) {
            apply(b, e);
        }
        return b.build();
    }

    public static StudyState evolve(StudyState state, EventEnvelope event) {
        // Checked before the copy: a redelivery costs a lookup, not a copy of the study.
        if (ignores(state.hasSeen(event.eventId()), event)) {
            return state;
        }
        StudyState.Builder b = state.toBuilder();
        apply(b, event);
        return b.build();
    }

    /** Whether the fold leaves the state as it is: a redelivery, or an event of a team stream. */
    static boolean ignores(boolean seen, EventEnvelope event) {
        return AppliedEvents.ignores(seen, event);
    }

    /** Folds one event into a working state; returns false when it {@link #ignores ignores} it. */
    static boolean apply(StudyState.Builder b, EventEnvelope event) {
        if (!b.applied.apply(event)) {
            return false;
        }
        StudySpec specBefore = b.spec;
        b.spec = StudySpec.evolve(specBefore, event);
        if (event.payload() instanceof StudyCreated && specBefore.created()) {
            return true;
        }
        b.progress = StudyProgress.evolve(b.progress, event);
        StudyRequests requestsBefore = b.requests;
        b.requests = StudyRequests.evolve(requestsBefore, event, b.spec, b.progress, b.lineage());
        ChampionEntry crowned = touchesResults(event)
                ? b.results().apply(event, b.spec, b.governance, requestsBefore, b.applied.eventsApplied) : null;
        b.governance = StudyGovernance.evolve(b.governance, event, b.spec.promotion(), b.champions(), crowned);
        b.modelUse = ModelUse.evolve(b.modelUse, event, b.spec);
        return true;
    }

    /** The events {@link StudyResults} folds: the others share the results instead of copying them. */
    private static boolean touchesResults(EventEnvelope event) {
        return switch (event.payload()) {
            case StudyCreated c -> c.origin() != null;
            case ProposalCreated p -> true;
            case EvaluationCompleted e -> true;
            case ChampionChanged c -> true;
            case PromotionApproved a -> true;
            default -> false;
        };
    }
}
