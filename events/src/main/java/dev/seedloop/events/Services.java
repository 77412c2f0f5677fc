package dev.seedloop.events;

/**
 * Service names used as {@link EventEnvelope#producer()} and in the registry's producer/consumer
 * columns. They are stable identifiers, not host names.
 */
public final class Services {

    public static final String GATEWAY = "gateway";
    public static final String PROPOSER = "proposer-service";
    public static final String IMPLEMENTER = "implementer-service";
    public static final String EVALUATOR = "evaluator-service";
    public static final String LEARNER = "learner-service";

    private Services() {
    }
}
