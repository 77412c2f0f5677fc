package dev.seedloop.deployment;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml, read by Debian's docker-compose (v1.29) with the committed .env, against what the services
 * read and what the build produces ({@link ComposeChecks}). Our machines cannot run containers, so the stack is
 * checked, not started. Every check is also shown to fail on a broken copy of the files, with its message.
 */
class ComposeFileTest {

    private static final Path ROOT = repositoryRoot();
    private static final Map<String, ServiceSettings> SETTINGS = new LinkedHashMap<>();

    @BeforeAll
    static void readServices() throws Exception {
        for (String service : ComposeChecks.SERVICES) {
            SETTINGS.put(service, ServiceSettings.of(ROOT, service));
        }
    }

    @Test
    void theComposeFileParsesWithItsEnvFileAndPassesEveryCheck() throws Exception {
        ComposeConfig compose = ComposeConfig.read(ROOT);

        assertThat(new ComposeChecks(ROOT, ROOT, compose, SETTINGS).all()).isEmpty();
        assertThat(compose.services()).containsKeys("kafka", "kafka-topics", "postgres", "keycloak")
                .containsKeys(ComposeChecks.SERVICES.toArray(String[]::new));
    }

    @Test
    void theEnvironmentMappingFindsTheServicesProperties() {
        ServiceSettings implementer = SETTINGS.get("implementer-service");
        assertThat(implementer.propertyOf("SEEDLOOP_IMPLEMENTER_DATA_DIR")).contains("seedloop.implementer.data-dir");
        assertThat(implementer.propertyOf("SEEDLOOP_IMPLEMENTER_MAX_MEMORY_MIB"))
                .contains("seedloop.implementer.max.memory-mib");
        assertThat(implementer.propertyOf("SEEDLOOP_MESSAGING_CHANNELS_PROPOSALS_IN_TRANSIENT_MAX_DELAY"))
                .contains("seedloop.messaging.channels.proposals-in.transient.max-delay");
        assertThat(implementer.propertyOf("SEEDLOOP_MESSAGING_CHANNELS_ANY_CHANNEL_DETERMINISTIC_MAX_RETRIES"))
                .contains("seedloop.messaging.channels.*.deterministic.max-retries");
        assertThat(implementer.propertyOf("SEEDLOOP_IMPLEMENTER_DATA_DIRECTORY")).isEmpty();
        assertThat(SETTINGS.get("gateway").propertyOf("QUARKUS_FLYWAY_USERNAME")).isPresent();
        assertThat(SETTINGS.get("gateway").propertyOf("QUARKUS_OIDC_JWKS_PATH")).isPresent();
        assertThat(SETTINGS.get("evaluator-service").propertyOf("QUARKUS_OIDC_JWKS_PATH")).isEmpty();
        assertThat(SETTINGS.get("gateway").fixedAtBuildTime("QUARKUS_DATASOURCE_DB_KIND")).isTrue();
        assertThat(SETTINGS.get("learner-service").healthPort(Map.of())).isEqualTo(9084);
        assertThat(SETTINGS.get("gateway").healthPort(Map.of())).isEqualTo(8080);
    }

    /**
     * Each check, given a fault in a copy of docker-compose.yml or .env, names what is wrong. Faults share a copy only
     * where they touch different lines and different checks.
     */
    @Test
    void everyCheckFailsOnABrokenCopy(@TempDir Path temp) throws Exception {
        String composeFile = Files.readString(ROOT.resolve("docker-compose.yml"));
        String envFile = Files.readString(ROOT.resolve(".env"));
        List<Breakage> breakages = List.of(
                new Breakage(1, "an unset variable", "compose", "POSTGRES_DB: ${POSTGRES_DB}", "POSTGRES_DB: ${POSTGRES_DATABASE}",
                        "POSTGRES_DATABASE variable is not set"),
                new Breakage(2, "postgres published", "compose",
                        "      - ./deploy/postgres/init-roles.sh:/docker-entrypoint-initdb.d/10-init-roles.sh:ro\n",
                        "      - ./deploy/postgres/init-roles.sh:/docker-entrypoint-initdb.d/10-init-roles.sh:ro\n"
                                + "    ports: [\"55432:5432\"]\n",
                        "postgres publishes ports"),
                new Breakage(1, "no health check", "compose", """
                            healthcheck:
                              # The broker answers an API-versions request on its client listener (the image's own tool).
                              test: ["CMD", "/opt/kafka/bin/kafka-broker-api-versions.sh", "--bootstrap-server", "127.0.0.1:9092"]
                              interval: 10s
                              timeout: 20s
                              retries: 12
                              start_period: 30s
                        """, "", "kafka has no health check"),
                new Breakage(2, "started is not healthy", "compose",
                        "      keycloak:\n        condition: service_healthy", "      keycloak:\n        condition: service_started",
                        "gateway waits for keycloak with condition service_started"),
                new Breakage(1, "a bound data directory", "compose", "      - implementer-data:/var/lib/seedloop/implementer",
                        "      - ./data:/var/lib/seedloop/implementer", "implementer-service binds the host's"),
                new Breakage(4, "a workspace on the gateway's disk", "compose",
                        "      - ${PUBLISH_ADDRESS}:${GATEWAY_PORT}:8080\n",
                        "      - ${PUBLISH_ADDRESS}:${GATEWAY_PORT}:8080\n    volumes: [\"./examples:/workspaces:ro\"]\n",
                        "nothing of a workspace is on its disk"),
                new Breakage(2, "state off its volume", "compose",
                        "      SEEDLOOP_IMPLEMENTER_DATA_DIR: /var/lib/seedloop/implementer\n", "",
                        "implementer-service's state directory SEEDLOOP_IMPLEMENTER_DATA_DIR"),
                new Breakage(3, "the superuser", "env", "SEEDLOOP_DB_APP=seedloop_app", "SEEDLOOP_DB_APP=postgres",
                        "uses the PostgreSQL superuser's credentials in QUARKUS_DATASOURCE_USERNAME"),
                new Breakage(3, "mismatched role password", "compose",
                        "      QUARKUS_FLYWAY_PASSWORD: ${SEEDLOOP_DB_OWNER_PASSWORD}\n      # The HTTP port (8084)",
                        "      QUARKUS_FLYWAY_PASSWORD: ${SEEDLOOP_DB_APP_PASSWORD}\n      # The HTTP port (8084)",
                        "learner-service's QUARKUS_FLYWAY_PASSWORD is not the role"),
                new Breakage(4, "an image nothing builds", "env", "SEEDLOOP_IMAGE_TAG=0.1.0-SNAPSHOT",
                        "SEEDLOOP_IMAGE_TAG=latest", "gateway runs image seedloop/gateway:latest"),
                new Breakage(3, "another broker", "compose", "image: apache/kafka:4.3.1\n    environment:\n      CLUSTER_ID",
                        "image: apache/kafka:4.1.0\n    environment:\n      CLUSTER_ID", "kafka runs apache/kafka:4.1.0"),
                new Breakage(4, "a variable nothing reads", "compose", "SEEDLOOP_IMPLEMENTER_DATA_DIR:",
                        "SEEDLOOP_IMPLEMENTER_DATA_DIRECTORY:", "sets SEEDLOOP_IMPLEMENTER_DATA_DIRECTORY, which names no"),
                new Breakage(2, "a build-time property", "compose", "      KAFKA_BOOTSTRAP_SERVERS: kafka:9092\n      # The issuer",
                        "      KAFKA_BOOTSTRAP_SERVERS: kafka:9092\n      QUARKUS_DATASOURCE_DB_KIND: h2\n      # The issuer",
                        "gateway sets QUARKUS_DATASOURCE_DB_KIND, a Quarkus property fixed at build time"),
                new Breakage(3, "the wrong health port", "compose", "/dev/tcp/127.0.0.1/8083", "/dev/tcp/127.0.0.1/8084",
                        "evaluator-service's health check port 8084/q/health/ready is not where"),
                new Breakage(4, "the wrong address", "compose",
                        "QUARKUS_OIDC_JWKS_PATH: http://keycloak:8080/realms/seedloop/protocol",
                        "QUARKUS_OIDC_JWKS_PATH: http://keycloak:8081/realms/seedloop/protocol",
                        "gateway's QUARKUS_OIDC_JWKS_PATH reaches keycloak:8081, which listens on 8080"),
                new Breakage(4, "an unprivileged sandbox", "compose", "    user: \"0:0\"\n    privileged: true\n", "",
                        "implementer-service must run as root in a privileged container"),
                new Breakage(3, "a privileged gateway", "compose", "  gateway:\n", "  gateway:\n    privileged: true\n",
                        "gateway is given privileges"),
                new Breakage(4, "a dependency not waited for", "compose",
                        "      start_period: 60s\n    depends_on:\n      kafka:\n        condition: service_healthy\n",
                        "      start_period: 60s\n    depends_on:\n",
                        "evaluator-service reaches kafka but does not wait for it"),
                new Breakage(1, "the learner's internal port opened", "compose",
                        "      QUARKUS_FLYWAY_PASSWORD: ${SEEDLOOP_DB_OWNER_PASSWORD}\n      # The HTTP port (8084)",
                        "      QUARKUS_FLYWAY_PASSWORD: ${SEEDLOOP_DB_OWNER_PASSWORD}\n      QUARKUS_HTTP_HOST: 0.0.0.0\n      # The HTTP port (8084)",
                        "learner-service binds its HTTP port (/internal/*, no authentication) to 0.0.0.0"),
                new Breakage(2, "a topic missing", "compose", ",seedloop.imports\n", "\n",
                        "kafka-topics' RECORD_TOPICS"),
                new Breakage(1, "another issuer", "compose", "KC_HOSTNAME: http://${KEYCLOAK_HOST}:${KEYCLOAK_PORT}",
                        "KC_HOSTNAME: http://keycloak:8080", "gateway's QUARKUS_OIDC_TOKEN_ISSUER"),
                new Breakage(1, "an implementer without its sandbox", "compose",
                        "    image: seedloop/implementer-service-sandbox:${SEEDLOOP_IMAGE_TAG}\n",
                        "    image: seedloop/implementer-service:${SEEDLOOP_IMAGE_TAG}\n",
                        "implementer-service runs image seedloop/implementer-service:0.1.0-SNAPSHOT, expected"),
                new Breakage(3, "discovery at the public issuer", "compose", "QUARKUS_OIDC_DISCOVERY_ENABLED: \"false\"",
                        "QUARKUS_OIDC_DISCOVERY_ENABLED: \"true\"", "gateway's QUARKUS_OIDC_DISCOVERY_ENABLED is not false"),
                new Breakage(3, "no realm import", "compose", "      - ./deploy/keycloak:/opt/keycloak/data/import:ro\n", "",
                        "keycloak does not import deploy/keycloak"));

        // Four copies, each with five faults in different places, read at once: docker-compose takes most of a second.
        Map<Integer, List<Breakage>> copies = breakages.stream()
                .collect(Collectors.groupingBy(Breakage::copy, TreeMap::new, Collectors.toList()));
        ExecutorService pool = Executors.newFixedThreadPool(copies.size());
        try {
            Map<Integer, Future<List<String>>> faults = new TreeMap<>();
            for (var copy : copies.entrySet()) {
                String brokenCompose = composeFile;
                String brokenEnv = envFile;
                for (Breakage breakage : copy.getValue()) {
                    brokenCompose = breakage.file().equals("compose") ? breakage.apply(brokenCompose) : brokenCompose;
                    brokenEnv = breakage.file().equals("env") ? breakage.apply(brokenEnv) : brokenEnv;
                }
                Path dir = Files.createDirectories(temp.resolve("copy-" + copy.getKey()));
                Files.writeString(dir.resolve("docker-compose.yml"), brokenCompose);
                Files.writeString(dir.resolve(".env"), brokenEnv);
                // What the file builds from and mounts (the implementer's sandbox image needs its build context).
                Files.createSymbolicLink(dir.resolve("deploy"), ROOT.resolve("deploy"));
                faults.put(copy.getKey(), pool.submit(() -> new ComposeChecks(ROOT, dir, ComposeConfig.read(dir), SETTINGS).all()));
            }
            for (Breakage breakage : breakages) {
                assertThat(faults.get(breakage.copy()).get()).as(breakage.name())
                        .anySatisfy(fault -> assertThat(fault).contains(breakage.expectedFault()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * One fault put into copy number {@code copy}: {@code original} (which must be there, once) replaced by
     * {@code broken} in {@code file} ("compose" or "env"); the checks must then report {@code expectedFault}.
     */
    private record Breakage(int copy, String name, String file, String original, String broken, String expectedFault) {
        String apply(String text) {
            int at = text.indexOf(original);
            if (at < 0 || text.indexOf(original, at + 1) >= 0) {
                throw new IllegalStateException("'" + name + "': the text to break is not in the file exactly once: "
                        + original);
            }
            return text.substring(0, at) + broken + text.substring(at + original.length());
        }
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("No docker-compose.yml above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
