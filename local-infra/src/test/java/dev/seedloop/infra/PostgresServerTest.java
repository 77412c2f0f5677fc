package dev.seedloop.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
            }
        }
        assertFalse(Files.exists(dataDir.resolve("pgdata/postmaster.pid")), "postmaster still running");

        try (PostgresServer server = PostgresServer.start(dataDir, 0);
                Connection c = connect(server); Statement s = c.createStatement()) {
            assertEquals(42, single(s, "select v from kept"));
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

    private static int single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
