package dev.seedloop.deployment;

import dev.seedloop.events.TopicCatalogue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What docker-compose.yml must hold, checked on {@code docker-compose config}'s reading of it against the repository:
 * the services' own configuration ({@link ServiceSettings}), the project's version, the broker and Keycloak versions
 * the tests run against, the topic catalogue and the realm. Each check returns what it found wrong, one line per
 * fault naming the service, so that {@code ComposeFileTest} can prove every check fails on a broken copy.
 */
final class ComposeChecks {

    /** The five services, each built from the module of the same name. */
    static final List<String> SERVICES =
            List.of("gateway", "proposer-service", "implementer-service", "evaluator-service", "learner-service");
    private static final String IMPLEMENTER = "implementer-service";
    /** What users reach: the API and the log-in page. */
    static final Set<String> PUBLISHED = Set.of("gateway", "keycloak");

    private static final Pattern HEALTH_PROBE = Pattern.compile("/dev/tcp/127\\.0\\.0\\.1/(\\d+)\\b.*GET (/q/health/\\w+)");
    private static final Pattern HOST_PORT = Pattern.compile("(?://|^|[,@])([a-z][a-z0-9-]*):(\\d+)");

    private final Path root;
    private final Path composeDir;
    private final ComposeConfig compose;
    private final Map<String, ServiceSettings> settings;

    /**
     * @param root       the repository: versions, the realm, the services' configuration
     * @param composeDir where the checked docker-compose.yml and .env are (the repository's root, or a broken copy)
     */
    ComposeChecks(Path root, Path composeDir, ComposeConfig compose, Map<String, ServiceSettings> settings) {
        this.root = root;
        this.composeDir = composeDir;
        this.compose = compose;
        this.settings = settings;
    }

    /** Every fault found, by check. */
    List<String> all() throws IOException {
        List<String> faults = new ArrayList<>();
        faults.addAll(variablesSet());
        faults.addAll(onlyGatewayAndKeycloakPublished());
        faults.addAll(healthChecks());
        faults.addAll(dependsOnConditions());
        faults.addAll(namedVolumes());
        faults.addAll(stateOnVolumes());
        faults.addAll(noSuperuser());
        faults.addAll(images());
        faults.addAll(environmentIsRead());
        faults.addAll(addresses());
        faults.addAll(topics());
        faults.addAll(privileges());
        faults.addAll(issuer());
        return faults;
    }

    /** docker-compose only warns about a variable .env lacks, and puts in an empty string. */
    List<String> variablesSet() {
        return compose.warnings().stream().filter(line -> line.contains("variable is not set"))
                .map(line -> ".env: " + line.trim()).toList();
    }

    List<String> onlyGatewayAndKeycloakPublished() {
        List<String> faults = new ArrayList<>();
        compose.services().keySet().forEach(service -> {
            if (!PUBLISHED.contains(service) && !compose.ports(service).isEmpty()) {
                faults.add(service + " publishes ports " + compose.ports(service) + "; only gateway and keycloak may");
            }
        });
        for (String service : PUBLISHED) {
            if (compose.services().containsKey(service) && compose.ports(service).isEmpty()) {
                faults.add(service + " publishes no port");
            }
        }
        return faults;
    }

    /** Every long-running service has a health check; the five probe /q/health/ready on the port they serve it on. */
    List<String> healthChecks() {
        List<String> faults = new ArrayList<>();
        for (String service : compose.services().keySet()) {
            if (jobs().contains(service)) {
                continue;
            }
            String check = compose.healthCheck(service);
            if (check == null) {
                faults.add(service + " has no health check");
            } else if (SERVICES.contains(service)) {
                Matcher probe = HEALTH_PROBE.matcher(check);
                int port = settings.get(service).healthPort(compose.environment(service));
                if (!probe.find()) {
                    faults.add(service + "'s health check does not GET /q/health/ready on 127.0.0.1: " + check);
                } else if (Integer.parseInt(probe.group(1)) != port || !probe.group(2).equals("/q/health/ready")) {
                    faults.add(service + "'s health check port " + probe.group(1) + probe.group(2)
                            + " is not where the service serves /q/health/ready (" + port + ", its application.properties)");
                }
            }
        }
        return faults;
    }

    /**
     * Nothing waits on a mere start: every dependency is healthy (or a job that completed). Each service waits for
     * every other service its environment names (kafka:9092, postgres:5432, keycloak:8080 ...).
     */
    List<String> dependsOnConditions() {
        List<String> faults = new ArrayList<>();
        for (String service : compose.services().keySet()) {
            Map<String, String> dependsOn = compose.dependsOn(service);
            dependsOn.forEach((dependency, condition) -> {
                String expected = jobs().contains(dependency) ? "service_completed_successfully" : "service_healthy";
                if (!condition.equals(expected)) {
                    faults.add(service + " waits for " + dependency + " with condition " + condition + ", not " + expected);
                }
            });
            Set<String> named = new TreeSet<>();
            compose.environment(service).values().forEach(value -> {
                Matcher address = HOST_PORT.matcher(value);
                while (address.find()) {
                    if (compose.services().containsKey(address.group(1)) && !address.group(1).equals(service)) {
                        named.add(address.group(1));
                    }
                }
            });
            named.stream().filter(dependency -> !dependsOn.containsKey(dependency)).forEach(dependency ->
                    faults.add(service + " reaches " + dependency + " but does not wait for it (depends_on)"));
            if (SERVICES.contains(service) && dependsOn.isEmpty()) {
                faults.add(service + " has no depends_on conditions");
            }
        }
        return faults;
    }

    /** Writable state only on named, declared volumes; bind mounts only read-only, only from deploy/. */
    List<String> namedVolumes() {
        List<String> faults = new ArrayList<>();
        for (String service : compose.services().keySet()) {
            for (String mount : compose.mounts(service)) {
                String[] parts = mount.split(":");
                String source = parts[0];
                boolean readOnly = parts.length > 2 && parts[2].contains("ro");
                if (parts.length == 1) {
                    faults.add(service + " mounts an anonymous volume at " + source + ": name it");
                } else if (source.startsWith("/") || source.startsWith(".")) {
                    if (!readOnly || !Path.of(source).normalize().startsWith(composeDir.resolve("deploy").normalize())) {
                        faults.add(service + " binds the host's " + source + (readOnly ? "" : " writable")
                                + ": state goes on named volumes, only deploy/ files are bound, read-only");
                    }
                } else if (!compose.volumes().containsKey(source)) {
                    faults.add(service + " mounts volume " + source + ", which is not declared under volumes:");
                }
            }
        }
        if (compose.services().containsKey("gateway") && !compose.mounts("gateway").isEmpty()) {
            faults.add("gateway mounts " + compose.mounts("gateway")
                    + ": uploads go through the API into the artifact store, nothing of a workspace is on its disk");
        }
        return faults;
    }

    /** The directories each stateful container writes, each on a named volume. */
    List<String> stateOnVolumes() {
        List<String> faults = new ArrayList<>();
        requireVolume(faults, "kafka", compose.environment("kafka").get("KAFKA_LOG_DIRS"), "KAFKA_LOG_DIRS");
        requireVolume(faults, "postgres", compose.environment("postgres").getOrDefault("PGDATA",
                "/var/lib/postgresql/data"), "PGDATA");
        requireVolume(faults, "keycloak", "/opt/keycloak/data", "its dev-file store");
        requireVolume(faults, "implementer-service",
                compose.environment("implementer-service").get("SEEDLOOP_IMPLEMENTER_DATA_DIR"),
                "SEEDLOOP_IMPLEMENTER_DATA_DIR (default data/implementer, inside the container)");
        return faults;
    }

    private void requireVolume(List<String> faults, String service, String directory, String what) {
        if (!compose.services().containsKey(service)) {
            faults.add(service + " is missing");
            return;
        }
        if (directory == null || !directory.startsWith("/")) {
            faults.add(service + "'s state directory " + what + " is not set to an absolute path");
            return;
        }
        boolean onVolume = compose.mounts(service).stream().map(mount -> mount.split(":"))
                .anyMatch(parts -> parts.length > 1 && compose.volumes().containsKey(parts[0])
                        && (directory + "/").startsWith(parts[1].endsWith("/") ? parts[1] : parts[1] + "/"));
        if (!onVolume) {
            faults.add(service + "'s state " + directory + " (" + what + ") is not on a named volume");
        }
    }

    /**
     * The superuser stays in the postgres container. Each service connects as the application role and migrates as
     * the owner, with the passwords postgres creates those roles with (ADR 0016).
     */
    List<String> noSuperuser() {
        List<String> faults = new ArrayList<>();
        Map<String, String> postgres = compose.environment("postgres");
        Set<String> superuser = new java.util.HashSet<>(List.of(postgres.getOrDefault("POSTGRES_USER", "postgres"),
                postgres.getOrDefault("POSTGRES_PASSWORD", "")));
        superuser.remove("");
        for (String service : compose.services().keySet()) {
            if (service.equals("postgres")) {
                continue;
            }
            compose.environment(service).forEach((name, value) -> {
                if (superuser.contains(value) || value.contains("//postgres:postgres@")) {
                    faults.add(service + " uses the PostgreSQL superuser's credentials in " + name);
                }
            });
        }
        for (String service : SERVICES) {
            Map<String, String> environment = compose.environment(service);
            if (!environment.containsKey("QUARKUS_DATASOURCE_USERNAME")) {
                continue;
            }
            expect(faults, service, environment, "QUARKUS_DATASOURCE_USERNAME", postgres.get("SEEDLOOP_DB_APP"));
            expect(faults, service, environment, "QUARKUS_DATASOURCE_PASSWORD", postgres.get("SEEDLOOP_DB_APP_PASSWORD"));
            expect(faults, service, environment, "QUARKUS_FLYWAY_USERNAME", postgres.get("SEEDLOOP_DB_OWNER"));
            expect(faults, service, environment, "QUARKUS_FLYWAY_PASSWORD", postgres.get("SEEDLOOP_DB_OWNER_PASSWORD"));
        }
        return faults;
    }

    private static void expect(List<String> faults, String service, Map<String, String> environment, String name,
            String expected) {
        if (expected == null || !expected.equals(environment.get(name))) {
            faults.add(service + "'s " + name + " is not the role postgres's init-roles.sh creates");
        }
    }

    /** The images the build produces, and the broker and Keycloak the tests run against. */
    List<String> images() throws IOException {
        List<String> faults = new ArrayList<>();
        String version = projectVersion(root.resolve("pom.xml"), "version");
        for (String service : SERVICES) {
            String expected = "seedloop/" + service + ":" + version;
            Map<String, Object> spec = compose.services().getOrDefault(service, Map.of());
            if (service.equals(IMPLEMENTER)) {
                faults.addAll(implementerSandboxImage(spec, expected, version));
                continue;
            }
            Object image = spec.get("image");
            if (!expected.equals(image)) {
                faults.add(service + " runs image " + image + ", the build produces " + expected);
            }
        }
        String kafka = "apache/kafka:" + projectVersion(root.resolve("kafka-broker-runtime/pom.xml"), "kafka.broker.version");
        String keycloak = "quay.io/keycloak/keycloak:"
                + projectVersion(root.resolve("keycloak-server-runtime/pom.xml"), "keycloak.version");
        compose.services().forEach((service, spec) -> {
            String image = String.valueOf(spec.get("image"));
            if (image.startsWith("apache/kafka:") && !image.equals(kafka)) {
                faults.add(service + " runs " + image + ", the tests run broker " + kafka);
            }
            if (image.startsWith("quay.io/keycloak/") && !image.equals(keycloak)) {
                faults.add(service + " runs " + image + ", the tests run " + keycloak);
            }
        });
        return faults;
    }

    /**
     * The implementer runs the build's image with its sandbox's packages added (Jib cannot install them): a
     * Dockerfile built FROM the build's image, installing bubblewrap and e2fsprogs, else every experiment is refused.
     */
    private List<String> implementerSandboxImage(Map<String, Object> spec, String buildImage, String version)
            throws IOException {
        List<String> faults = new ArrayList<>();
        String expected = "seedloop/" + IMPLEMENTER + "-sandbox:" + version;
        if (!expected.equals(spec.get("image"))) {
            faults.add(IMPLEMENTER + " runs image " + spec.get("image") + ", expected " + expected
                    + " (the build's image plus its sandbox)");
        }
        if (!(spec.get("build") instanceof Map<?, ?> build)) {
            faults.add(IMPLEMENTER + " has no build of its sandbox image on top of " + buildImage);
            return faults;
        }
        Object args = build.get("args");
        Object base = args instanceof Map<?, ?> map ? map.get("IMPLEMENTER_IMAGE") : null;
        if (!buildImage.equals(base)) {
            faults.add(IMPLEMENTER + "'s sandbox image is built on " + base + ", the build produces " + buildImage);
        }
        Path dockerfile = Path.of(String.valueOf(build.get("context"))).resolve("Dockerfile");
        if (!Files.isRegularFile(dockerfile)) {
            faults.add(IMPLEMENTER + "'s sandbox image has no Dockerfile at " + dockerfile);
            return faults;
        }
        String text = Files.readString(dockerfile);
        if (!text.contains("FROM ${IMPLEMENTER_IMAGE}")) {
            faults.add(dockerfile + " does not build FROM ${IMPLEMENTER_IMAGE}");
        }
        for (String sandboxPackage : List.of("bubblewrap", "e2fsprogs")) {
            if (!text.contains(sandboxPackage)) {
                faults.add(dockerfile + " does not install " + sandboxPackage + ", which the sandbox needs");
            }
        }
        return faults;
    }

    /** Every variable set for one of the five services is a property it reads, and one it can still change. */
    List<String> environmentIsRead() {
        List<String> faults = new ArrayList<>();
        for (String service : SERVICES) {
            ServiceSettings reads = settings.get(service);
            compose.environment(service).keySet().forEach(name -> {
                Optional<String> property = reads.propertyOf(name);
                if (property.isEmpty()) {
                    faults.add(service + " sets " + name + ", which names no property " + service
                            + " reads (application.properties, @ConfigMapping, its Quarkus extensions)");
                } else if (reads.fixedAtBuildTime(name)) {
                    faults.add(service + " sets " + name + ", a Quarkus property fixed at build time: ignored at run time");
                }
            });
        }
        return faults;
    }

    /**
     * Addresses one container uses for another carry the port the other listens on: a service's quarkus.http.port,
     * the broker's advertised listener, PostgreSQL's 5432, Keycloak's 8080; a published port leads to the same.
     */
    List<String> addresses() {
        List<String> faults = new ArrayList<>();
        Map<String, Integer> listening = new java.util.HashMap<>();
        for (String service : SERVICES) {
            if (compose.services().containsKey(service)) {
                listening.put(service, settings.get(service).httpPort(compose.environment(service)));
            }
        }
        Matcher advertised = HOST_PORT.matcher(compose.environment("kafka").getOrDefault("KAFKA_ADVERTISED_LISTENERS", ""));
        if (advertised.find()) {
            listening.put("kafka", Integer.parseInt(advertised.group(2)));
        }
        listening.put("postgres", Integer.parseInt(compose.environment("postgres").getOrDefault("PGPORT", "5432")));
        listening.put("keycloak", Integer.parseInt(compose.environment("keycloak").getOrDefault("KC_HTTP_PORT", "8080")));
        for (String service : compose.services().keySet()) {
            compose.environment(service).forEach((name, value) -> {
                Matcher address = HOST_PORT.matcher(value);
                while (address.find()) {
                    Integer port = listening.get(address.group(1));
                    if (port != null && port != Integer.parseInt(address.group(2)) && !address.group(1).equals(service)) {
                        faults.add(service + "'s " + name + " reaches " + address.group(1) + ":" + address.group(2)
                                + ", which listens on " + port);
                    }
                }
            });
            for (String published : compose.ports(service)) {
                String target = published.replaceAll(".*:", "");
                Integer port = listening.get(service);
                if (port != null && port != Integer.parseInt(target)) {
                    faults.add(service + " publishes container port " + target + ", it listens on " + port);
                }
            }
        }
        String learnerHost = settings.get("learner-service").value("quarkus.http.host",
                compose.environment("learner-service")).orElse("0.0.0.0");
        if (!learnerHost.equals("127.0.0.1") && !learnerHost.equals("localhost")) {
            faults.add("learner-service binds its HTTP port (/internal/*, no authentication) to " + learnerHost
                    + ": keep it on loopback");
        }
        return faults;
    }

    /** The kafka-topics job creates the catalogue's topics with its settings (ADR 0013). */
    List<String> topics() {
        List<String> faults = new ArrayList<>();
        Map<String, String> job = compose.environment("kafka-topics");
        Set<String> record = split(job.get("RECORD_TOPICS"));
        Set<String> transport = split(job.get("TRANSPORT_TOPICS"));
        Set<String> expectedRecord = TopicCatalogue.all().stream().filter(t -> t.role() == TopicCatalogue.Role.RECORD)
                .map(TopicCatalogue.Topic::name).collect(Collectors.toCollection(TreeSet::new));
        Set<String> expectedTransport = TopicCatalogue.all().stream()
                .filter(t -> t.role() == TopicCatalogue.Role.TRANSPORT)
                .map(TopicCatalogue.Topic::name).collect(Collectors.toCollection(TreeSet::new));
        if (!record.equals(expectedRecord)) {
            faults.add("kafka-topics' RECORD_TOPICS " + record + " are not the catalogue's " + expectedRecord);
        }
        if (!transport.equals(expectedTransport)) {
            faults.add("kafka-topics' TRANSPORT_TOPICS " + transport + " are not the catalogue's " + expectedTransport);
        }
        if (!String.valueOf(TopicCatalogue.TRANSPORT_RETENTION_MS).equals(job.get("TRANSPORT_RETENTION_MS"))) {
            faults.add("kafka-topics' TRANSPORT_RETENTION_MS is not the catalogue's "
                    + TopicCatalogue.TRANSPORT_RETENTION_MS);
        }
        if (!"false".equals(compose.environment("kafka").get("KAFKA_AUTO_CREATE_TOPICS_ENABLE"))) {
            faults.add("kafka creates topics on first use: KAFKA_AUTO_CREATE_TOPICS_ENABLE must be false (ADR 0013)");
        }
        return faults;
    }

    /**
     * Only the implementer is privileged, and it runs as root: bubblewrap's namespaces and /proc, the workspaces' loop
     * mounts and the cgroup groups need both (deploy/README.md, "Deploy → Compose"). Nothing else gets more than the
     * engine's defaults.
     */
    List<String> privileges() {
        List<String> faults = new ArrayList<>();
        for (var entry : compose.services().entrySet()) {
            Map<String, Object> spec = entry.getValue();
            boolean privileged = Boolean.TRUE.equals(spec.get("privileged"));
            boolean extra = spec.containsKey("cap_add") || spec.containsKey("security_opt") || spec.containsKey("devices");
            if (entry.getKey().equals("implementer-service")) {
                String user = String.valueOf(spec.get("user"));
                if (!privileged || !(user.equals("0") || user.equals("0:0") || user.equals("root"))) {
                    faults.add("implementer-service must run as root in a privileged container for its sandbox, has"
                            + " privileged=" + privileged + " user=" + user);
                }
            } else if (privileged || extra) {
                faults.add(entry.getKey() + " is given privileges (privileged, cap_add, security_opt or devices)");
            }
        }
        return faults;
    }

    /**
     * One issuer for the browser, the CLI and the gateway: Keycloak's KC_HOSTNAME plus the realm, which the gateway
     * announces and expects; the keys come from the keycloak service; the realm is imported from deploy/keycloak.
     */
    List<String> issuer() throws IOException {
        List<String> faults = new ArrayList<>();
        Map<String, String> keycloak = compose.environment("keycloak");
        Map<String, String> gateway = compose.environment("gateway");
        String realm;
        try (var files = Files.list(root.resolve("deploy/keycloak"))) {
            Path realmFile = files.filter(file -> file.toString().endsWith(".json")).findFirst().orElseThrow();
            Matcher name = Pattern.compile("\"realm\"\\s*:\\s*\"([^\"]+)\"").matcher(Files.readString(realmFile));
            realm = name.find() ? name.group(1) : "?";
        }
        String issuer = keycloak.get("KC_HOSTNAME") + "/realms/" + realm;
        for (String name : List.of("QUARKUS_OIDC_AUTH_SERVER_URL", "QUARKUS_OIDC_TOKEN_ISSUER")) {
            if (!issuer.equals(gateway.get(name))) {
                faults.add("gateway's " + name + " " + gateway.get(name) + " is not Keycloak's issuer " + issuer);
            }
        }
        String jwks = gateway.getOrDefault("QUARKUS_OIDC_JWKS_PATH", "");
        if (!jwks.startsWith("http://keycloak:") || !jwks.contains("/realms/" + realm + "/")) {
            faults.add("gateway's QUARKUS_OIDC_JWKS_PATH " + jwks + " does not fetch realm " + realm
                    + "'s keys from the keycloak service");
        }
        // The issuer's host (the user's localhost) is unreachable from the gateway's container: with discovery on, the
        // gateway would look for its keys there and answer every token with an error (ComposeIdentityTest shows it).
        if (!"false".equals(gateway.get("QUARKUS_OIDC_DISCOVERY_ENABLED"))) {
            faults.add("gateway's QUARKUS_OIDC_DISCOVERY_ENABLED is not false: it would ask the public issuer "
                    + issuer + " for its keys, which the gateway's container cannot reach");
        }
        Object command = compose.services().getOrDefault("keycloak", Map.of()).get("command");
        boolean imports = compose.mounts("keycloak").stream().anyMatch(mount ->
                mount.startsWith(composeDir.resolve("deploy/keycloak").toString() + ":/opt/keycloak/data/import"));
        if (!String.valueOf(command).contains("--import-realm") || !imports) {
            faults.add("keycloak does not import deploy/keycloak (--import-realm, mounted at /opt/keycloak/data/import)");
        }
        return faults;
    }

    /** Services other services wait on to complete: one-shot jobs, which have no health to check. */
    private Set<String> jobs() {
        Set<String> jobs = new LinkedHashSet<>();
        compose.services().keySet().forEach(service -> compose.dependsOn(service).forEach((dependency, condition) -> {
            if (condition.equals("service_completed_successfully")) {
                jobs.add(dependency);
            }
        }));
        return jobs;
    }

    private static Set<String> split(String list) {
        return list == null ? Set.of() : java.util.Arrays.stream(list.split(",")).map(String::trim)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** A property of a pom ({@code version}: the project's own, the first one outside {@code <parent>}). */
    private static String projectVersion(Path pom, String property) throws IOException {
        String text = Files.readString(pom).replaceAll("(?s)<parent>.*?</parent>", "");
        Matcher value = Pattern.compile("<" + Pattern.quote(property) + ">([^<]+)</" + Pattern.quote(property) + ">")
                .matcher(text);
        if (!value.find()) {
            throw new IllegalStateException("No <" + property + "> in " + pom);
        }
        return value.group(1).trim();
    }
}
