package dev.seedloop.events;

import java.util.UUID;

/**
 * The proposer asked a language model for a proposal's code (or found the answer recorded): what was asked, of which
 * model, through which template, what it cost, and where the prompt and the answer are stored. Every call is one
 * event, answered or not, so spend is counted from events and a postmortem shows what the model was asked and said.
 *
 * <p>{@code promptHash} and {@code answerHash} name the prompt and the answer as blobs in the artifact store (content
 * addressed, UTF-8 text); {@code answerHash} is null when no answer came. {@code operator} is the proposal's operator
 * (e.g. {@code mutate@small/default}). {@code replayed} is true when the answer was recorded by an earlier call with
 * the same key (model, prompt, sample) and no model was asked: tokens are then those of the recorded call,
 * {@code costUsd} what they cost at the price table (the learner weighs arms by it, so a replay weighs them as the
 * original did) though nothing is billed ({@link #billedCostUsd()}), and latency is zero. {@code failure} says why no usable answer came (retries exhausted, timeout, ...), null when one
 * did; a failed call fails its proposal, never the study. {@code attempts} counts HTTP attempts, retries included.
 *
 * <p>Invariant: counts and cost are non-negative; cost finite; an answered call has an answer hash.
 */
public record ModelCallCompleted(UUID callId, UUID proposalId, int ordinal, String model, String template,
                                 String operator, String promptHash, long promptBytes, @Nullable String answerHash,
                                 long answerBytes, long tokensIn, long tokensOut, long latencyMillis, double costUsd,
                                 int attempts, boolean replayed, @Nullable String failure) implements EventPayload {

    public ModelCallCompleted {
        Checks.notNull(callId, "callId");
        Checks.notNull(proposalId, "proposalId");
        Checks.atLeast(ordinal, 0, "ordinal");
        Checks.notBlank(model, "model");
        Checks.notBlank(template, "template");
        Checks.notBlank(operator, "operator");
        Checks.contentHash(promptHash, "promptHash");
        Checks.atLeast(promptBytes, 0L, "promptBytes");
        if (answerHash != null) {
            Checks.contentHash(answerHash, "answerHash");
        } else if (failure == null) {
            throw new IllegalArgumentException("a call without an answer must say why (failure)");
        }
        Checks.atLeast(answerBytes, 0L, "answerBytes");
        Checks.atLeast(tokensIn, 0L, "tokensIn");
        Checks.atLeast(tokensOut, 0L, "tokensOut");
        Checks.atLeast(latencyMillis, 0L, "latencyMillis");
        if (!(Double.isFinite(costUsd) && costUsd >= 0)) {
            throw new IllegalArgumentException("costUsd must be a non-negative finite number but was " + costUsd);
        }
        Checks.atLeast(attempts, 0, "attempts");
    }

    /** Whether the model gave an answer (usable or not: parsing it is the proposal's business). */
    public boolean answered() {
        return failure == null;
    }

    /** Cost this call counts against a study's budget: none for a replayed answer. */
    public double billedCostUsd() {
        return replayed ? 0 : costUsd;
    }

    /** Tokens this call counts against a study's budget: none for a replayed answer. */
    public long billedTokens() {
        return replayed ? 0 : tokensIn + tokensOut;
    }
}
