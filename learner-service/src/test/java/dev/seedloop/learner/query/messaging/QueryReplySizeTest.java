package dev.seedloop.learner.query.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.MetricSummary;
import dev.seedloop.events.Observation;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.Services;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.Topics;
import dev.seedloop.events.Verdict;
import dev.seedloop.learner.QueryClient;
import dev.seedloop.learner.StudyScript;
import dev.seedloop.learner.application.EventRecorder;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryReply;
import dev.seedloop.queries.Views;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/**
 * Replies fit the reply topic by bytes, on the real broker (its {@code message.max.bytes} is Kafka's default, 1 MiB):
 * a page of events is cut where the byte budget ends, and an answer that cannot fit is answered {@code failed}
 * with its size instead of never arriving.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class QueryReplySizeTest {

    /** Characters Kafka's gzip cannot squeeze much: random letters and digits (~6 bits each). */
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    @Inject
    EventRecorder recorder;

    private final QueryClient client = new QueryClient();
    private final Random random = new Random(10);

    private static int budget() {
        return ConfigProvider.getConfig().getOptionalValue("seedloop.learner.queries.max-reply-bytes", Integer.class)
                .orElse(640 * 1024);
    }

    /**
     * The measured case of issue #10: StrategyUpdated events of ~15 KB each, and a page asked with limit 500 (7 MB of
     * events; several MB even compressed) used to exceed the broker's limit, so no reply ever came.
     */
    @Test
    void aPageOfBigEventsFitsTheBudgetAndPagingThroughReturnsEveryEventOnce() throws Throwable {
        StudyScript study = new StudyScript("big-events-" + UUID.randomUUID(), Instant.now());
        List<EventEnvelope> events = new ArrayList<>();
        events.add(study.created(PromotionPolicy.AUTO, "alice-researcher").event());
        for (int i = 0; i < 450; i++) {
            List<Observation> shared = new ArrayList<>();
            for (int o = 0; o < 20; o++) {
                shared.add(new Observation(UUID.randomUUID(), o, "random", Map.of("code", text(700)), 0.5));
            }
            events.add(study.event(Topics.STRATEGY, "strategy:" + i, null, Services.LEARNER,
                    new StrategyUpdated(i + 1, 1, Map.of("random", 1.0), "evaluation", i, shared)).event());
        }
        record(events);

        int budget = budget();
        List<Long> sequences = new ArrayList<>();
        long after = 0;
        boolean more = true;
        int pages = 0;
        while (more) {
            ConsumerRecord<String, byte[]> raw = rawReply(new Query.GetEvents(study.team, study.studyId, after, 500,
                    List.of()));
            assertThat(raw.value().length).as("reply %d in bytes", pages).isLessThanOrEqualTo(budget);
            QueryReply reply = client.codec.decodeReply(raw.value());
            assertThat(reply.outcome()).isEqualTo(QueryReply.Outcome.OK);
            Views.EventPage page = client.codec.body(reply, Views.EventPage.class);
            assertThat(page.items()).as("at least one event per page").isNotEmpty();
            if (pages == 0) {
                assertThat(page.more()).as("the first page is cut by bytes, far below 500 events").isTrue();
                assertThat(page.items()).hasSizeLessThan(500);
            }
            page.items().forEach(item -> sequences.add(item.sequence()));
            after = page.items().getLast().sequence();
            more = page.more();
            pages++;
        }
        assertThat(sequences).as("every event exactly once, in order")
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, events.size()).boxed().toList());
        assertThat(pages).isGreaterThan(1);
    }

    /**
     * A state of 300 evaluated proposals with 10 KB of incompressible parameters each: some 3 MB of JSON, over 2 MB
     * compressed, so no page or compression brings it to the reply topic. The requester is told so, with the size.
     */
    @Test
    void aStateTooLargeForTheReplyTopicIsAnsweredFailedNamingItsSize() throws Throwable {
        StudyScript study = new StudyScript("big-state-" + UUID.randomUUID(), Instant.now());
        List<EventEnvelope> events = new ArrayList<>();
        events.add(study.created(PromotionPolicy.AUTO, "alice-researcher").event());
        for (int n = 0; n < 300; n++) {
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("code", text(10_000));
            events.add(study.event(Topics.PROPOSALS, "proposed:" + n, null, Services.PROPOSER,
                    new ProposalCreated(study.proposal(n), n, "evolutionary", "random", parameters, List.of()))
                    .event());
            events.add(study.event(Topics.EVALUATIONS, "evaluated:" + n, null, Services.EVALUATOR,
                    new EvaluationCompleted(study.evaluation(n), study.experiment(n), study.proposal(n),
                            Verdict.NOT_BETTER, "not better", new MetricSummary("val_loss", 1, 1.0 + n, 0, 1.0 + n,
                            1.0 + n), null, true, "sha256:" + "3".repeat(64), null)).event());
        }
        record(events);

        ConsumerRecord<String, byte[]> raw = rawReply(new Query.GetStateAt(study.team, study.studyId, null, null));

        QueryReply reply = client.codec.decodeReply(raw.value());
        assertThat(reply.outcome()).isEqualTo(QueryReply.Outcome.FAILED);
        assertThat(reply.detail()).contains("bytes").containsPattern("\\d{7}|\\d,\\d{3},\\d{3}");
        assertThat(client.ask(new Query.GetStudy(study.team, study.studyId)).outcome())
                .as("the channel answers the next query").isEqualTo(QueryReply.Outcome.OK);
    }

    private ConsumerRecord<String, byte[]> rawReply(Query query) {
        return QueryClient.awaitReply(QueryClient.REPLY_TOPIC,
                client.send(client.codec.encode(query), QueryClient.REPLY_TOPIC, null, null));
    }

    private void record(List<EventEnvelope> events) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> recorder.recordHistory(events));
    }

    private String text(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }
}
