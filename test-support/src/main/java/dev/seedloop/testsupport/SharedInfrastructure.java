package dev.seedloop.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import dev.seedloop.infra.CatalogueTopics;
import dev.seedloop.infra.KafkaBroker;
import dev.seedloop.infra.KeycloakServer;
import dev.seedloop.infra.PostgresServer;

/**
 * The Kafka broker, PostgreSQL server and Keycloak server shared by every test in one JVM.
 *
 * <p>Each is started lazily, at most once per JVM (not per test class, because starting them costs
 * seconds), and stopped by a shutdown hook, after which their temporary data directory is deleted.
 * A failed start is remembered and rethrown, so a broken environment fails fast instead of once per
 * test class after a full timeout.
 *
 * <p>Once per JVM, not once per class loader: Quarkus loads this class again for every test profile (and for a
 * change of test resources), and a second broker, PostgreSQL and Keycloak would cost a profile change about 25 s
 * and leave the first ones running beside them until the JVM exits. So the servers one class loader started are
 * published in system properties ({@code seedloop.test.shared.*}), and a class loader that finds them there uses them
 * as it uses external servers; the class loader that started them stops them at exit.
 *
 * <p>The broker holds every topic of the {@link dev.seedloop.events.TopicCatalogue} with its retention before the
 * first test uses it, and creates no topic by its use: a test of a topic of its own creates it
 * ({@link KafkaTopics#createTopics}).
 *
 * <p>External servers take precedence when configured through the environment:
 * {@code SEEDLOOP_TEST_KAFKA_BOOTSTRAP} for Kafka, and {@code SEEDLOOP_TEST_DB_URL} (a JDBC URL) with
 * {@code SEEDLOOP_TEST_DB_USER} and {@code SEEDLOOP_TEST_DB_PASSWORD} for PostgreSQL (a superuser: test databases
 * are prepared with an owner and an application role, see {@link PostgresServer#createDatabaseIfMissing}), and
 * {@code SEEDLOOP_TEST_KEYCLOAK_URL} (base URL, e.g. {@code http://127.0.0.1:8180}, serving the
 * {@code seedloop} realm) for Keycloak.
 */
public final class SharedInfrastructure {

    public static final String KAFKA_BOOTSTRAP_ENV = "SEEDLOOP_TEST_KAFKA_BOOTSTRAP";
    public static final String DB_URL_ENV = "SEEDLOOP_TEST_DB_URL";
    public static final String DB_USER_ENV = "SEEDLOOP_TEST_DB_USER";
    public static final String DB_PASSWORD_ENV = "SEEDLOOP_TEST_DB_PASSWORD";
    public static final String KEYCLOAK_URL_ENV = "SEEDLOOP_TEST_KEYCLOAK_URL";

    private static final String SHARED = "seedloop.test.shared.";
    private static final String SHARED_KAFKA = SHARED + "kafka.bootstrap";
    private static final String SHARED_DB_URL = SHARED + "db.url";
    private static final String SHARED_DB_USER = SHARED + "db.user";
    private static final String SHARED_DB_PASSWORD = SHARED + "db.password";
    private static final String SHARED_KEYCLOAK = SHARED + "keycloak.url";
    private static final String FAILED = ".failed";
    /**
     * Every class loader's copy of this class locks the same object: string literals are interned JVM-wide. Held
     * while a server starts, so that two class loaders never start two.
     */
    private static final Object JVM_LOCK = "dev.seedloop.testsupport.SharedInfrastructure: JVM-wide start lock";

    private static Path baseDir;
    private static KafkaBroker kafka;
    private static String kafkaBootstrap;
    private static RuntimeException kafkaFailure;
    private static PostgresServer postgres;
    private static RuntimeException postgresFailure;
    private static KeycloakServer keycloak;
    private static RuntimeException keycloakFailure;

    private SharedInfrastructure() {
    }

    /** The {@code bootstrap.servers} of the shared (or external) broker, starting it if needed. */
    public static synchronized String kafkaBootstrapServers() {
        if (kafkaBootstrap != null) {
            return kafkaBootstrap;
        }
        if (kafkaFailure != null) {
            throw kafkaFailure;
        }
        String external = System.getenv(KAFKA_BOOTSTRAP_ENV);
        if (external != null && !external.isBlank()) {
            // The embedded broker creates them itself; a broker of someone else's gets them here.
            CatalogueTopics.apply(external.trim());
            kafkaBootstrap = external.trim();
            return kafkaBootstrap;
        }
        synchronized (JVM_LOCK) {
            String shared = published(SHARED_KAFKA);
            if (shared != null) {
                kafkaBootstrap = shared;
                return kafkaBootstrap;
            }
            try {
                kafka = KafkaBroker.start(baseDir().resolve("kafka"), 0);
                kafkaBootstrap = kafka.bootstrapServers();
                System.setProperty(SHARED_KAFKA, kafkaBootstrap);
                return kafkaBootstrap;
            } catch (RuntimeException e) {
                kafkaFailure = e;
                System.setProperty(SHARED_KAFKA + FAILED, String.valueOf(e));
                throw e;
            }
        }
    }

    /**
     * The broker this class loader started, or empty when an external broker is configured or another class loader
     * of this JVM started it.
     */
    public static synchronized Optional<KafkaBroker> embeddedKafka() {
        kafkaBootstrapServers();
        return Optional.ofNullable(kafka);
    }

    /** The shared (or external) PostgreSQL server, starting it if needed. */
    public static synchronized PostgresServer postgres() {
        if (postgres != null) {
            return postgres;
        }
        if (postgresFailure != null) {
            throw postgresFailure;
        }
        String externalUrl = System.getenv(DB_URL_ENV);
        if (externalUrl != null && !externalUrl.isBlank()) {
            postgres = PostgresServer.external(externalUrl.trim(),
                    System.getenv().getOrDefault(DB_USER_ENV, "postgres"),
                    System.getenv().getOrDefault(DB_PASSWORD_ENV, ""));
            return postgres;
        }
        synchronized (JVM_LOCK) {
            String shared = published(SHARED_DB_URL);
            if (shared != null) {
                postgres = PostgresServer.external(shared, System.getProperty(SHARED_DB_USER),
                        System.getProperty(SHARED_DB_PASSWORD));
                return postgres;
            }
            try {
                PostgresServer started = PostgresServer.start(baseDir().resolve("postgres"), 0);
                System.setProperty(SHARED_DB_USER, started.username());
                System.setProperty(SHARED_DB_PASSWORD, started.password());
                System.setProperty(SHARED_DB_URL, started.jdbcUrl("postgres"));
                postgres = started;
                return postgres;
            } catch (RuntimeException e) {
                postgresFailure = e;
                System.setProperty(SHARED_DB_URL + FAILED, String.valueOf(e));
                throw e;
            }
        }
    }

    /**
     * The shared (or external) Keycloak server with the {@code seedloop} realm from
     * {@code deploy/keycloak/seedloop-realm.json}, starting it if needed (about 7 s from a saved
     * database template, 15-20 s when the realm must be imported, plus a one-time ~30 s build of the
     * distribution on a new machine; see {@link KeycloakServer}).
     */
    public static synchronized KeycloakServer keycloak() {
        if (keycloak != null) {
            return keycloak;
        }
        if (keycloakFailure != null) {
            throw keycloakFailure;
        }
        String external = System.getenv(KEYCLOAK_URL_ENV);
        if (external != null && !external.isBlank()) {
            keycloak = KeycloakServer.external(external.trim());
            return keycloak;
        }
        synchronized (JVM_LOCK) {
            String shared = published(SHARED_KEYCLOAK);
            if (shared != null) {
                keycloak = KeycloakServer.external(shared);
                return keycloak;
            }
            try {
                keycloak = KeycloakServer.start(baseDir().resolve("keycloak"), 0, KeycloakServer.findRealmFile());
                System.setProperty(SHARED_KEYCLOAK, keycloak.baseUrl());
                return keycloak;
            } catch (RuntimeException e) {
                keycloakFailure = e;
                System.setProperty(SHARED_KEYCLOAK + FAILED, String.valueOf(e));
                throw e;
            }
        }
    }

    /**
     * What another class loader of this JVM published under {@code key}: the server it started, null when none did,
     * or its failure to start one, rethrown here rather than trying again after the same timeout.
     */
    private static String published(String key) {
        String failed = System.getProperty(key + FAILED);
        if (failed != null) {
            throw new IllegalStateException("Another class loader of this JVM could not start it: " + failed);
        }
        return System.getProperty(key);
    }

    private static Path baseDir() {
        if (baseDir == null) {
            try {
                baseDir = Files.createTempDirectory("seedloop-test-infra-");
            } catch (IOException e) {
                throw new UncheckedIOException("Could not create a temporary directory for test infrastructure", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(SharedInfrastructure::shutdown, "seedloop-test-infra-stop"));
        }
        return baseDir;
    }

    private static void shutdown() {
        KafkaBroker broker;
        PostgresServer server;
        KeycloakServer idp;
        Path dir;
        synchronized (SharedInfrastructure.class) {
            broker = kafka;
            server = postgres;
            idp = keycloak;
            dir = baseDir;
        }
        // Best effort throughout: this runs while the JVM exits and must not stop halfway.
        try {
            if (broker != null) {
                broker.close();
            }
        } catch (RuntimeException ignored) {
            // Nothing more can be done here.
        }
        try {
            if (server != null) {
                server.close();
            }
        } catch (RuntimeException ignored) {
            // Nothing more can be done here.
        }
        try {
            if (idp != null) {
                idp.close();
            }
        } catch (RuntimeException ignored) {
            // Nothing more can be done here.
        }
        if (dir != null) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | RuntimeException ignored) {
                // Leftovers in the temp directory are harmless.
            }
        }
    }
}
