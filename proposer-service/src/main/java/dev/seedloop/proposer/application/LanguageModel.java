package dev.seedloop.proposer.application;

/**
 * The proposer's one door to language models (ADR 0023): ask a configured model one chat question and get its answer
 * with what it cost. An implementation stores the prompt and the answer as blobs in the artifact store, answers from
 * its record of earlier calls when the same key was asked before (so a replay or a fork calls no model), retries
 * rate limits, server errors and timeouts within the operator's bounds, and never throws for a model's failure: a
 * failed call is a {@link ModelReply} with a failure, which fails one proposal and never the study or the channel.
 */
public interface LanguageModel {

    /** The names of the models the operator configured, in configuration order, each with its prior weight. */
    java.util.Map<String, Double> models();

    /** Asks, or finds the answer recorded. Blocking: call it off the event loop. */
    ModelReply complete(ModelRequest request);
}
