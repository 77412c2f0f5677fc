package dev.seedloop.checker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.seedloop.events.EventTypes;
import dev.seedloop.infra.PostgresServer;
import dev.seedloop.testsupport.SharedInfrastructure;

/**
 * A database of its own on the shared test PostgreSQL, with the learner's schema (its versioned Flyway migrations, read
 * from learner-service's sources, never copied), into which a test appends events and plants faults.
 */
final class PlantedStore implements AutoCloseable {

    private static final Path MIGRATIONS = Path.of("../learner-service/src/main/resources/db/migration");
    private static final AtomicInteger DATABASES = new AtomicInteger();

    final String jdbcUrl;
    private final PostgresServer postgres;
    private final Connection db;
    private final Map<String, Long> sequences = new HashMap<>();
    private long position;

    PlantedStore() throws SQLException, IOException {
        postgres = SharedInfrastructure.postgres();
        String name = "checker_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        postgres.createDatabaseIfMissing(name);
        jdbcUrl = postgres.jdbcUrl(name);
        db = DriverManager.getConnection(jdbcUrl, postgres.username(), postgres.password());
        List<Path> versioned;
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            versioned = files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted((a, b) -> Integer.compare(version(a), version(b))).toList();
        }
        if (versioned.size() < 5) {
            throw new IllegalStateException("the learner's migrations are not in " + MIGRATIONS.toAbsolutePath());
        }
        try (Statement statement = db.createStatement()) {
            for (Path migration : versioned) {
                statement.execute(Files.readString(migration));
            }
        }
    }

    private static int version(Path migration) {
        String name = migration.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    StoreChecker checker() {
        return new StoreChecker(jdbcUrl, postgres.username(), postgres.password());
    }

    /** A study created by the gateway: its id is its StudyCreated's event id. */
    String study(int maxExperiments) throws SQLException {
        UUID id = UUID.randomUUID();
        append(id.toString(), id, EventTypes.STUDY_CREATED,
                "{\"budget\": {\"maxExperiments\": %d, \"parallelism\": 2}}".formatted(maxExperiments));
        return id.toString();
    }

    /** One proposal through to its evaluation, the happy path. */
    UUID proposalRunToEvaluation(String study) throws SQLException {
        UUID proposal = UUID.randomUUID();
        append(study, EventTypes.PROPOSAL_CREATED, proposalPayload(proposal));
        append(study, EventTypes.EXPERIMENT_STARTED, proposalPayload(proposal));
        append(study, EventTypes.EXPERIMENT_COMPLETED, proposalPayload(proposal));
        append(study, EventTypes.EVALUATION_COMPLETED, proposalPayload(proposal));
        return proposal;
    }

    void complete(String study, String reason, int experimentsRun) throws SQLException {
        append(study, EventTypes.STUDY_COMPLETED,
                "{\"reason\": \"%s\", \"experimentsRun\": %d}".formatted(reason, experimentsRun));
    }

    static String proposalPayload(UUID proposal) {
        return "{\"proposalId\": \"" + proposal + "\"}";
    }

    UUID append(String study, String type, String payload) throws SQLException {
        UUID id = UUID.randomUUID();
        append(study, id, type, payload);
        return id;
    }

    void append(String study, UUID eventId, String type, String payload) throws SQLException {
        appendAt(study, sequences.merge(study, 1L, Long::sum), eventId, type, payload);
    }

    /** Appends with the given study sequence, whatever the study's next one is: how a gap is planted. */
    void appendAt(String study, long sequence, UUID eventId, String type, String payload) throws SQLException {
        sequences.merge(study, sequence, Math::max);
        try (PreparedStatement insert = db.prepareStatement("""
                insert into event_store (global_position, event_id, study_id, study_sequence, team, event_type,
                    schema_version, occurred_at, correlation_id, producer, envelope)
                values (?, ?, ?, ?, 'team-a', ?, 1, ?, ?, 'test', ?)
                """)) {
            insert.setLong(1, ++position);
            insert.setObject(2, eventId);
            insert.setString(3, study);
            insert.setLong(4, sequence);
            insert.setString(5, type);
            insert.setTimestamp(6, Timestamp.from(Instant.now()));
            insert.setObject(7, UUID.randomUUID());
            insert.setString(8, "{\"eventId\": \"%s\", \"type\": \"%s\", \"studyId\": \"%s\", \"payload\": %s}"
                    .formatted(eventId, type, study, payload));
            insert.executeUpdate();
        }
    }

    void execute(String sql) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }

}
