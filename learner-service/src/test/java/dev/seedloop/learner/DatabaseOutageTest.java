package dev.seedloop.learner;

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
import java.util.List;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.Topics;
import dev.seedloop.infra.PostgresServer;
import dev.seedloop.learner.store.persistence.EventStore;
import dev.seedloop.learner.store.persistence.StoredEvent;
import dev.seedloop.messaging.ChannelHealth;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.SharedInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/**
 * The database goes away under the learner (its role refused at login, its connections cut) while events and an
 * import arrive: both channels hold their records, readiness says which and why, and once the database is back
 * everything is stored and both channels go on. Before ADR 0014 the first failed batch stopped events-in for good.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class DatabaseOutageTest {

    @Inject
    EventStore store;

    @Inject
    EventCodec codec;

    @Inject
    ChannelHealth health;

    @Test
    void eventsAndImportsArrivingWhileTheDatabaseIsAwayAreStoredOnceItIsBack() throws SQLException {
        String study = SampleEvents.newStudyId();
        EventEnvelope created = SampleEvents.studyCreated(study);
        List<EventEnvelope> proposals = SampleEvents.proposals(study, 3);
        StudyScript imported = new StudyScript("importers-" + java.util.UUID.randomUUID(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
        List<EventEnvelope> importedEvents = new ArrayList<>();
        importedEvents.add(imported.created(PromotionPolicy.AUTO, "alice-researcher").event());
        imported.manualPromotionRun().forEach(sent -> importedEvents.add(sent.event()));

        String application = ConfigProvider.getConfig().getValue("quarkus.datasource.username", String.class);
        try {
            databaseAway(application);
            KafkaTopics.produce(Topics.STUDIES, study, codec.encode(created));
            for (EventEnvelope proposal : proposals) {
                KafkaTopics.produce(Topics.PROPOSALS, study, codec.encode(proposal));
            }
            String slice = importedEvents.stream().map(codec::encodeToString).collect(Collectors.joining("\n"));
            KafkaTopics.produce(Topics.IMPORTS, imported.studyId, slice.getBytes(StandardCharsets.UTF_8));

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(health.isFailing("events-in")).as("events-in holds its batch").isTrue();
                assertThat(health.isFailing("imports-in")).as("imports-in holds its slice").isTrue();
            });
            HealthCheckResponse down = health.call();
            assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(down.getData().orElseThrow().get("events-in").toString())
                    .as("readiness names the channel and why").contains("transient");
        } finally {
            databaseBack(application);
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            // Besides what was sent, the learner's own first request (ADR 0021), decided on the StudyCreated.
            assertThat(storedIdsNotDecided(study)).containsExactlyInAnyOrderElementsOf(
                    List.of(created.eventId(), proposals.get(0).eventId(), proposals.get(1).eventId(),
                            proposals.get(2).eventId()));
            assertThat(storedIds(imported.studyId)).containsExactlyElementsOf(
                    importedEvents.stream().map(EventEnvelope::eventId).toList());
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(health.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP));

        // The channel did not stop: what arrives now is stored too.
        EventEnvelope later = SampleEvents.proposals(study, 4).get(3);
        KafkaTopics.produce(Topics.PROPOSALS, study, codec.encode(later));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(storedIds(study))
                .contains(later.eventId()));
    }

    private List<java.util.UUID> storedIdsNotDecided(String study) throws Throwable {
        List<StoredEvent> stored = VertxContextSupport.subscribeAndAwait(
                () -> store.readStudy(study, 0).collect().asList());
        return stored.stream().filter(s -> !"learner-service".equals(s.event().producer()))
                .map(s -> s.event().eventId()).toList();
    }

    private List<java.util.UUID> storedIds(String study) throws Throwable {
        List<StoredEvent> stored = VertxContextSupport.subscribeAndAwait(
                () -> store.readStudy(study, 0).collect().asList());
        return stored.stream().map(s -> s.event().eventId()).toList();
    }

    /** As the server's superuser: the learner's role may not log in, and its open connections are cut. */
    private static void databaseAway(String role) throws SQLException {
        try (Connection admin = superuser(); Statement s = admin.createStatement()) {
            s.execute("alter role " + role + " nologin");
            s.execute("select pg_terminate_backend(pid) from pg_stat_activity where usename = '" + role + "'");
        }
    }

    private static void databaseBack(String role) throws SQLException {
        try (Connection admin = superuser(); Statement s = admin.createStatement()) {
            s.execute("alter role " + role + " login");
        }
    }

    private static Connection superuser() throws SQLException {
        PostgresServer postgres = SharedInfrastructure.postgres();
        return DriverManager.getConnection(ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url",
                String.class), postgres.username(), postgres.password());
    }
}
