package dev.seedloop.messaging;

import java.time.Duration;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.ProposalCreated;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Every {@code seedloop_*} meter a service exposes on {@code /q/metrics} (ADR 0028, docs/operations.md "Metrics,
 * traces and logs"), named and tagged in this one place so that services cannot drift apart.
 *
 * <p>Tags are closed sets only (event type, strategy, operator, failure reason, verdict, channel, query kind,
 * outcome): never a study id, proposal id or team, each of which would make one time series per study and grow
 * Prometheus without bound.
 *
 * <p>What the loop did is counted where an event is published ({@link #published}, called by {@link OutboundEvents}
 * once the broker has the event): each event type has exactly one producing service, so each service exposes the
 * meters of its own facts without calling anything. A handler retried after a partial publish publishes an event
 * again, and it is counted again: these are counts of publications, which equal facts up to such retries.
 */
@ApplicationScoped
public class SeedloopMeters {

    /** Every event a service published, by its logical type ({@code seedloop.proposal.created}, ...). */
    public static final String EVENTS_PUBLISHED = "seedloop.events.published";
    /** Proposals, by strategy and operator (proposer). */
    public static final String PROPOSALS_CREATED = "seedloop.proposals.created";
    /** Experiments that began running (implementer). */
    public static final String EXPERIMENTS_STARTED = "seedloop.experiments.started";
    /** Experiments that produced metrics (implementer). */
    public static final String EXPERIMENTS_COMPLETED = "seedloop.experiments.completed";
    /** Experiments without a usable result, by {@link dev.seedloop.events.FailureReason} (implementer). */
    public static final String EXPERIMENTS_FAILED = "seedloop.experiments.failed";
    /** Evaluations, by verdict (evaluator). */
    public static final String EVALUATIONS = "seedloop.evaluations";
    /** New champions (evaluator). */
    public static final String CHAMPION_CHANGES = "seedloop.champion.changes";
    /** Failed attempts to handle a record, by channel and failure kind (transient, deterministic). */
    public static final String HANDLER_FAILURES = "seedloop.handler.failures";
    /** Records parked on the dead-letter topic, by channel. */
    public static final String DEAD_LETTERS = "seedloop.dead.letters";
    /** The gateway's request-reply reads of the learner, by query kind and outcome (gateway). */
    public static final String GATEWAY_QUERIES = "seedloop.gateway.queries";
    /** Events appended to the event store, by source (live, history) (learner). */
    public static final String STORE_APPENDED = "seedloop.store.appended";
    /** One append transaction of the event store, by source (learner). */
    public static final String STORE_APPENDS = "seedloop.store.appends";

    private final MeterRegistry registry;

    /** Constructed, not field-injected, so that code run without CDI ({@code ./seedloop bench appends}) can count too. */
    @Inject
    public SeedloopMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts an event the broker acknowledged, and the fact it states when it is one of the loop's. */
    public void published(EventEnvelope event) {
        registry.counter(EVENTS_PUBLISHED, "type", event.type()).increment();
        switch (event.payload()) {
            case ProposalCreated created -> registry.counter(PROPOSALS_CREATED,
                    "strategy", created.strategy(), "operator", created.operator()).increment();
            case ExperimentStarted ignored -> registry.counter(EXPERIMENTS_STARTED).increment();
            case ExperimentCompleted ignored -> registry.counter(EXPERIMENTS_COMPLETED).increment();
            case ExperimentFailed failed -> registry.counter(EXPERIMENTS_FAILED,
                    "reason", tag(failed.reason())).increment();
            case EvaluationCompleted evaluation -> registry.counter(EVALUATIONS,
                    "verdict", tag(evaluation.verdict())).increment();
            case ChampionChanged ignored -> registry.counter(CHAMPION_CHANGES).increment();
            default -> {
            }
        }
    }

    /** One failed attempt of a handler on {@code channel}. */
    public void handlerFailed(String channel, FailureKind kind) {
        registry.counter(HANDLER_FAILURES, "channel", channel, "kind", tag(kind)).increment();
    }

    /** A record of {@code channel} parked on the dead-letter topic. */
    public void deadLettered(String channel) {
        registry.counter(DEAD_LETTERS, "channel", channel).increment();
    }

    /**
     * The timer of the gateway's reads, with the histogram buckets Prometheus needs for quantiles across
     * instances ({@code histogram_quantile}); {@code query} is the query's kind, a closed set.
     */
    public Timer gatewayQuery(String query, String outcome) {
        return Timer.builder(GATEWAY_QUERIES).tag("query", query).tag("outcome", outcome)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
    }

    /** Events one append transaction stored ({@code source}: live or history), and how long it took. */
    public void appended(String source, int events, Duration took) {
        Counter.builder(STORE_APPENDED).tag("source", source).register(registry).increment(events);
        Timer.builder(STORE_APPENDS).tag("source", source).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry).record(took);
    }

    /** An enum constant as a tag value: lower case with dashes, as the events spell it in JSON. */
    static String tag(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
