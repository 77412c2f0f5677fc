package dev.seedloop.learner.store.application;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.Topics;
import dev.seedloop.learner.ConsumerGroups;
import dev.seedloop.learner.StudyScript;
import dev.seedloop.learner.projection.persistence.ReadModels;
import dev.seedloop.learner.projection.persistence.StudySummaryEntity;
import dev.seedloop.learner.projection.persistence.TeamQuotaEntity;
import dev.seedloop.learner.query.application.QueryService;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryReply;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.SharedInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The PostgreSQL store is lost while the topics are not: everything the learner had stored comes back from
 * them, with nothing decided or published again. Each test sends its studies through the real topics, lets the
 * learner store (and decide about) them, wipes the whole store (events and projections: the database is shared
 * by this JVM's tests, which all use studies of their own) and restores it.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class StoreRestoreTest {

    /** The events-in channel's consumer group: the application's name. */
    private static final String GROUP = "learner-service";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** EventStore's append lock: the wipe must not cut through a batch being recorded. */
    private static final long APPEND_LOCK = 0x5eed_1009L;

    @Inject
    EventCodec codec;

    @Inject
    QueryService queries;

    @Inject
    ReadModels readModels;

    @Inject
    StoreRestore restore;

    @Inject
    Pool pool;

    /** One stored event as the table holds it. */
    private record Stored(long sequence, UUID eventId, String envelope, Instant recordedAt) {
    }

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void theJournalGivesEveryStudyEventBackWithItsSequenceAndNothingIsDecidedAgain() throws Throwable {
        String team = "restored-" + UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        StudyScript manual = new StudyScript(team, now);
        List<StudyScript.Sent> manualRun = new ArrayList<>(List.of(manual.created(PromotionPolicy.MANUAL, "alice")));
        manualRun.addAll(manual.manualPromotionRun());
        StudyScript auto = new StudyScript(team, now);
        List<StudyScript.Sent> autoRun = List.of(auto.created(PromotionPolicy.AUTO, "bob"),
                auto.proposed(0, "random", List.of()), auto.started(0), auto.completed(0, 0.3, "done\n"),
                auto.evaluatedChampion(0, 0.3), auto.proposed(1, "mutate", List.of(auto.proposal(0))), auto.started(1));
        EventEnvelope quota = StudyScript.quota(team, 3, 10, "admin", now);
        StudyScript imported = new StudyScript(team, now);
        List<EventEnvelope> importedEvents = new ArrayList<>(List.of(imported.created(PromotionPolicy.AUTO, "erin")
                .event()));
        imported.manualPromotionRun().forEach(sent -> importedEvents.add(sent.event()));

        manualRun.forEach(this::produce);
        // The study first: events of one poll come partition by partition, and an evaluation folded before its
        // study exists is no decision point; the test needs a decision to check none is made again.
        produce(autoRun.getFirst());
        awaitStored(auto.studyId, Set.of(autoRun.getFirst().event().eventId()));
        autoRun.subList(1, autoRun.size()).forEach(this::produce);
        KafkaTopics.produce(Topics.TEAMS, quota.studyId(), codec.encode(quota));
        KafkaTopics.produce(Topics.IMPORTS, imported.studyId, importedEvents.stream().map(codec::encodeToString)
                .collect(Collectors.joining("\n")).getBytes(StandardCharsets.UTF_8));
        awaitStored(manual.studyId, ids(manualRun.stream().map(StudyScript.Sent::event).toList()));
        awaitStored(auto.studyId, ids(autoRun.stream().map(StudyScript.Sent::event).toList()));
        awaitStored(quota.studyId(), Set.of(quota.eventId()));
        awaitStored(imported.studyId, ids(importedEvents));
        // Committed means stored, decided about and journaled: what a learner that lost its database resumes after.
        ConsumerGroups.awaitCaughtUp(GROUP, Topics.ALL_EVENT_TOPICS, TIMEOUT);
        // The learner's decision travels through seedloop.strategy and back: wait until it is stored too.
        await().atMost(TIMEOUT).until(() -> stored(auto.studyId).size() > autoRun.size());
        ConsumerGroups.awaitCaughtUp(GROUP, Topics.ALL_EVENT_TOPICS, TIMEOUT);
        // Another team's copy of the auto study (an import within this installation): the same event ids under
        // its own study id, which the restore must not take for events it already has.
        String copyId = UUID.randomUUID().toString();
        List<EventEnvelope> copyEvents = stored(auto.studyId).stream().map(row -> codec.decode(row.envelope()))
                .map(e -> new EventEnvelope(e.eventId(), copyId, "copiers-" + team, e.occurredAt(), e.causationId(),
                        e.correlationId(), e.producer(), e.payload()))
                .toList();
        KafkaTopics.produce(Topics.IMPORTS, copyId, copyEvents.stream().map(codec::encodeToString)
                .collect(Collectors.joining("\n")).getBytes(StandardCharsets.UTF_8));
        awaitStored(copyId, ids(copyEvents));

        List<String> studies = List.of(manual.studyId, auto.studyId, imported.studyId, copyId);
        Map<String, List<Stored>> before = new HashMap<>();
        for (String study : studies) {
            before.put(study, stored(study));
        }
        assertThat(before.get(auto.studyId)).as("the learner decided about the evaluation")
                .hasSizeGreaterThan(autoRun.size());
        Map<String, StudySummaryEntity> summariesBefore = summaries(team);
        TeamQuotaEntity quotaBefore = join(() -> readModels.quota(team));
        Map<String, QueryReply> answersBefore = answers(team, studies.subList(0, 3));
        Map<UUID, Instant> journaledAt = journaledAt(Set.of(manual.studyId, auto.studyId));
        Map<String, Integer> published = published();

        wipeStore();
        JsonPath report = given().when().post("/internal/store/restore")
                .then().statusCode(200).extract().jsonPath();

        assertThat(report.getInt("journalAppended")).isGreaterThanOrEqualTo(
                before.get(manual.studyId).size() + before.get(auto.studyId).size());
        assertThat(report.getInt("sourceAppended")).as("the quota and the imports are not journaled")
                .isGreaterThanOrEqualTo(1 + importedEvents.size() + copyEvents.size());
        assertThat(report.getLong("projections.studies")).isGreaterThanOrEqualTo(3);
        for (String study : studies) {
            assertThat(stored(study)).extracting(Stored::sequence, Stored::eventId, Stored::envelope)
                    .as("study %s: the same events, sequences and bytes", study)
                    .containsExactlyElementsOf(before.get(study).stream()
                            .map(s -> org.assertj.core.groups.Tuple.tuple(s.sequence(), s.eventId(), s.envelope()))
                            .toList());
        }
        for (String study : List.of(manual.studyId, auto.studyId)) {
            assertThat(stored(study)).as("recorded when the journal published them, milliseconds after the store")
                    .allSatisfy(s -> assertThat(s.recordedAt()).isEqualTo(journaledAt.get(s.eventId())));
        }
        assertThat(summaries(team)).usingRecursiveComparison().ignoringFieldsMatchingRegexes(".*updatedAt")
                .isEqualTo(summariesBefore);
        assertThat(join(() -> readModels.quota(team))).usingRecursiveComparison().isEqualTo(quotaBefore);
        assertThat(answers(team, studies.subList(0, 3))).isEqualTo(answersBefore);
        assertThat(published()).as("no decision and no journal record was published again").isEqualTo(published);
        assertThat(restore.restoreIfEmpty(Topics.JOURNAL)).as("only an empty store is restored at start-up").isEmpty();
    }

    @Test
    void withoutTheJournalTheTopicsStillGiveBackEveryEventAndTheSameState() throws Throwable {
        String team = "unjournaled-" + UUID.randomUUID();
        StudyScript s = new StudyScript(team, Instant.now());
        EventEnvelope quota = StudyScript.quota(team, 1, 5, "admin", s.t0);
        // One at a time, each stored (and decided about) before the next is sent: the records' timestamps then
        // follow the order the learner stored them in, which is all a restore without the journal has to go by.
        for (StudyScript.Sent sent : List.of(s.created(PromotionPolicy.AUTO, "frank"), s.proposed(0, "random", List.of()),
                s.started(0), s.completed(0, 0.4, "done\n"), s.evaluatedChampion(0, 0.4),
                s.proposed(1, "mutate", List.of(s.proposal(0))), s.started(1), s.paused("grace", "night"))) {
            produce(sent);
            awaitStored(s.studyId, Set.of(sent.event().eventId()));
            if (sent.event().payload() instanceof EvaluationCompleted) {
                KafkaTopics.awaitRecords(Topics.STRATEGY, r -> s.studyId.equals(r.key()), 1, TIMEOUT);
            }
        }
        KafkaTopics.produce(Topics.TEAMS, quota.studyId(), codec.encode(quota));
        awaitStored(quota.studyId(), Set.of(quota.eventId()));
        ConsumerGroups.awaitCaughtUp(GROUP, Topics.ALL_EVENT_TOPICS, TIMEOUT);

        Set<UUID> idsBefore = new HashSet<>(stored(s.studyId).stream().map(Stored::eventId).toList());
        String stateBefore = scratchState(s.studyId);
        TeamQuotaEntity quotaBefore = join(() -> readModels.quota(team));
        Map<String, Integer> published = published();

        wipeStore();
        String absent = "seedloop.journal-absent-" + UUID.randomUUID();
        Optional<StoreRestore.Report> report = restore.restoreIfEmpty(absent);

        assertThat(report).isPresent();
        assertThat(report.get().journalRecords()).isZero();
        assertThat(report.get().sourceAppended()).isGreaterThanOrEqualTo(idsBefore.size() + 1);
        assertThat(stored(s.studyId)).extracting(Stored::eventId).as("every event, the learner's decision too")
                .containsExactlyInAnyOrderElementsOf(idsBefore);
        assertThat(scratchState(s.studyId)).isEqualTo(stateBefore);
        assertThat(join(() -> readModels.quota(team))).usingRecursiveComparison().isEqualTo(quotaBefore);
        assertThat(published()).as("nothing decided or published again").isEqualTo(published);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfrastructure.kafkaBootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).as("reading a missing journal does not create it")
                    .doesNotContain(absent);
        }
    }

    private void produce(StudyScript.Sent sent) {
        KafkaTopics.produce(sent.topic(), sent.event().studyId(), codec.encode(sent.event()));
    }

    private static Set<UUID> ids(List<EventEnvelope> events) {
        return events.stream().map(EventEnvelope::eventId).collect(Collectors.toSet());
    }

    private void awaitStored(String study, Set<UUID> ids) {
        await().atMost(TIMEOUT).until(() -> stored(study).stream().map(Stored::eventId).toList().containsAll(ids));
    }

    private List<Stored> stored(String study) {
        List<Stored> rows = new ArrayList<>();
        for (Row row : pool.preparedQuery("select study_sequence, event_id, envelope, recorded_at from event_store"
                + " where study_id = $1 order by study_sequence").execute(Tuple.of(study)).await().indefinitely()) {
            rows.add(new Stored(row.getLong(0), row.getUUID(1), row.getString(2), row.getOffsetDateTime(3).toInstant()));
        }
        return rows;
    }

    /** When the journal first published each event of these studies. */
    private Map<UUID, Instant> journaledAt(Set<String> studies) {
        Map<UUID, Instant> first = new HashMap<>();
        KafkaTopics.readAll(Topics.JOURNAL, r -> studies.contains(r.key())).forEach(r -> first.putIfAbsent(
                codec.decode(r.value()).eventId(), Instant.ofEpochMilli(r.timestamp())));
        return first;
    }

    /** How many records the topics the learner publishes to hold. */
    private static Map<String, Integer> published() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String topic : List.of(Topics.STRATEGY, Topics.STUDIES, Topics.JOURNAL)) {
            counts.put(topic, KafkaTopics.readAll(topic, r -> true).size());
        }
        return counts;
    }

    /**
     * The loss of the database, as far as the learner can tell: no events, no projections. Done as the owner role:
     * the learner's own role may not delete stored events nor switch the triggers off (ADR 0016).
     */
    private void wipeStore() {
        Config config = ConfigProvider.getConfig();
        try (Connection owner = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.flyway.username", String.class),
                config.getValue("quarkus.flyway.password", String.class)); Statement s = owner.createStatement()) {
            owner.setAutoCommit(false);
            s.execute("select cast(pg_advisory_xact_lock(" + APPEND_LOCK + ") as text)");
            // The store refuses deletes by trigger, rightly; the test plays the disk that failed.
            s.execute("alter table event_store disable trigger user");
            s.execute("delete from event_store");
            s.execute("alter table event_store enable trigger user");
            s.execute("delete from study_summary");
            s.execute("delete from team_quota");
            s.execute("delete from study_snapshot");
            owner.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("could not wipe the store", e);
        }
        assertThat(pool.query("select count(*) from event_store").execute().await().indefinitely().iterator().next()
                .getLong(0)).isZero();
    }

    /** What the gateway would be told about the team and its studies. */
    private Map<String, QueryReply> answers(String team, List<String> studies) throws Throwable {
        Map<String, QueryReply> answers = new LinkedHashMap<>();
        answers.put("list", join(() -> queries.answer(new Query.ListStudies(team, null, 0, 50))));
        answers.put("usage", join(() -> queries.answer(new Query.GetTeamUsage(team,
                Instant.now().truncatedTo(ChronoUnit.DAYS)))));
        for (String study : studies) {
            answers.put("study " + study, join(() -> queries.answer(new Query.GetStudy(team, study))));
            answers.put("lineage " + study, join(() -> queries.answer(new Query.GetLineage(team, study, 0, Query.MAX_LINEAGE_PAGE))));
            QueryReply head = join(() -> queries.answer(new Query.GetStateAt(team, study, null, null)));
            // Where the fold started (snapshots are dropped) and when the last event was recorded (the journal's
            // time, see above) are not the state.
            ((ObjectNode) head.body()).remove(List.of("snapshotSequence", "recordedAt"));
            answers.put("state " + study, head);
        }
        answers.values().forEach(reply -> assertThat(reply.outcome()).isEqualTo(QueryReply.Outcome.OK));
        return answers;
    }

    private Map<String, StudySummaryEntity> summaries(String team) throws Throwable {
        Map<String, StudySummaryEntity> rows = new LinkedHashMap<>();
        join(() -> readModels.studies(team, null, 0, 50)).rows().forEach(row -> rows.put(row.studyId, row));
        return rows;
    }

    private static String scratchState(String study) {
        return given().when().get("/internal/studies/" + study + "/state?source=scratch")
                .then().statusCode(200).extract().asString();
    }

    private static <T> T join(Supplier<Uni<T>> work) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(work);
    }
}
