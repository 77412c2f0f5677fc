package dev.seedloop.learner.query.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.Topics;
import dev.seedloop.learner.QueryClient;
import dev.seedloop.learner.query.application.QueryService;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryReply;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;

/** The request-reply protocol itself: where replies go, and that every live request gets one. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class QueryResponderTest {

    private final QueryClient client = new QueryClient();

    private byte[] usage() {
        return client.codec.encode(new Query.GetTeamUsage("protocol-team", Instant.EPOCH));
    }

    @Test
    void theReplyGoesToTheRequestedTopicAndPartitionWithTheCorrelationId() {
        // The reply carries the request's key, which hashes to partition 1: only the header can put it on 2.
        String correlation = client.send(usage(), QueryClient.REPLY_TOPIC, 2, null);

        ConsumerRecord<String, byte[]> reply = QueryClient.awaitReply(QueryClient.REPLY_TOPIC, correlation);

        assertThat(reply.partition()).isEqualTo(2);
        assertThat(client.codec.decodeReply(reply.value()).outcome()).isEqualTo(QueryReply.Outcome.OK);
    }

    @Test
    void withoutAReplyTopicHeaderTheReplyGoesToTheDefaultRepliesTopic() {
        String correlation = client.send(usage(), null, null, null);

        ConsumerRecord<String, byte[]> reply = QueryClient.awaitReply(Topics.QUERY_REPLIES, correlation);

        assertThat(client.codec.decodeReply(reply.value()).outcome()).isEqualTo(QueryReply.Outcome.OK);
    }

    @Test
    void malformedQueriesAreAnsweredInvalidWithTheReason() {
        QueryReply garbage = client.codec.decodeReply(QueryClient.awaitReply(QueryClient.REPLY_TOPIC,
                client.send("{not json".getBytes(StandardCharsets.UTF_8), QueryClient.REPLY_TOPIC, null, null))
                .value());
        QueryReply unknown = client.codec.decodeReply(QueryClient.awaitReply(QueryClient.REPLY_TOPIC,
                client.send("{\"query\":\"drop-tables\",\"team\":\"t\"}".getBytes(StandardCharsets.UTF_8),
                        QueryClient.REPLY_TOPIC, null, null)).value());
        QueryReply badStatus = client.ask(new Query.ListStudies("t", "sleeping", 0, 10));

        assertThat(garbage.outcome()).isEqualTo(QueryReply.Outcome.INVALID);
        assertThat(garbage.detail()).startsWith("not a query");
        assertThat(unknown.outcome()).isEqualTo(QueryReply.Outcome.INVALID);
        assertThat(unknown.detail()).contains("drop-tables");
        assertThat(badStatus.outcome()).isEqualTo(QueryReply.Outcome.INVALID);
        assertThat(badStatus.detail()).contains("status must be one of").contains("sleeping");
    }

    @Test
    void aRequestOlderThanTheMaxAgeIsSkippedWhileTheNextOneIsAnswered() {
        String stale = client.send(usage(), QueryClient.REPLY_TOPIC, 0, Instant.now().minusSeconds(120).toEpochMilli());
        String fresh = client.send(usage(), QueryClient.REPLY_TOPIC, 0, null);

        // Requests are answered in order on one partition, so once the later one is answered the earlier was seen.
        QueryClient.awaitReply(QueryClient.REPLY_TOPIC, fresh);
        assertThat(KafkaTopics.readAll(QueryClient.REPLY_TOPIC, r -> stale.equals(QueryClient.correlationOf(r))))
                .isEmpty();
    }

    @Test
    void aPingIsAnsweredWithTheTimeOfTheAnswer() {
        Instant asked = Instant.now();

        dev.seedloop.queries.Views.PongView pong = client.answer(new Query.Ping("protocol-team"),
                dev.seedloop.queries.Views.PongView.class);

        assertThat(pong.answeredAt()).isAfterOrEqualTo(asked.minusSeconds(1)).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void aFailingReadIsAnsweredFailedAndTheChannelKeepsAnswering() {
        QuarkusMock.installMockForType(new QueryService() {
            @Override
            public Uni<QueryReply> answer(Query query) {
                if (query instanceof Query.GetTeamUsage) {
                    throw new IllegalStateException("store unavailable: connection refused to 10.0.0.7");
                }
                return Uni.createFrom().failure(new IllegalStateException("store unavailable"));
            }
        }, QueryService.class);

        QueryReply thrown = client.ask(new Query.GetTeamUsage("t", Instant.EPOCH));
        QueryReply failed = client.ask(new Query.GetStudy("t", "s"));

        for (QueryReply reply : List.of(thrown, failed)) {
            assertThat(reply.outcome()).isEqualTo(QueryReply.Outcome.FAILED);
            assertThat(reply.detail()).doesNotContain("10.0.0.7").isNotBlank();
        }
    }
}
