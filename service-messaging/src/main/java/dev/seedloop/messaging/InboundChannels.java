package dev.seedloop.messaging;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.seedloop.events.EventEnvelope;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;

/**
 * The one way a service's {@code @Incoming} method hands records to its handler, so that no failure of one record
 * stops the channel. Per record: decode it (what does not decode is dead-lettered at once, {@link InboundEvents}),
 * run the handler, and when it fails:
 * <ul>
 *   <li>{@linkplain FailureKind#TRANSIENT transient} (a broker or database that is down, a timeout, a view still
 *   catching up): retry with exponential backoff for as long as the channel's transient policy says (a day by
 *   default), so the record is processed once the dependency is back;</li>
 *   <li>{@linkplain FailureKind#DETERMINISTIC deterministic} (it will fail again with this record): retry a few times,
 *   then park the record on the dead-letter topic, byte for byte, with the reason, and go on with the next one.</li>
 * </ul>
 * While a record is being retried the readiness check {@link ChannelHealth} is DOWN and names the channel, the record
 * and the reason; it is UP again once the record is processed or parked. The returned Uni (or the blocking call)
 * completes only then, so the record's offset is committed after it is done with. The retries are SmallRye Fault
 * Tolerance guards built per channel from {@link MessagingConfig} ({@code seedloop.messaging.channels.<channel>.*}).
 *
 * <p>Usage, with the channel's name as in {@code @Incoming}:
 * <pre>{@code
 * @Incoming("strategy-in") @Blocking              // a handler that blocks (waits for views, runs experiments)
 * public void onStrategy(ConsumerRecord<String, byte[]> record) {
 *     channels.processBlocking("strategy-in", record, this::handle);
 * }
 * @Incoming("studies-in")                         // a non-blocking handler (stays on its Vert.x context)
 * public Uni<Void> onStudy(ConsumerRecord<String, byte[]> record) {
 *     return channels.process("studies-in", record, this::handle);
 * }
 * @Incoming("events-in")                          // batch = true
 * public Uni<Void> onEvents(ConsumerRecords<String, byte[]> records) {
 *     return channels.processBatch("events-in", records, this::handleAll);
 * }
 * }</pre>
 * Handlers must be idempotent (they already are: at-least-once delivery): a retry runs the handler again from the
 * start, including whatever part of its work succeeded the time before. What still escapes (the dead-letter topic
 * itself unreachable for the whole transient budget) goes to the channel's SmallRye {@code failure-strategy}, which
 * services set to {@code fail} explicitly: the record stays uncommitted and is redelivered after a restart.
 */
@ApplicationScoped
public class InboundChannels {

    private static final Logger LOG = Logger.getLogger(InboundChannels.class);
    private static final TypeLiteral<Uni<Void>> UNI = new TypeLiteral<>() {
    };

    @Inject
    InboundEvents inbound;

    @Inject
    DeadLetters deadLetters;

    @Inject
    ChannelHealth health;

    @Inject
    MessagingConfig config;

    @Inject
    SeedloopMeters meters;

    @Inject
    BatchTraces traces;

    /** Named as the consumer in dead letters. */
    @ConfigProperty(name = "quarkus.application.name")
    String consumer;

    private final Map<String, Guards> guards = new ConcurrentHashMap<>();

    /** One record on a channel whose method returns a Uni; retries keep the caller's Vert.x context. */
    public Uni<Void> process(String channel, ConsumerRecord<String, byte[]> record,
            Function<EventEnvelope, Uni<Void>> handler) {
        return StudyLogContext.around(record.key(), () -> {
            InboundEvents.Decoded decoded = inbound.decode(record);
            if (decoded.failure() != null) {
                return park(channel, record, decoded.failure(), 0);
            }
            return guarded(channel, coordinates(record), () -> handler.apply(decoded.event()),
                    (failure, attempts) -> park(channel, record, failure, attempts));
        });
    }

    /**
     * One record that is not a single event (an import slice carries many): the handler reads the record itself and
     * decides what does not decode; it gets the same retries, and the record is parked when they give up.
     */
    public Uni<Void> processRecord(String channel, ConsumerRecord<String, byte[]> record,
            Function<ConsumerRecord<String, byte[]>, Uni<Void>> handler) {
        return StudyLogContext.around(record.key(), () -> guarded(channel, coordinates(record),
                () -> handler.apply(record), (failure, attempts) -> park(channel, record, failure, attempts)));
    }

    /**
     * One record on a {@code @Blocking} channel: the handler's Uni is awaited on the calling worker thread, and so
     * are the waits between attempts. Returns once the record is processed or parked.
     */
    public void processBlocking(String channel, ConsumerRecord<String, byte[]> record,
            Function<EventEnvelope, Uni<Void>> handler) {
        StudyLogContext.run(record.key(), () -> {
            InboundEvents.Decoded decoded = inbound.decode(record);
            if (decoded.failure() != null) {
                park(channel, record, decoded.failure(), 0).await().indefinitely();
                return;
            }
            guardedBlocking(channel, record, () -> handler.apply(decoded.event()).await().indefinitely());
        });
    }

    /**
     * A poll's worth of records (a channel with {@code batch=true}), handled together as long as that works. A batch
     * that fails for good (deterministically, or transiently beyond the budget) is handled again record by record,
     * each with the channel's policy, so only the records that fail by themselves are parked. The log's study id is
     * the batch's when all its records are of one study, and each record's while batches are redone one by one.
     */
    public Uni<Void> processBatch(String channel, Iterable<ConsumerRecord<String, byte[]>> records,
            Function<List<EventEnvelope>, Uni<Void>> handler) {
        return StudyLogContext.around(commonKey(records), () -> handleBatch(channel, records, handler));
    }

    private Uni<Void> handleBatch(String channel, Iterable<ConsumerRecord<String, byte[]>> records,
            Function<List<EventEnvelope>, Uni<Void>> handler) {
        List<InboundEvents.Received> decodable = new ArrayList<>();
        Uni<Void> undecodable = Uni.createFrom().voidItem();
        for (ConsumerRecord<String, byte[]> record : records) {
            InboundEvents.Decoded decoded = inbound.decode(record);
            if (decoded.failure() != null) {
                undecodable = undecodable.chain(() -> park(channel, record, decoded.failure(), 0));
            } else {
                decodable.add(new InboundEvents.Received(record, decoded.event()));
            }
        }
        decodable.forEach(one -> traces.remember(one.event().eventId(), one.record()));
        List<UUID> handled = decodable.stream().map(one -> one.event().eventId()).toList();
        return undecodable.replaceWith(decodable).chain(received -> {
            if (received.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            List<EventEnvelope> events = received.stream().map(InboundEvents.Received::event).toList();
            String where = coordinates(received.getFirst().record()) + " and " + (received.size() - 1) + " more";
            return guarded(channel, where, () -> handler.apply(events), (failure, attempts) -> {
                LOG.warnf("channel %s: the batch at %s failed for good (%s); handling its %d records one by one",
                        channel, where, ChannelHealth.reason(failure), received.size());
                Uni<Void> oneByOne = Uni.createFrom().voidItem();
                for (InboundEvents.Received one : received) {
                    oneByOne = oneByOne.chain(() -> StudyLogContext.around(one.event().studyId(),
                            () -> guarded(channel, coordinates(one.record()), () -> handler.apply(List.of(one.event())),
                                    (last, tries) -> park(channel, one.record(), last, tries))));
                }
                return oneByOne;
            });
        }).onTermination().invoke(() -> traces.forget(handled));
    }

    /** The key all the records share (their study), or null when they are of several studies. */
    private static String commonKey(Iterable<ConsumerRecord<String, byte[]>> records) {
        String key = null;
        for (ConsumerRecord<String, byte[]> record : records) {
            if (key == null) {
                key = record.key();
            } else if (!key.equals(record.key())) {
                return null;
            }
        }
        return key;
    }

    private Uni<Void> guarded(String channel, String where,
            Supplier<Uni<Void>> work, BiFunction<Throwable, Integer, Uni<Void>> giveUp) {
        Guards guard = guards(channel);
        AtomicInteger attempts = new AtomicInteger();
        Supplier<Uni<Void>> attempt = () -> Uni.createFrom().<Void>deferred(work::get)
                .onFailure().invoke(failure -> failed(channel, where, guard, attempts.incrementAndGet(), failure));
        return Uni.createFrom().deferred(() -> guard.transientAsync.get(() -> guard.deterministicAsync.get(attempt)))
                .onItem().invoke(() -> recovered(channel, where, attempts.get()))
                .onFailure().recoverWithUni(failure -> giveUp.apply(failure, attempts.get())
                        .invoke(() -> health.settled(channel, where)))
                .onFailure().invoke(failure -> LOG.errorf(failure, "channel %s: %s could neither be processed nor "
                        + "parked; the channel's failure strategy takes over", channel, where));
    }

    /**
     * Work on behalf of a channel that is not one of its records (what a service still owes after a restart or a
     * resume): retried under the channel's policy, and shown by readiness under the channel's name while it fails.
     * There is no record to park: when the policy gives up, the last failure is thrown. Blocking.
     */
    public void runBlocking(String channel, String what, Runnable work) {
        try {
            attemptBlocking(channel, what, work);
        } catch (GaveUp gaveUp) {
            health.settled(channel, what);
            throw gaveUp.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException(gaveUp.getCause());
        }
    }

    private void guardedBlocking(String channel, ConsumerRecord<String, byte[]> record, Runnable work) {
        String where = coordinates(record);
        int attempts;
        try {
            attemptBlocking(channel, where, work);
            return;
        } catch (GaveUp failure) {
            attempts = failure.attempts;
            if (Thread.currentThread().isInterrupted() || failure.getCause() instanceof InterruptedException) {
                // Shutting down: leave the record uncommitted, to be redelivered, rather than park it.
                throw new IllegalStateException("channel " + channel + " stopped while handling " + where,
                        failure.getCause());
            }
            try {
                park(channel, record, failure.getCause(), attempts).await().indefinitely();
            } catch (RuntimeException parkFailure) {
                LOG.errorf(parkFailure, "channel %s: %s could neither be processed nor parked; the channel's failure "
                        + "strategy takes over", channel, where);
                throw parkFailure;
            }
            health.settled(channel, where);
        }
    }

    /** Runs {@code work} under the channel's guards on this thread; the failure it gives up with, with its count. */
    private void attemptBlocking(String channel, String where, Runnable work) throws GaveUp {
        Guards guard = guards(channel);
        AtomicInteger attempts = new AtomicInteger();
        try {
            guard.transientSync.call(() -> guard.deterministicSync.call(() -> {
                try {
                    work.run();
                    return null;
                } catch (RuntimeException failure) {
                    failed(channel, where, guard, attempts.incrementAndGet(), failure);
                    throw failure;
                }
            }));
        } catch (Exception failure) {
            throw new GaveUp(failure, attempts.get());
        }
        recovered(channel, where, attempts.get());
    }

    /** A blocking run the guards gave up on: the last failure and how many attempts failed. */
    private static final class GaveUp extends Exception {

        final int attempts;

        GaveUp(Throwable last, int attempts) {
            super(last);
            this.attempts = attempts;
        }
    }

    /**
     * Parks the record with its last failure (for a record that does not decode, {@code attempts} is 0 and no
     * channel header is written); a broker that refuses it for now is retried like any transient failure.
     */
    private Uni<Void> park(String channel, ConsumerRecord<String, byte[]> record, Throwable failure, int attempts) {
        Guards guard = guards(channel);
        return Uni.createFrom().deferred(() -> guard.transientAsync.get(() -> attempts == 0
                ? deadLetters.park(record, failure, consumer)
                : deadLetters.park(record, failure, consumer, channel, attempts)))
                .invoke(() -> meters.deadLettered(channel));
    }

    private void failed(String channel, String where, Guards guard, int attempt, Throwable failure) {
        FailureKind kind = FailureKind.of(failure, guard.extraTransientTypes);
        health.failed(channel, where, kind, attempt, failure);
        meters.handlerFailed(channel, kind);
        LOG.warnf("channel %s: attempt %d at %s failed (%s): %s", channel, attempt, where,
                kind.name().toLowerCase(), ChannelHealth.reason(failure));
    }

    private void recovered(String channel, String where, int failedAttempts) {
        health.settled(channel, where);
        if (failedAttempts > 0) {
            LOG.infof("channel %s: %s processed after %d failed attempt(s)", channel, where, failedAttempts);
        }
    }

    private static String coordinates(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private Guards guards(String channel) {
        return guards.computeIfAbsent(channel, name -> new Guards(name, config.channels().get(name)));
    }

    /** A channel's retries as SmallRye Fault Tolerance guards: transient outside, deterministic inside. */
    private static final class Guards {

        final Set<String> extraTransientTypes;
        final TypedGuard<Uni<Void>> transientAsync;
        final TypedGuard<Uni<Void>> deterministicAsync;
        final TypedGuard<Void> transientSync;
        final TypedGuard<Void> deterministicSync;

        Guards(String channel, MessagingConfig.ChannelPolicy policy) {
            MessagingConfig.TransientPolicy transientPolicy = policy.transientFailures();
            MessagingConfig.DeterministicPolicy deterministicPolicy = policy.deterministicFailures();
            extraTransientTypes = transientPolicy.extraTypes().orElse(Set.of());
            transientAsync = transientGuard(TypedGuard.create(UNI), channel, transientPolicy);
            deterministicAsync = deterministicGuard(TypedGuard.create(UNI), channel, deterministicPolicy);
            transientSync = transientGuard(TypedGuard.create(Void.class), channel, transientPolicy);
            deterministicSync = deterministicGuard(TypedGuard.create(Void.class), channel, deterministicPolicy);
        }

        private <T> TypedGuard<T> transientGuard(TypedGuard.Builder<T> builder, String channel,
                MessagingConfig.TransientPolicy policy) {
            long initial = policy.initialDelay().toMillis();
            return builder.withDescription(channel + " (transient failures)")
                    .withRetry()
                    .maxRetries(-1)
                    .delay(initial, ChronoUnit.MILLIS)
                    .jitter(initial / 4, ChronoUnit.MILLIS)
                    .maxDuration(policy.maxDuration().toMillis(), ChronoUnit.MILLIS)
                    .whenException(failure -> FailureKind.of(failure, extraTransientTypes) == FailureKind.TRANSIENT)
                    .withExponentialBackoff()
                    .factor(2)
                    .maxDelay(Math.max(initial, policy.maxDelay().toMillis()), ChronoUnit.MILLIS)
                    .done()
                    .done()
                    .build();
        }

        private <T> TypedGuard<T> deterministicGuard(TypedGuard.Builder<T> builder, String channel,
                MessagingConfig.DeterministicPolicy policy) {
            Duration delay = policy.delay();
            return builder.withDescription(channel + " (deterministic failures)")
                    .withRetry()
                    .maxRetries(policy.maxRetries())
                    .delay(delay.toMillis(), ChronoUnit.MILLIS)
                    .jitter(0, ChronoUnit.MILLIS)
                    .whenException(failure -> FailureKind.of(failure, extraTransientTypes) == FailureKind.DETERMINISTIC)
                    .done()
                    .build();
        }
    }

}
