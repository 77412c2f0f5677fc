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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.reactive.messaging.MutinyEmitter;

/** The shared publisher refuses an event too large to travel before anything reaches Kafka. */
class OutboundEventsTest {

    private final RecordingEmitter channel = new RecordingEmitter();
    private final OutboundEvents outbound = new OutboundEvents();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    OutboundEventsTest() {
        outbound.codec = new EventCodec();
        outbound.meters = new SeedloopMeters(registry);
        outbound.traces = new BatchTraces();
    }

    /** Each service's facts are counted where it publishes them, tagged by closed sets only (ADR 0028). */
    @Test
    void publishedEventsAreCountedByTypeAndTheLoopsFactsWithTheirLowCardinalityTags() {
        outbound.publish(channel, List.of(SampleEvents.proposalCreated(), SampleEvents.experimentFailed(),
                SampleEvents.experimentFailed(), SampleEvents.evaluationCompleted())).await().indefinitely();
        outbound.publishInOrder(channel, List.of(SampleEvents.championChanged()), sent -> { }).await().indefinitely();

        assertThat(count(SeedloopMeters.EVENTS_PUBLISHED, "type", "seedloop.experiment.failed")).isEqualTo(2);
        assertThat(count(SeedloopMeters.EVENTS_PUBLISHED, "type", "seedloop.champion.changed")).isEqualTo(1);
        assertThat(registry.get(SeedloopMeters.PROPOSALS_CREATED).tag("strategy", "evolutionary")
                .tag("operator", "mutate").counter().count()).isEqualTo(1);
        assertThat(count(SeedloopMeters.EXPERIMENTS_FAILED, "reason", "bad-metrics")).isEqualTo(2);
        assertThat(count(SeedloopMeters.EVALUATIONS, "verdict", "new-champion")).isEqualTo(1);
        assertThat(registry.get(SeedloopMeters.CHAMPION_CHANGES).counter().count()).isEqualTo(1);
        assertThat(registry.getMeters()).as("no meter is tagged by study, proposal or team")
                .allSatisfy(meter -> assertThat(meter.getId().getTags()).noneSatisfy(tag -> assertThat(tag.getKey())
                        .isIn("study", "studyId", "proposal", "proposalId", "team")));
    }

    private double count(String name, String tag, String value) {
        return registry.get(name).tag(tag, value).counter().count();
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
