package dev.seedloop.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerTest {

    @TempDir
    Path dataDir;

    @Test
    void dataSurvivesARestartOnTheSameDirectory() throws Exception {
        try (PostgresServer server = PostgresServer.start(dataDir, 0)) {
            Loopback.assertLoopbackOnly("PostgreSQL", server.port());
            server.createDatabaseIfMissing("seedloop_it");
            server.createDatabaseIfMissing("seedloop_it");
            try (Connection c = connect(server); Statement s = c.createStatement()) {
                assertEquals(1, single(s, "select 1"));
                s.execute("create table kept (v int)");
                s.execute("insert into kept values (42)");
                // A test's disposable database keeps zonky's fast, crash-unsafe commits.
                assertEquals("off", text(s, "show synchronous_commit"));
            }
        }
        assertFalse(Files.exists(dataDir.resolve("pgdata/postmaster.pid")), "postmaster still running");

        // The local stack's store of record: a commit is acknowledged once its WAL is on disk (ADR 0029).
        try (PostgresServer server = PostgresServer.start(dataDir, 0, true);
                Connection c = connect(server); Statement s = c.createStatement()) {
            assertEquals(42, single(s, "select v from kept"));
            assertEquals("on", text(s, "show synchronous_commit"));
        }
    }

    /**
     * The local stack's store survives a crash of its server with every commit it acknowledged (ADR 0029). With
     * zonky's {@code synchronous_commit=off} the same run lost 23 and 27 of ~3 000 acknowledged commits.
     */
    @Test
    void aDurableServerLosesNoAcknowledgedCommitWhenKilled() throws Exception {
        long acknowledged = 0;
        PostgresServer server = PostgresServer.start(dataDir, 0, true);
        server.createDatabaseIfMissing("seedloop_it");
        try (Connection c = connect(server); Statement s = c.createStatement()) {
            s.execute("create table acknowledged (v bigint)");
            long end = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < end) {
                s.execute("insert into acknowledged values (" + acknowledged + ")");
                acknowledged++;
            }
            ProcessHandle postmaster = ProcessHandle.of(server.pid()).orElseThrow();
            postmaster.destroyForcibly();
            postmaster.onExit().get();
        }
        server.close();
        try (PostgresServer again = PostgresServer.start(dataDir, 0, true);
                Connection c = connect(again); Statement s = c.createStatement()) {
            assertTrue(acknowledged > 100, "only " + acknowledged + " commits in 1.5 s");
            assertEquals(acknowledged, single(s, "select count(*) from acknowledged"));
        }
    }

    /**
     * A database prepared for a service: the owner role owns it and whatever an earlier version created in it as the
     * superuser, and alone may create there; the application role connects but creates nothing and gets only what the
     * owner grants (ADR 0016). Preparing it again changes nothing.
     */
    @Test
    void aDatabaseBelongsToTheOwnerRoleAndTheApplicationRoleGetsOnlyWhatIsGranted() throws Exception {
        try (PostgresServer server = PostgresServer.start(dataDir, 0)) {
            try (Connection admin = DriverManager.getConnection(server.jdbcUrl("postgres"), server.username(),
                    server.password()); Statement s = admin.createStatement()) {
                s.execute("create database seedloop_legacy");
            }
            try (Connection legacy = connect(server, "seedloop_legacy", server.username(), server.password());
                    Statement s = legacy.createStatement()) {
                s.execute("create table stored (v int)");
                s.execute("create function answer() returns int language sql as 'select 42'");
            }

            server.createDatabaseIfMissing("seedloop_legacy");
            server.createDatabaseIfMissing("seedloop_legacy");

            PostgresServer.DatabaseRole owner = server.owner();
            PostgresServer.DatabaseRole app = server.application();
            try (Connection c = connect(server, "seedloop_legacy", owner.name(), owner.password());
                    Statement s = c.createStatement()) {
                assertEquals(owner.name(), text(s, "select pg_get_userbyid(datdba) from pg_database"
                        + " where datname = current_database()"));
                assertEquals(owner.name(), text(s, "select tableowner from pg_tables where tablename = 'stored'"));
                assertEquals(owner.name(), text(s, "select pg_get_userbyid(proowner) from pg_proc"
                        + " where proname = 'answer'"));
                s.execute("create table owned (v int)");
                s.execute("insert into owned values (1)");
                s.execute("grant select on owned to " + app.name());
            }
            try (Connection c = connect(server, "seedloop_legacy", app.name(), app.password());
                    Statement s = c.createStatement()) {
                assertEquals(1, single(s, "select v from owned"));
                assertEquals("false", text(s, "select rolsuper::text from pg_roles where rolname = current_user"));
                SQLException create = assertThrows(SQLException.class, () -> s.execute("create table mine (v int)"));
                assertTrue(create.getMessage().contains("permission denied"), create.getMessage());
                SQLException write = assertThrows(SQLException.class, () -> s.execute("insert into owned values (2)"));
                assertTrue(write.getMessage().contains("permission denied"), write.getMessage());
            }
        }
    }

    @Test
    void externalServerUrlsPointAtTheGivenHost() {
        PostgresServer external = PostgresServer.external("jdbc:postgresql://db.internal:6543/x?sslmode=disable", "u", "p");
        assertEquals("jdbc:postgresql://db.internal:6543/app?sslmode=disable", external.jdbcUrl("app"));
        assertEquals("postgresql://db.internal:6543/app", external.reactiveUrl("app"));
        assertEquals(6543, external.port());
        assertEquals("u", external.username());
        assertEquals("p", external.password());
        external.close();
    }

    private static Connection connect(PostgresServer server) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl("seedloop_it"), server.username(), server.password());
    }

    private static Connection connect(PostgresServer server, String database, String user, String password)
            throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(database), user, password);
    }

    private static String text(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static int single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
