package dev.seedloop.learner.domain;

import dev.seedloop.events.ModelBudget;
import dev.seedloop.events.ModelCallCompleted;

/**
 * What a study spent on language-model calls, from its ModelCallCompleted events: every call counted ({@code
 * failedCalls} and {@code replayedCalls} among them), tokens and cost as billed. A replayed call (its answer recorded
 * by an earlier call, no model asked) bills nothing: it counts as a call and a replayed call, never in tokens or
 * cost, so a replay of a study spends nothing against its caps.
 */
public record ModelSpend(long calls, long failedCalls, long replayedCalls, long tokensIn, long tokensOut,
                         double costUsd) {

    public static final ModelSpend NONE = new ModelSpend(0, 0, 0, 0, 0, 0.0);

    /** Calls a model was asked for: the ones a cap on calls counts. */
    public long billedCalls() {
        return calls - replayedCalls;
    }

    public long billedTokens() {
        return tokensIn + tokensOut;
    }

    ModelSpend plus(ModelCallCompleted c) {
        boolean billed = !c.replayed();
        return new ModelSpend(calls + 1, failedCalls + (c.answered() ? 0 : 1), replayedCalls + (billed ? 0 : 1),
                tokensIn + (billed ? c.tokensIn() : 0), tokensOut + (billed ? c.tokensOut() : 0),
                costUsd + billedCost(c));
    }

    /** The cost a call bills: its price, or nothing when it was replayed. */
    static double billedCost(ModelCallCompleted c) {
        return c.replayed() ? 0.0 : c.costUsd();
    }

    /**
     * The first cap of {@code budget} this spend has reached (calls, then tokens, then cost), as {@code "<kind>
     * <spent>/<cap>"}; null when none is reached or there is no budget.
     */
    public String capReached(ModelBudget budget) {
        if (budget == null) {
            return null;
        }
        if (budget.maxCalls() != null && billedCalls() >= budget.maxCalls()) {
            return "calls " + billedCalls() + "/" + budget.maxCalls();
        }
        if (budget.maxTokens() != null && billedTokens() >= budget.maxTokens()) {
            return "tokens " + billedTokens() + "/" + budget.maxTokens();
        }
        if (budget.maxCostUsd() != null && costUsd >= budget.maxCostUsd()) {
            return "cost " + Money.usd(costUsd) + "/" + Money.usd(budget.maxCostUsd());
        }
        return null;
    }
}
