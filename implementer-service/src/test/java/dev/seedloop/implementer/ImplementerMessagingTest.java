package dev.seedloop.implementer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.Topics;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.events.SampleEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The implementer on the real broker. It does not run experiments yet (issue #3), so this covers
 * what it does do: read proposals and park an unreadable record without stopping.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class ImplementerMessagingTest {

    @Inject
    EventCodec codec;

    @Test
    void anUnreadableProposalIsParkedAndTheNextOneIsStillConsumed() {
        String study = SampleEvents.newStudyId();
        String other = SampleEvents.newStudyId();
        KafkaTopics.produce(Topics.PROPOSALS, study, "{\"type\":\"seedloop.nope\"}".getBytes(StandardCharsets.UTF_8));
        KafkaTopics.produce(Topics.PROPOSALS, other, codec.encode(SampleEvents.proposals(other, 1).getFirst()));
        // The wrong key for its study is refused too: a record keyed elsewhere would break per-study order.
        KafkaTopics.produce(Topics.PROPOSALS, study, codec.encode(SampleEvents.proposals(other, 1).getFirst()));

        var parked = KafkaTopics.awaitRecords(Topics.DEAD_LETTERS, r -> study.equals(r.key()), 2,
                Duration.ofSeconds(30));

        assertThat(parked).extracting(r -> new String(r.headers().lastHeader("dead-letter-reason").value(),
                StandardCharsets.UTF_8))
                .anySatisfy(reason -> assertThat(reason).contains("seedloop.nope"))
                .anySatisfy(reason -> assertThat(reason).contains("differs from the event's study id"));
    }
}
