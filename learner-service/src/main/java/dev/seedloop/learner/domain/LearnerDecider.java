package dev.seedloop.learner.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.seedloop.events.Direction;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.EventLimits;
import dev.seedloop.events.ModelCallCompleted;
import dev.seedloop.events.Objective;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.Services;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyResumed;

/**
 * What the learner says after an event: the decision rules of {@link StudyDecider}, which is how the rest of the
 * learner calls them. Pure: {@code now} is passed in, ids derive from the cause
 * (StudyCompleted's from the study, so a study completes under one id however many evaluations
 * race to end it), and a redelivered cause yields nothing.
 *
 * <p>Decision points are the study's (first) StudyCreated, EvaluationCompleted, ProposalRejected (its slot is asked
 * for again, without spending budget) and StudyResumed (without it a study paused while its last experiments finished
 * would never be asked for proposals again); a ModelCallCompleted is one for ending the study only (a cap reached),
 * never for a request. At each one, unless the study is halted or already completed:
 * <ol>
 *   <li>StudyCompleted with reason {@code budget-exhausted} (experiments used ≥ maxExperiments),
 *       {@code target-reached} (best value meets the objective's target in its direction),
 *       {@code model-budget-exhausted: <calls|tokens|cost> <spent>/<cap>} (the billed model spend reached a cap of
 *       the budget's {@code model}; replayed calls bill nothing) or
 *       {@code wall-time-exhausted} (now − startedAt > maxWallSeconds), checked in that order;</li>
 *   <li>otherwise the requests {@link OrdinalRequests#due} (none while paused), each a StrategyUpdated with id
 *       {@code derived(cause, "strategy-updated:" + nextOrdinal)}: ordinal n once every ordinal ≤ n − parallelism is
 *       resolved, with the results of those ordinals (ADR 0021). The first batch is one request of
 *       {@code min(parallelism, maxExperiments)} from ordinal 0 on StudyCreated. When nothing is due (and the cause is
 *       no creation) one StrategyUpdated asking for nothing, id {@code derived(cause, "strategy-updated")}, with the
 *       bandit's weights. The revision is evaluations + resumes, which grows at every decision point.</li>
 * </ol>
 * Imported studies are recorded as history, never decided about (EventRecorder.recordHistory).
 */
public final class LearnerDecider {

    public static final String BUDGET_EXHAUSTED = "budget-exhausted";
    public static final String TARGET_REACHED = "target-reached";
    public static final String WALL_TIME_EXHAUSTED = "wall-time-exhausted";
    /** Followed by {@code ": <calls|tokens|cost> <spent>/<cap>"}. */
    public static final String MODEL_BUDGET_EXHAUSTED = "model-budget-exhausted";

    private LearnerDecider() {
    }

    /**
     * @param before   study state before {@code cause} was folded
     * @param after    study state after {@code cause} was folded
     * @param strategy strategy state after {@code cause} was folded
     * @param sizes    how many bytes a shared observation takes in the event (histories are cut to fit)
     */
    public static List<EventEnvelope> decide(StudyState before, StudyState after, StrategyState strategy,
                                             EventEnvelope cause, Instant now, EncodedSize sizes) {
        // The study's first StudyCreated asks for its first batch (ADR 0021); a rejected proposal frees its slot
        // without spending budget: its replacement is asked for.
        boolean created = cause.payload() instanceof StudyCreated && cause.eventId().equals(after.createdEventId());
        // A ProposalCreated whose evaluation came first resolves its ordinal only now.
        boolean placesAnEvaluation = cause.payload() instanceof ProposalCreated p
                && before.resolvedOrdinals().unplaced().containsKey(p.proposalId());
        // A model call only ever ends a study (its cap reached): what to ask for next waits for results.
        boolean spends = cause.payload() instanceof ModelCallCompleted;
        boolean decisionPoint = created || placesAnEvaluation || spends
                || cause.payload() instanceof EvaluationCompleted
                || cause.payload() instanceof StudyResumed || cause.payload() instanceof ProposalRejected;
        if (!decisionPoint || before.hasSeen(cause.eventId()) || after.budget() == null
                || after.status().isTerminal() || after.status() == StudyStatus.NEW) {
            return List.of();
        }
        String ending = ending(after, now);
        if (spends && ending == null) {
            return List.of();
        }
        if (ending != null) {
            StudyCompleted completed = new StudyCompleted(ending, after.championProposalId(), after.bestValue(),
                    after.budgetUsed());
            return List.of(cause.caused(EventIds.derived(after.createdEventId(), "study-completed"), now,
                    Services.LEARNER, completed));
        }
        boolean paused = after.status() == StudyStatus.PAUSED;
        List<OrdinalRequests.Request> due = paused ? List.of()
                : OrdinalRequests.due(after, strategy.settings(), sizes);
        long revision = (long) after.evaluations() + after.resumes();
        if (due.isEmpty()) {
            // A creation that asks for nothing (paused at once, or its first batch was made on it before ADR 0021)
            // says nothing; any other decision point still says how the learner sees the study, asking for nothing.
            return created ? List.of() : List.of(cause.caused(EventIds.derived(cause.eventId(), "strategy-updated"),
                    now, Services.LEARNER, new StrategyUpdated(revision, 0, strategy.operatorWeights(),
                            reason(after, strategy, cause, paused, null), after.proposalsRequested(), List.of())));
        }
        List<EventEnvelope> requests = new ArrayList<>(due.size());
        for (OrdinalRequests.Request request : due) {
            StrategyUpdated update = new StrategyUpdated(revision, request.count(), request.operatorWeights(),
                    reason(after, strategy, cause, false, request), request.nextOrdinal(), request.history(),
                    request.notes());
            // One id per cause and ordinal: a redelivered cause asks again under the same ids.
            requests.add(cause.caused(EventIds.derived(cause.eventId(), "strategy-updated:" + request.nextOrdinal()),
                    now, Services.LEARNER, update));
        }
        return requests;
    }

    private static String reason(StudyState after, StrategyState strategy, EventEnvelope cause, boolean paused,
                                 OrdinalRequests.Request request) {
        String what = paused ? "paused" : cause.payload() instanceof StudyCreated ? "first batch"
                : cause.payload() instanceof StudyResumed ? "resumed"
                : cause.payload() instanceof ProposalRejected ? "proposal rejected" : "evaluation";
        String results = request == null ? "" : request.throughOrdinal() < 0 ? "; no results of its own yet"
                : String.format(Locale.ROOT, "; the results through ordinal %d", request.throughOrdinal());
        if (request != null && request.basis() != null) {
            results += "; weights by " + request.basis();
        }
        return String.format(Locale.ROOT,
                "%s%s; evaluations %d, in-flight %d, remaining budget %d; %s; stagnation %d/%d; restart=%s",
                what, results, after.evaluations(), after.outstanding(), after.remainingBudget(),
                strategy.improved() ? "improved" : "no improvement", strategy.stagnation(),
                strategy.settings().stagnationLimit(), strategy.restarted());
    }

    /** The history sent with a request: the most recent observations, enough for every built-in strategy. */
    public static final int MAX_OBSERVATIONS_SHARED = 500;

    /**
     * The most bytes the shared observations may take as JSON: half the largest event anyone may publish, the rest
     * left to the envelope, the weights and the reason. A study with small parameter maps never comes near it (500
     * observations of a dozen parameters take some 100 KB); one with very wide maps shares fewer, the latest.
     */
    public static final int MAX_OBSERVATION_BYTES_SHARED = EventLimits.MAX_EVENT_BYTES / 2;

    private static String ending(StudyState s, Instant now) {
        if (s.budgetUsed() >= s.budget().maxExperiments()) {
            return BUDGET_EXHAUSTED;
        }
        if (targetReached(s.objective(), s.bestValue())) {
            return TARGET_REACHED;
        }
        String cap = s.modelSpend().capReached(s.budget().model());
        if (cap != null) {
            return MODEL_BUDGET_EXHAUSTED + ": " + cap;
        }
        if (s.startedAt() != null
                && Duration.between(s.startedAt(), now).compareTo(Duration.ofSeconds(s.budget().maxWallSeconds())) > 0) {
            return WALL_TIME_EXHAUSTED;
        }
        return null;
    }

    static boolean targetReached(Objective objective, Double best) {
        if (objective == null || objective.target() == null || best == null) {
            return false;
        }
        return objective.direction() == Direction.MINIMIZE ? best <= objective.target() : best >= objective.target();
    }
}
