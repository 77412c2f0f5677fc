package dev.seedloop.system;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.infra.PostgresServer;
import dev.seedloop.testsupport.SharedInfrastructure;

/** A study's events as the running stack's learner stored them, read from its event store. */
final class StoredEvents {

    private static final EventCodec CODEC = new EventCodec();

    private StoredEvents() {
    }

    /**
     * The study's stored events in store order, once its completion is stored too (the completion is the learner's
     * own last word, so everything before it is in); what is stored after 30 s otherwise, for the caller to assert on.
     */
    static List<EventEnvelope> awaitCompleted(String studyId) throws Exception {
        PostgresServer postgres = SharedInfrastructure.postgres();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<EventEnvelope> events = new ArrayList<>();
            try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(RunningStack.DATABASE),
                    postgres.username(), postgres.password());
                 var query = db.prepareStatement(
                         "select envelope from event_store where study_id = ? order by study_sequence")) {
                query.setString(1, studyId);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        events.add(CODEC.decode(rows.getString(1)));
                    }
                }
            }
            if (events.stream().anyMatch(e -> e.payload() instanceof StudyCompleted) || System.nanoTime() > deadline) {
                return events;
            }
            Thread.sleep(250);
        }
    }
}
