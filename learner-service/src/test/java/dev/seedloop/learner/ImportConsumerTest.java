package dev.seedloop.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.Topics;
import dev.seedloop.learner.application.EventRecorder;
import dev.seedloop.learner.domain.StrategyFold;
import dev.seedloop.learner.domain.StudyFold;
import dev.seedloop.learner.projection.application.StateJson;
import dev.seedloop.learner.domain.Deciders;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.Views;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An imported study arrives in slices on seedloop.imports: the learner stores it as history (same event ids,
 * same order), decides nothing about it, and serves it like any study of the importing team.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ImportConsumerTest {

    @Inject
    EventCodec codec;

    @Inject
    dev.seedloop.learner.application.EventRecorder recorder;

    private final QueryClient client = new QueryClient();

    @Test
    void anImportedStudyIsStoredAsItWasAndServedToItsNewTeam() {
        String team = "importers-" + java.util.UUID.randomUUID();
        StudyScript study = new StudyScript(team, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        List<EventEnvelope> events = new ArrayList<>();
        events.add(study.created(PromotionPolicy.MANUAL, "alice-researcher").event());
        study.manualPromotionRun().forEach(sent -> events.add(sent.event()));

        // Two slices, the second sent twice (a redelivery must change nothing).
        int half = events.size() / 2;
        produce(study.studyId, events.subList(0, half));
        produce(study.studyId, events.subList(half, events.size()));
        produce(study.studyId, events.subList(half, events.size()));

        // Not found until the first slice is stored.
        Views.EventPage page = await().atMost(QueryClient.TIMEOUT).ignoreExceptionsInstanceOf(AssertionError.class)
                .until(() -> client.answer(new Query.GetEvents(team, study.studyId, 0, 500, List.of()),
                        Views.EventPage.class), p -> p.items().size() >= events.size());
        assertThat(page.items()).hasSize(events.size());
        assertThat(page.items()).extracting(Views.StoredEventView::sequence)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, events.size()).boxed().toList());
        assertThat(page.items()).extracting(item -> item.event().path("eventId").asText())
                .as("history, not requests: nothing decided about it").containsExactlyElementsOf(
                        events.stream().map(e -> e.eventId().toString()).toList());

        Views.StudyView view = client.answer(new Query.GetStudy(team, study.studyId), Views.StudyView.class);
        assertThat(view.team()).isEqualTo(team);
        assertThat(view.lastSequence()).isEqualTo(events.size());
        assertThat(client.answer(new Query.ListStudies(team, null, 0, 10), Views.StudyPage.class).items())
                .extracting(Views.StudySummaryView::id).containsExactly(study.studyId);
        Views.StudySummaryView row = client.answer(new Query.ListStudies(team, null, 0, 10), Views.StudyPage.class)
                .items().getFirst();
        assertThat(row.status()).as("the summary row says what the last slice left, not the first")
                .isEqualTo(view.status()).isEqualTo("paused");
        assertThat(row.budgetUsed()).isEqualTo(view.budget().used());

        // The imported study replays to the state its events define.
        var live = recorder.state(study.studyId).await().indefinitely();
        var direct = Deciders.DEFAULT.initial();
        for (EventEnvelope event : events) {
            direct = Deciders.DEFAULT.evolve(direct, event);
        }
        assertThat(StateJson.write(live)).isEqualTo(StateJson.write(direct));
    }

    @Test
    void aCopyOfAStoredStudyKeepsItsEventIdsUnderItsOwnStudyIdAndLeavesTheOriginalAlone() {
        String owners = "owners-" + java.util.UUID.randomUUID();
        StudyScript original = new StudyScript(owners, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        List<EventEnvelope> events = new ArrayList<>();
        events.add(original.created(PromotionPolicy.AUTO, "alice-researcher").event());
        original.manualPromotionRun().forEach(sent -> events.add(sent.event()));
        try {
            io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> recorder.record(events));
        } catch (Throwable e) {
            throw new AssertionError("recording the original failed", e);
        }
        String before = json(original.studyId);
        // Exported as stored: with the learner's own decisions.
        List<EventEnvelope> stored = client.answer(new Query.GetEvents(owners, original.studyId, 0, 500, List.of()),
                Views.EventPage.class).items().stream().map(item -> codec.decode(item.event().toString())).toList();
        assertThat(stored.size()).isGreaterThan(events.size());

        // What the gateway publishes for an import into another team of this installation (ImportPlacement).
        String copiers = "copiers-" + java.util.UUID.randomUUID();
        String copyId = java.util.UUID.randomUUID().toString();
        List<EventEnvelope> copy = stored.stream().map(e -> new EventEnvelope(e.eventId(), copyId, copiers,
                e.occurredAt(), e.causationId(), e.correlationId(), e.producer(), e.payload())).toList();
        produce(copyId, copy);
        produce(copyId, copy);

        Views.EventPage page = await().atMost(QueryClient.TIMEOUT).ignoreExceptionsInstanceOf(AssertionError.class)
                .until(() -> client.answer(new Query.GetEvents(copiers, copyId, 0, 500, List.of()),
                        Views.EventPage.class), p -> p.items().size() >= copy.size());
        assertThat(page.items()).hasSize(copy.size());
        assertThat(page.items()).extracting(item -> item.event().path("eventId").asText())
                .as("the original's event ids").containsExactlyElementsOf(
                        stored.stream().map(e -> e.eventId().toString()).toList());
        assertThat(json(copyId).replace(copyId, "STUDY").replace(copiers, "TEAM"))
                .as("the copy replays to the original's state, but for its id and team")
                .isEqualTo(before.replace(original.studyId, "STUDY").replace(owners, "TEAM"));
        assertThat(json(original.studyId)).as("the original is untouched").isEqualTo(before);

        // A redelivered batch of the original hands on the original's events again, never the copy's.
        EventRecorder.Recorded again;
        try {
            again = io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> recorder.record(events));
        } catch (Throwable e) {
            throw new AssertionError("redelivering the original failed", e);
        }
        assertThat(again.appended()).isZero();
        assertThat(again.journal()).isNotEmpty()
                .allSatisfy(handedOn -> assertThat(handedOn.event().studyId()).isEqualTo(original.studyId));
        assertThat(client.answer(new Query.GetEvents(owners, original.studyId, 0, 500, List.of()),
                Views.EventPage.class).items()).hasSize(stored.size());
    }

    /**
     * A file may carry only its study's history. A slice with a TeamQuotaSet under the study's id (what a forged file
     * becomes once the gateway remaps it) would raise the importing team's own quota: the whole slice is refused,
     * dead-lettered with the reason, and nothing of it is stored.
     */
    @Test
    void aSliceCarryingATeamQuotaIsRefusedWholeAndRaisesNothing() {
        String team = "quota-raisers-" + java.util.UUID.randomUUID();
        StudyScript study = new StudyScript(team, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        EventEnvelope quota = StudyScript.quota(team, 1000, 1_000_000, "mallory", Instant.now());
        List<EventEnvelope> slice = List.of(study.created(PromotionPolicy.AUTO, "mallory").event(),
                new EventEnvelope(quota.eventId(), study.studyId, team, quota.occurredAt(), null, quota.correlationId(),
                        quota.producer(), quota.payload()));

        produce(study.studyId, slice);

        assertRefused(study.studyId, "seedloop.team.quota-set");
        assertThat(client.ask(new Query.GetStudy(team, study.studyId)).outcome())
                .isEqualTo(dev.seedloop.queries.QueryReply.Outcome.NOT_FOUND);
        Views.TeamUsageView usage = client.answer(new Query.GetTeamUsage(team, Instant.EPOCH), Views.TeamUsageView.class);
        assertThat(usage.maxConcurrentStudies()).as("the quota was never set").isNull();
        assertThat(usage.maxExperimentsPerDay()).isNull();
    }

    /** Nor may a slice carry events of any other stream than the study it is keyed by, a team's stream included. */
    @Test
    void aSliceWithEventsOfAnotherStreamIsRefusedWhole() {
        String team = "stream-mixers-" + java.util.UUID.randomUUID();
        StudyScript study = new StudyScript(team, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        StudyScript other = new StudyScript(team, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        List<EventEnvelope> slice = List.of(study.created(PromotionPolicy.AUTO, "mallory").event(),
                other.created(PromotionPolicy.AUTO, "mallory").event(),
                StudyScript.quota(team, 1000, 1_000_000, "mallory", Instant.now()));

        produce(study.studyId, slice);

        assertRefused(study.studyId, other.studyId);
        assertThat(client.ask(new Query.GetStudy(team, study.studyId)).outcome())
                .isEqualTo(dev.seedloop.queries.QueryReply.Outcome.NOT_FOUND);
        assertThat(client.ask(new Query.GetStudy(team, other.studyId)).outcome())
                .isEqualTo(dev.seedloop.queries.QueryReply.Outcome.NOT_FOUND);
        assertThat(client.answer(new Query.GetTeamUsage(team, Instant.EPOCH), Views.TeamUsageView.class)
                .maxConcurrentStudies()).isNull();
    }

    /** The refusal is the positive marker that the slice was handled: parked with a reason naming the culprit. */
    private static void assertRefused(String studyId, String named) {
        var parked = KafkaTopics.awaitRecords(Topics.DEAD_LETTERS, r -> studyId.equals(r.key())
                && Topics.IMPORTS.equals(header(r, dev.seedloop.messaging.DeadLetters.TOPIC)), 1, QueryClient.TIMEOUT);
        assertThat(header(parked.getFirst(), dev.seedloop.messaging.DeadLetters.REASON)).contains(named);
    }

    private static String header(org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private String json(String studyId) {
        recorder.forget(studyId);
        var state = recorder.state(studyId).await().indefinitely();
        return StateJson.write(state.study(), state.strategy());
    }

    private void produce(String studyId, List<EventEnvelope> slice) {
        String lines = slice.stream().map(codec::encodeToString).collect(Collectors.joining("\n"));
        KafkaTopics.produce(Topics.IMPORTS, studyId, lines.getBytes(StandardCharsets.UTF_8));
    }
}
