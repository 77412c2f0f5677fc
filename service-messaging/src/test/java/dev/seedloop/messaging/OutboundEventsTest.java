package dev.seedloop.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventLimits;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.StrategyUpdated;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.reactive.messaging.MutinyEmitter;

/** The shared publisher refuses an event too large to travel before anything reaches Kafka. */
class OutboundEventsTest {

    private final RecordingEmitter channel = new RecordingEmitter();
    private final OutboundEvents outbound = new OutboundEvents();

    OutboundEventsTest() {
        outbound.codec = new EventCodec();
    }

    @Test
    void anEventOverTheLimitIsRefusedNamingTypeStudyAndSizeAndNothingOfTheBatchIsSent() {
        EventEnvelope small = SampleEvents.strategyUpdated();
        EventEnvelope huge = withReason(small, "x".repeat(EventLimits.MAX_EVENT_BYTES));
        int size = new EventCodec().encode(huge).length;

        assertThatThrownBy(() -> outbound.publish(channel, List.of(small, huge)).await().indefinitely())
                .isInstanceOf(EventTooLargeException.class)
                .hasMessageContaining("seedloop.strategy.updated")
                .hasMessageContaining(huge.studyId())
                .hasMessageContaining(Integer.toString(size))
                .hasMessageContaining(Integer.toString(EventLimits.MAX_EVENT_BYTES));
        assertThat(channel.sent).as("not even the small event of the batch was sent").isEmpty();
    }

    @Test
    void anEventOfExactlyTheLimitIsSent() {
        EventEnvelope small = SampleEvents.strategyUpdated();
        int base = new EventCodec().encode(withReason(small, "")).length;
        EventEnvelope atLimit = withReason(small, "y".repeat(EventLimits.MAX_EVENT_BYTES - base));
        assertThat(new EventCodec().encode(atLimit)).hasSize(EventLimits.MAX_EVENT_BYTES);

        outbound.publish(channel, List.of(atLimit)).await().indefinitely();

        assertThat(channel.sent).hasSize(1);
    }

    private static EventEnvelope withReason(EventEnvelope sample, String reason) {
        StrategyUpdated s = (StrategyUpdated) sample.payload();
        return new EventEnvelope(UUID.randomUUID(), sample.studyId(), sample.team(), sample.occurredAt(),
                sample.causationId(), sample.correlationId(), sample.producer(),
                new StrategyUpdated(s.revision(), s.proposalsRequested(), Map.copyOf(s.operatorWeights()),
                        reason, s.nextOrdinal(), s.observations()));
    }

    /** Accepts every message at once and remembers it. */
    private static final class RecordingEmitter implements MutinyEmitter<byte[]> {

        final List<Message<? extends byte[]>> sent = new ArrayList<>();

        @Override
        public <M extends Message<? extends byte[]>> Uni<Void> sendMessage(M message) {
            sent.add(message);
            return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Void> send(byte[] payload) {
            return sendMessage(Message.of(payload));
        }

        @Override
        public void sendAndAwait(byte[] payload) {
            send(payload).await().indefinitely();
        }

        @Override
        public Cancellable sendAndForget(byte[] payload) {
            send(payload);
            return () -> { };
        }

        @Override
        public <M extends Message<? extends byte[]>> void send(M message) {
            sendMessage(message);
        }

        @Override
        public <M extends Message<? extends byte[]>> void sendMessageAndAwait(M message) {
            sendMessage(message).await().indefinitely();
        }

        @Override
        public <M extends Message<? extends byte[]>> Cancellable sendMessageAndForget(M message) {
            sendMessage(message);
            return () -> { };
        }

        @Override
        public void complete() {
        }

        @Override
        public void error(Exception e) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean hasRequests() {
            return true;
        }
    }
}
