package dev.seedloop.learner.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import dev.seedloop.events.Direction;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.EventLimits;
import dev.seedloop.events.Objective;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.Observation;
import dev.seedloop.events.Services;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.events.StudyResumed;

/**
 * What the learner says after an event: the decision rules of {@link StudyDecider}, which is how the rest of the
 * learner calls them. Pure: {@code now} is passed in, ids derive from the cause
 * (StudyCompleted's from the study, so a study completes under one id however many evaluations
 * race to end it), and a redelivered cause yields nothing.
 *
 * <p>Decision points are EvaluationCompleted and StudyResumed (without the latter a study paused
 * while its last experiments finished would never be asked for proposals again). At each one,
 * unless the study is halted or already completed:
 * <ol>
 *   <li>StudyCompleted with reason {@code budget-exhausted} (experiments used ≥ maxExperiments),
 *       {@code target-reached} (best value meets the objective's target in its direction) or
 *       {@code wall-time-exhausted} (now − startedAt > maxWallSeconds), checked in that order;</li>
 *   <li>otherwise StrategyUpdated with the bandit's weights and
 *       {@code proposalsRequested = max(0, min(parallelism − inFlight, remaining − inFlight))},
 *       0 while paused. Its revision is evaluations + resumes, which grows at every decision point.</li>
 * </ol>
 */
public final class LearnerDecider {

    public static final String BUDGET_EXHAUSTED = "budget-exhausted";
    public static final String TARGET_REACHED = "target-reached";
    public static final String WALL_TIME_EXHAUSTED = "wall-time-exhausted";

    private LearnerDecider() {
    }

    /**
     * @param before   study state before {@code cause} was folded
     * @param after    study state after {@code cause} was folded
     * @param strategy strategy state after {@code cause} was folded
     * @param sizes    how many bytes a shared observation takes in the event
     */
    public static List<EventEnvelope> decide(StudyState before, StudyState after, StrategyState strategy,
                                             EventEnvelope cause, Instant now, EncodedSize sizes) {
        // A rejected proposal frees its slot without spending budget: ask for a replacement.
        boolean decisionPoint = cause.payload() instanceof EvaluationCompleted || cause.payload() instanceof StudyResumed
                || cause.payload() instanceof ProposalRejected;
        if (!decisionPoint || before.hasSeen(cause.eventId()) || after.budget() == null
                || after.status().isTerminal() || after.status() == StudyStatus.NEW) {
            return List.of();
        }
        String ending = ending(after, now);
        if (ending != null) {
            StudyCompleted completed = new StudyCompleted(ending, after.championProposalId(), after.bestValue(),
                    after.budgetUsed());
            return List.of(cause.caused(EventIds.derived(after.createdEventId(), "study-completed"), now,
                    Services.LEARNER, completed));
        }
        // Counted from the learner's own requests, not from ProposalCreated events: those travel on
        // another topic and may not have arrived yet, which would make the learner ask twice.
        int inFlight = after.outstanding();
        int slots = Math.max(0, Math.min(after.budget().parallelism() - inFlight,
                after.budget().maxExperiments() + after.proposalsRejected() - after.proposalsRequested()));
        boolean paused = after.status() == StudyStatus.PAUSED;
        int requested = paused ? 0 : slots;
        String reason = String.format(Locale.ROOT,
                "%s; evaluations %d, in-flight %d, remaining budget %d; %s; stagnation %d/%d; restart=%s",
                paused ? "paused" : cause.payload() instanceof StudyResumed ? "resumed"
                        : cause.payload() instanceof ProposalRejected ? "proposal rejected" : "evaluation",
                after.evaluations(), inFlight, after.remainingBudget(),
                strategy.improved() ? "improved" : "no improvement", strategy.stagnation(),
                strategy.settings().stagnationLimit(), strategy.restarted());
        StrategyUpdated update = new StrategyUpdated((long) after.evaluations() + after.resumes(), requested,
                strategy.operatorWeights(), reason, after.proposalsRequested(), observationsToShare(after, sizes));
        return List.of(cause.caused(EventIds.derived(cause.eventId(), "strategy-updated"), now, Services.LEARNER,
                update));
    }

    /** The history sent with a request: the most recent observations, enough for every built-in strategy. */
    public static final int MAX_OBSERVATIONS_SHARED = 500;

    /**
     * The most bytes the shared observations may take as JSON: half the largest event anyone may publish, the rest
     * left to the envelope, the weights and the reason. A study with small parameter maps never comes near it (500
     * observations of a dozen parameters take some 100 KB); one with very wide maps shares fewer, the latest.
     */
    public static final int MAX_OBSERVATION_BYTES_SHARED = EventLimits.MAX_EVENT_BYTES / 2;

    private static List<Observation> observationsToShare(StudyState s, EncodedSize sizes) {
        return sizes.latestWithin(s.observations(), MAX_OBSERVATIONS_SHARED, MAX_OBSERVATION_BYTES_SHARED);
    }

    private static String ending(StudyState s, Instant now) {
        if (s.budgetUsed() >= s.budget().maxExperiments()) {
            return BUDGET_EXHAUSTED;
        }
        if (targetReached(s.objective(), s.bestValue())) {
            return TARGET_REACHED;
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
