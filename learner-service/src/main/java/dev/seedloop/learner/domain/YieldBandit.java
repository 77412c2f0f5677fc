package dev.seedloop.learner.domain;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.seedloop.events.Direction;
import dev.seedloop.events.Observation;

/**
 * The operator weights of an llm study: each arm (a proposal's {@code operator}, e.g. {@code mutate@small/default},
 * so the model and the template are chosen with the move) is weighted by its measured yield, the improvement its
 * children made over their parents per unit of what they cost. A function of a request's history alone (results by
 * ordinal, ADR 0021) and of the calls folded for those proposals, so it is deterministic and needs no sampling.
 *
 * <ul>
 *   <li><b>Gain</b> of a result: how much its value beats its reference, in the objective's direction, scaled by the
 *       spread of the valid values in the history (so gains are in [0, 1] whatever the metric's units). The
 *       reference is the value of its first parent when the history has it, else the best value before it in the
 *       history (a proposal from the study's own code competes with the incumbent); the first value has none and
 *       gains 0. A worse, failed or invalid child gains 0: selection keeps the parent, so such a child lost exactly
 *       what it cost, and its cost already lowers its arm's yield. A negative penalty would make one crash outweigh
 *       real improvements of the same arm, and would punish failures twice.</li>
 *   <li><b>Cost</b> of a result: the price of its proposal's calls as they state it ({@code costUsd}, a replayed
 *       call's too, though it bills nothing: a same-seed copy must weigh as its original did); when the history
 *       priced nothing (free local models, or replayed calls that state no price) its calls instead (at least one: a
 *       proposal always took a turn).</li>
 *   <li><b>Smoothing:</b> each arm starts with {@link #PRIOR_TRIALS} pseudo-results at the pooled yield of all arms
 *       (each costing the mean cost of a result), so an arm seen once is not judged by one draw; the weights are
 *       then mixed with a uniform {@link #EXPLORATION} share, so a rare or unlucky arm keeps being tried. With no
 *       gain anywhere every arm weighs the same. Arms the history does not name are not in the weights: the
 *       proposer tries them with its own prior.</li>
 * </ul>
 */
public final class YieldBandit {

    /** Pseudo-results at the pooled yield each arm starts with. */
    static final double PRIOR_TRIALS = 2.0;
    /** The share of the weight spread evenly over the arms, so none is starved. */
    static final double EXPLORATION = 0.2;

    /** The weights and what they are based on, for the request's reason. */
    public record Weights(Map<String, Double> operatorWeights, String basis) {
    }

    /**
     * One arm's tally over a history: results, their scaled gain and cost, how many improved on their reference
     * and by how much in the metric's own units ({@code improvement}), how many failed (no value).
     */
    record Arm(int trials, double gain, double cost, int improved, double improvement, int failed) {
        static final Arm NONE = new Arm(0, 0, 0, 0, 0, 0);

        Arm plus(double resultGain, double resultCost, double spread, boolean resultFailed) {
            return new Arm(trials + 1, gain + resultGain, cost + resultCost, improved + (resultGain > 0 ? 1 : 0),
                    improvement + resultGain * spread, failed + (resultFailed ? 1 : 0));
        }
    }

    private YieldBandit() {
    }

    /** The arms of the study's own results in {@code history}, in operator order; empty when it has none. */
    static TreeMap<String, Arm> tally(StudyState s, List<Observation> history) {
        return tally(s, history, inDollars(s, history));
    }

    private static TreeMap<String, Arm> tally(StudyState s, List<Observation> history, boolean billed) {
        Direction direction = s.objective() == null ? Direction.MINIMIZE : s.objective().direction();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        Map<UUID, Double> values = new HashMap<>();
        for (Observation o : history) {
            if (o.value() != null) {
                min = Math.min(min, o.value());
                max = Math.max(max, o.value());
                values.put(o.proposalId(), o.value());
            }
        }
        double spread = max > min ? max - min : 1.0;
        TreeMap<String, Arm> arms = new TreeMap<>();
        Double best = null;
        for (Observation o : history) {
            if (own(s, o)) {
                Double reference = o.parents().isEmpty() ? null : values.get(o.parents().getFirst());
                if (reference == null && !o.parents().isEmpty()) {
                    Lineage parent = s.lineage().get(o.parents().getFirst());
                    reference = parent == null || parent.inheritedFrom() == null ? null : parent.value();
                }
                if (reference == null) {
                    reference = best;
                }
                double gain = o.value() == null || reference == null ? 0.0
                        : Math.max(0.0, (direction == Direction.MINIMIZE ? reference - o.value()
                        : o.value() - reference) / spread);
                ProposalOutcome outcome = s.modelUse().of(o.proposalId());
                double cost = billed ? outcome.costUsd() : Math.max(1, outcome.calls());
                arms.put(o.operator(), arms.getOrDefault(o.operator(), Arm.NONE).plus(gain, cost, spread,
                        o.value() == null));
            }
            if (o.value() != null && (best == null || direction.isBetter(o.value(), best))) {
                best = o.value();
            }
        }
        return arms;
    }

    /** Whether the cost unit over {@code history} is dollars (else calls): whether any of its calls had a price. */
    static boolean inDollars(StudyState s, List<Observation> history) {
        for (Observation o : history) {
            if (own(s, o) && s.modelUse().of(o.proposalId()).costUsd() > 0) {
                return true;
            }
        }
        return false;
    }

    /** The weights for a request with {@code history}; null when the history has no result of the study's own. */
    public static Weights weigh(StudyState s, List<Observation> history) {
        boolean dollars = inDollars(s, history);
        TreeMap<String, Arm> arms = tally(s, history, dollars);
        if (arms.isEmpty()) {
            return null;
        }
        double gains = 0;
        double costs = 0;
        int trials = 0;
        for (Arm a : arms.values()) {
            gains += a.gain();
            costs += a.cost();
            trials += a.trials();
        }
        double meanCost = costs / trials;
        double pooled = costs > 0 ? gains / costs : 0.0;
        Map<String, Double> yields = new LinkedHashMap<>();
        double total = 0;
        for (Map.Entry<String, Arm> e : arms.entrySet()) {
            Arm a = e.getValue();
            double y = (a.gain() + PRIOR_TRIALS * meanCost * pooled) / (a.cost() + PRIOR_TRIALS * meanCost);
            yields.put(e.getKey(), y);
            total += y;
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : yields.entrySet()) {
            double exploit = total > 0 ? e.getValue() / total : 1.0 / arms.size();
            weights.put(e.getKey(), (1 - EXPLORATION) * exploit + EXPLORATION / arms.size());
        }
        StringBuilder basis = new StringBuilder("yield per ").append(dollars ? "usd" : "call").append(':');
        arms.forEach((op, a) -> basis.append(String.format(Locale.ROOT, " %s gain %.4g/cost %s over %d",
                op, a.gain(), dollars ? Money.usd(a.cost()) : String.valueOf((long) a.cost()), a.trials())));
        basis.append(String.format(Locale.ROOT, " (prior %.0f at pooled %.4g, exploration %.0f%%)", PRIOR_TRIALS,
                pooled, EXPLORATION * 100));
        return new Weights(weights, basis.toString());
    }

    private static boolean own(StudyState s, Observation o) {
        Lineage l = s.lineage().get(o.proposalId());
        return l != null && l.inheritedFrom() == null;
    }
}
