package dev.seedloop.proposer.model;

import java.util.Objects;

/**
 * One configured model: its name (what studies and events say), the endpoint and vendor model id, the API key
 * (nullable: servers that need none), the prior weight, the price table in USD per million tokens and the operator's
 * cap on answer tokens. {@link #toString()} leaves the key out, so the record can be logged.
 */
public record ModelEndpoint(String name, String baseUrl, String modelId, String apiKey, double weight,
                            double priceInputPerMillionTokens, double priceOutputPerMillionTokens,
                            int maxAnswerTokens) {

    public ModelEndpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(modelId, "modelId");
        if (!(weight >= 0) || !(priceInputPerMillionTokens >= 0) || !(priceOutputPerMillionTokens >= 0)) {
            throw new IllegalArgumentException("model " + name + ": weight and prices are never negative");
        }
        if (maxAnswerTokens < 1) {
            throw new IllegalArgumentException("model " + name + ": max-answer-tokens must be at least 1");
        }
    }

    /** USD for a call that used these tokens. */
    public double cost(long tokensIn, long tokensOut) {
        return tokensIn * priceInputPerMillionTokens / 1_000_000d + tokensOut * priceOutputPerMillionTokens / 1_000_000d;
    }

    @Override
    public String toString() {
        return "ModelEndpoint[name=" + name + ", baseUrl=" + baseUrl + ", modelId=" + modelId + ", apiKey="
                + (apiKey == null ? "none" : "(set)") + ", weight=" + weight + ", prices=" + priceInputPerMillionTokens
                + "/" + priceOutputPerMillionTokens + ", maxAnswerTokens=" + maxAnswerTokens + "]";
    }
}
