package dev.seedloop.proposer.application;

import java.util.Objects;

/**
 * One question for a language model. {@code team} owns the stored prompt and answer; {@code model} is a configured
 * model's name (not the vendor's id); {@code sampleKey} tells two samples of the same prompt apart (a study's seed and
 * the proposal's ordinal), so the record of earlier calls answers a replay with the same sample and a new proposal
 * with a fresh one. {@code maxAnswerTokens} and {@code temperature} are what the study asked for; the operator's
 * configured limits still cap them.
 */
public record ModelRequest(String team, String model, String system, String user, int maxAnswerTokens,
                           double temperature, String sampleKey) {

    public ModelRequest {
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(sampleKey, "sampleKey");
        if (maxAnswerTokens < 1) {
            throw new IllegalArgumentException("maxAnswerTokens must be at least 1 but was " + maxAnswerTokens);
        }
    }
}
