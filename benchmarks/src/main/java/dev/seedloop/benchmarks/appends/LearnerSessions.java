package dev.seedloop.benchmarks.appends;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.Properties;

import org.hibernate.SessionFactory;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.cfg.Configuration;
import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.reactive.provider.ReactiveServiceRegistryBuilder;
import org.hibernate.reactive.vertx.VertxInstance;
import org.hibernate.reactive.vertx.impl.ProvidedVertxInstance;

import dev.seedloop.benchmarks.support.LearnerDatabase;
import dev.seedloop.learner.projection.persistence.StudySummaryEntity;
import dev.seedloop.learner.projection.persistence.TeamQuotaEntity;
import dev.seedloop.learner.store.persistence.StoredEventEntity;
import io.vertx.core.Vertx;

/**
 * The learner's Hibernate Reactive session factory without Quarkus: the learner's three entities, the statement
 * batch size its {@code application.properties} sets (read from the learner's jar, so the benchmark follows the
 * service), Quarkus's default pool size, the learner's database role, and the benchmark's Vert.x. Quarkus itself
 * (CDI, the Kafka connector) is not started: the statements the append path sends are Hibernate's either way.
 */
final class LearnerSessions {

    /** Quarkus's default {@code quarkus.datasource.reactive.max-size}; the learner does not set it. */
    private static final int POOL_SIZE = 20;
    private static final String BATCH_SIZE = "quarkus.hibernate-orm.jdbc.statement-batch-size";

    private LearnerSessions() {
    }

    /**
     * The statement batch size the learner runs with, from its own application.properties: the one in the jar (or
     * class directory) of its classes, as other services' are on the classpath too.
     */
    static int learnerBatchSize() {
        Properties learner = new Properties();
        try {
            String home = StoredEventEntity.class.getProtectionDomain().getCodeSource().getLocation().toString();
            URL own = Collections.list(StoredEventEntity.class.getClassLoader().getResources("application.properties"))
                    .stream().filter(url -> url.toString().contains(home)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no application.properties of the learner in " + home));
            try (InputStream in = own.openStream()) {
                learner.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String value = learner.getProperty(BATCH_SIZE);
        if (value == null) {
            throw new IllegalStateException("the learner's application.properties has no " + BATCH_SIZE);
        }
        return Integer.parseInt(value.trim());
    }

    /** {@code statementBatchSize} 0 leaves Hibernate's default: every insert its own statement. */
    static Mutiny.SessionFactory open(LearnerDatabase database, Vertx vertx, int statementBatchSize) {
        Configuration configuration = new Configuration()
                .addAnnotatedClass(StoredEventEntity.class)
                .addAnnotatedClass(StudySummaryEntity.class)
                .addAnnotatedClass(TeamQuotaEntity.class);
        Properties settings = new Properties();
        settings.setProperty(AvailableSettings.JAKARTA_JDBC_URL, database.jdbcUrl());
        settings.setProperty(AvailableSettings.JAKARTA_JDBC_USER, database.postgres().application().name());
        settings.setProperty(AvailableSettings.JAKARTA_JDBC_PASSWORD, database.postgres().application().password());
        settings.setProperty(AvailableSettings.POOL_SIZE, Integer.toString(POOL_SIZE));
        settings.setProperty(AvailableSettings.DIALECT, "org.hibernate.dialect.PostgreSQLDialect");
        // The schema is Flyway's (quarkus.hibernate-orm.schema-management.strategy=none).
        settings.setProperty(AvailableSettings.JAKARTA_HBM2DDL_DATABASE_ACTION, "none");
        if (statementBatchSize > 0) {
            settings.setProperty(AvailableSettings.STATEMENT_BATCH_SIZE, Integer.toString(statementBatchSize));
        }
        configuration.addProperties(settings);
        StandardServiceRegistry registry = new ReactiveServiceRegistryBuilder()
                .applySettings(configuration.getProperties())
                .addService(VertxInstance.class, new ProvidedVertxInstance(vertx))
                .build();
        SessionFactory factory = configuration.buildSessionFactory(registry);
        return factory.unwrap(Mutiny.SessionFactory.class);
    }
}
