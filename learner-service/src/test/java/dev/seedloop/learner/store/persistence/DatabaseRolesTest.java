package dev.seedloop.learner.store.persistence;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;

/**
 * The learner runs under a database role that may only insert into and read the event store (ADR 0016): whatever
 * the application does, or whoever takes over its connection, cannot switch the store's triggers off, rewrite,
 * delete or truncate it. Flyway migrates as the owner role; the owner's own changes still meet the triggers.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class DatabaseRolesTest {

    @Inject
    EventStore store;

    @Inject
    Mutiny.SessionFactory sessions;

    @Test
    void theApplicationRoleCannotDisableTheTriggersNorChangeOrRemoveStoredEvents() throws Throwable {
        String study = SampleEvents.newStudyId();
        await(() -> store.append(SampleEvents.proposals(study, 1)));

        for (String statement : List.of(
                "alter table event_store disable trigger event_store_no_update_or_delete",
                "alter table event_store disable trigger all",
                "update event_store set team = 'intruder' where study_id = '" + study + "'",
                "delete from event_store where study_id = '" + study + "'",
                "truncate event_store")) {
            // Rolled back should it ever pass, so that a failing run leaves the shared store as it was.
            assertThatThrownBy(() -> await(() -> sessions.withTransaction((session, tx) -> session
                    .createNativeQuery(statement).executeUpdate().invoke(tx::markForRollback))))
                    .as(statement)
                    .satisfiesAnyOf(
                            failure -> assertThat(failure).hasStackTraceContaining("must be owner"),
                            failure -> assertThat(failure).hasStackTraceContaining("permission denied"));
        }
        List<StoredEvent> stored = await(() -> store.readStudy(study, 0).collect().asList());
        assertThat(stored).singleElement().satisfies(s -> assertThat(s.event().team()).isEqualTo(SampleEvents.TEAM));
    }

    @Test
    void theApplicationRoleAppendsReadsRebuildsAndRestores() throws Throwable {
        String study = SampleEvents.newStudyId();
        List<EventEnvelope> events = SampleEvents.proposals(study, 3);

        assertThat(await(() -> store.append(events))).isEqualTo(new AppendResult(3, 0));
        assertThat(await(() -> store.readStudy(study, 0).collect().asList())).hasSize(3);

        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        given().post("/internal/projections/rebuild").then().statusCode(200);
        given().post("/internal/store/restore").then().statusCode(200);
    }

    @Test
    void theOwnerMeetsTheTriggersStill() throws SQLException {
        Config config = ConfigProvider.getConfig();
        String owner = config.getValue("quarkus.flyway.username", String.class);
        assertThat(owner).as("Flyway migrates as another role than the application's")
                .isNotEqualTo(config.getValue("quarkus.datasource.username", String.class));
        try (Connection db = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                owner, config.getValue("quarkus.flyway.password", String.class))) {
            for (String statement : List.of("update event_store set team = 'intruder'", "delete from event_store",
                    "truncate event_store")) {
                db.setAutoCommit(false);
                try (Statement s = db.createStatement()) {
                    assertThatThrownBy(() -> s.execute(statement)).as(statement).hasMessageContaining("append-only");
                } finally {
                    db.rollback();
                }
            }
        }
    }

    private static <T> T await(java.util.function.Supplier<io.smallrye.mutiny.Uni<T>> work) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(work);
    }
}
