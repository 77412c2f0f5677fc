package dev.seedloop.messaging;

import java.lang.reflect.Method;
import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Whether a handler's failure will pass by itself (retry it, for a long time) or will happen again on every attempt
 * with this record (retry it a few times, then dead-letter it).
 *
 * <p>Transient: anything in the cause chain that is, or extends, one of {@link #TRANSIENT_TYPES} (timeouts, refused or
 * reset connections, Kafka's retriable errors, JDBC's transient and recoverable exceptions, a closed Vert.x SQL
 * connection), a {@link TransientFailure}, a type named in the channel's {@code transient.extra-types}, or a SQL
 * state saying the database is unreachable, overloaded, shutting down or lost a serialization race. Everything else
 * is deterministic: a handler bug, an event too large, a study nobody knows. Types are matched by name, so this module
 * needs neither Kafka's nor a database client's classes to recognise them.
 */
@RegisterForReflection(classNames = "io.vertx.pgclient.PgException", methods = true)
public enum FailureKind {
    TRANSIENT,
    DETERMINISTIC;

    /** Names of failure types (and their subtypes) that pass by themselves. */
    public static final Set<String> TRANSIENT_TYPES = Set.of(
            "java.util.concurrent.TimeoutException",
            "io.smallrye.mutiny.TimeoutException",
            "java.net.SocketException", // includes ConnectException: refused, reset, unreachable
            "java.net.SocketTimeoutException",
            "java.net.UnknownHostException",
            "java.nio.channels.ClosedChannelException",
            "java.sql.SQLTransientException",
            "java.sql.SQLRecoverableException",
            "org.apache.kafka.common.errors.RetriableException", // Kafka's TimeoutException, NotEnoughReplicas, ...
            "org.apache.kafka.common.errors.DisconnectException",
            "io.netty.channel.ConnectTimeoutException",
            "io.vertx.core.impl.NoStackTraceTimeoutException",
            "io.vertx.sqlclient.ClosedConnectionException",
            TransientFailure.class.getName());

    private static final int MAX_CAUSES = 32;

    /** The kind of {@code failure}, with only the built-in transient types. */
    public static FailureKind of(Throwable failure) {
        return of(failure, Set.of());
    }

    /** The kind of {@code failure}; {@code extraTransientTypes} names further transient types (and their subtypes). */
    public static FailureKind of(Throwable failure, Set<String> extraTransientTypes) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.size() < MAX_CAUSES && seen.add(t); t = t.getCause()) {
            for (Class<?> type = t.getClass(); type != null; type = type.getSuperclass()) {
                if (TRANSIENT_TYPES.contains(type.getName()) || extraTransientTypes.contains(type.getName())) {
                    return TRANSIENT;
                }
            }
            if (transientSqlState(sqlState(t))) {
                return TRANSIENT;
            }
        }
        return DETERMINISTIC;
    }

    /**
     * SQL states of a database that is unreachable or busy rather than of a statement that is wrong: connection
     * exceptions (08), serialization failures and deadlocks (40001, 40P01), insufficient resources (53), lock not
     * available (55P03), operator intervention (57P01-57P03: shutting down, restarting) and system errors (58). A
     * role refused at login (28: its password being rotated, its login switched off for maintenance) refuses every
     * record alike: dead-lettering them one after another would throw the loop's history away, so it waits.
     */
    static boolean transientSqlState(String state) {
        if (state == null || state.length() != 5) {
            return false;
        }
        return state.startsWith("08") || state.startsWith("28") || state.equals("40001") || state.equals("40P01") || state.startsWith("53")
                || state.equals("55P03") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                || state.startsWith("58");
    }

    /** JDBC's state, or that of a reactive client's exception with a {@code getSqlState()} (Vert.x's PgException). */
    private static String sqlState(Throwable t) {
        if (t instanceof SQLException sql) {
            return sql.getSQLState();
        }
        try {
            Method getter = t.getClass().getMethod("getSqlState");
            return getter.getReturnType() == String.class ? (String) getter.invoke(t) : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
