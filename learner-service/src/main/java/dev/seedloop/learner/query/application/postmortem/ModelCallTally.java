package dev.seedloop.learner.query.application.postmortem;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import dev.seedloop.events.ModelCallCompleted;
import dev.seedloop.learner.domain.Money;

/**
 * A study's model calls as the postmortem tells them: the spend in all (calls, replayed and failed ones, billed tokens
 * and cost; a replayed call bills nothing) and per proposal, with the model, template, prompt and answer of its latest
 * call, so a champion's entry says what the model was asked and what it said (both stored as artifacts under their
 * hashes) and what the proposal cost.
 */
final class ModelCallTally {

    /** One proposal's calls. */
    private static final class PerProposal {
        int calls;
        double costUsd;
        long tokens;
        ModelCallCompleted latest;
    }

    private long calls;
    private long replayed;
    private long failed;
    private long tokens;
    private double costUsd;
    private final Map<UUID, PerProposal> byProposal = new HashMap<>();

    void add(ModelCallCompleted c) {
        calls++;
        replayed += c.replayed() ? 1 : 0;
        failed += c.answered() ? 0 : 1;
        double billed = c.replayed() ? 0.0 : c.costUsd();
        tokens += c.billedTokens();
        costUsd += billed;
        PerProposal p = byProposal.computeIfAbsent(c.proposalId(), id -> new PerProposal());
        p.calls++;
        p.costUsd += billed;
        p.tokens += c.billedTokens();
        p.latest = c;
    }

    /** "model spend: 12 calls (1 replayed, 0 failed), 48200 tokens, $0.31"; empty for a study without calls. */
    String total() {
        return calls == 0 ? "" : "model spend: " + calls + " calls (" + replayed + " replayed, " + failed
                + " failed), " + tokens + " tokens, $" + Money.usd(costUsd);
    }

    /**
     * What the model was asked for {@code proposal} and what it cost: "asked small/default (prompt sha256:…, answer
     * sha256:…), 2 calls, 1400 tokens, $0.03"; empty for a proposal without calls.
     */
    String of(UUID proposal) {
        PerProposal p = byProposal.get(proposal);
        if (p == null) {
            return "";
        }
        ModelCallCompleted c = p.latest;
        return "asked " + c.model() + "/" + c.template() + " (prompt " + c.promptHash() + ", answer "
                + (c.answerHash() == null ? "none: " + c.failure() : c.answerHash()) + "), " + p.calls + " call"
                + (p.calls == 1 ? "" : "s") + ", " + p.tokens + " tokens, $" + Money.usd(p.costUsd);
    }
}
