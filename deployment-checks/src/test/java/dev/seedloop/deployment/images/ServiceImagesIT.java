package dev.seedloop.deployment.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The five services' container images as Quarkus's Jib extension builds them (ADR 0024): a nested Maven build of the
 * services with {@code -Dquarkus.container-image.push=true} pushes each image to a local registry, on top of a Java
 * base image this test builds itself (no public registry is reachable here), and skopeo reads every image back.
 * Only the base image and the registry are the test's; every other setting is the one users build with.
 */
class ServiceImagesIT {

    /** The images the compose file and the Kubernetes manifests name, with the HTTP port each service listens on. */
    static Stream<Service> services() {
        return Stream.of(
                new Service("gateway", 8080),
                new Service("proposer-service", 8081),
                new Service("implementer-service", 8082),
                new Service("evaluator-service", 8083),
                new Service("learner-service", 8084));
    }

    record Service(String module, int port) {
        String repository() {
            return "seedloop/" + module;
        }

        @Override
        public String toString() {
            return module;
        }
    }

    private static final String USER = "185";
    private static final String WORKING_DIRECTORY = "/work";
    private static final String BASE_REPOSITORY = "seedloop-test/debian-jre";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Map<String, Image> IMAGES = new ConcurrentHashMap<>();
    private static Path work;
    private static LocalRegistry registry;
    private static List<String> baseLayers;
    private static String version;
    private static String revision;

    @BeforeAll
    static void buildEveryImageOntoALocalRegistry() throws Exception {
        version = System.getProperty("seedloop.project.version");
        assertThat(version).as("seedloop.project.version (set by this module's pom)").isNotBlank();
        Path root = repositoryRoot();
        work = root.resolve("deployment-checks/target/image-check");
        deleteRecursively(work);
        Files.createDirectories(work);
        revision = Commands.output(List.of("git", "rev-parse", "HEAD"), root, work.resolve("git.log"), 30).strip();

        long started = System.nanoTime();
        registry = LocalRegistry.start(Files.createDirectories(work.resolve("registry")));
        OciBaseImage base = OciBaseImage.build(Files.createDirectories(work.resolve("base")),
                Path.of(System.getProperty("java.home")), "21");
        String baseReference = base.push(registry, BASE_REPOSITORY, work.resolve("base/push.log"));
        baseLayers = layerDigests(inspect(baseReference, "--raw"));
        long baseBuilt = System.nanoTime();

        buildServiceImages(root, baseReference);
        long imagesBuilt = System.nanoTime();
        services().forEach(service -> IMAGES.put(service.module(), readBack(service)));
        System.out.printf("image check: base image %d s, service images %d s, read back %d s%n",
                seconds(baseBuilt - started), seconds(imagesBuilt - baseBuilt), seconds(System.nanoTime() - imagesBuilt));
    }

    @AfterAll
    static void stopRegistry() throws IOException {
        if (registry != null) {
            registry.close();
        }
        if (work != null) {
            // the pushed blobs are hundreds of megabytes and worth nothing after the check; logs stay for reading
            deleteRecursively(work.resolve("registry/storage"));
        }
    }

    @ParameterizedTest
    @MethodSource("services")
    void runsTheQuarkusApplicationAsANonRootUser(Service service) {
        JsonNode config = IMAGES.get(service.module()).config().path("config");

        assertThat(config.path("User").asText()).isEqualTo(USER);
        assertThat(config.path("WorkingDir").asText()).isEqualTo(WORKING_DIRECTORY);
        List<String> entrypoint = strings(config.path("Entrypoint"));
        assertThat(entrypoint.getFirst()).isEqualTo("java");
        assertThat(entrypoint).containsSubsequence("-XX:MaxRAMPercentage=75.0", "-XX:+ExitOnOutOfMemoryError")
                .endsWith("-jar", "quarkus-run.jar");
        // `java` is found through the base image's PATH, which the service image must keep
        assertThat(strings(config.path("Env"))).contains(OciBaseImage.PATH_IN_IMAGE);
    }

    @ParameterizedTest
    @MethodSource("services")
    void exposesTheServicePortAndSaysWhatItIs(Service service) {
        JsonNode config = IMAGES.get(service.module()).config().path("config");

        assertThat(fieldNames(config.path("ExposedPorts"))).containsExactly(service.port() + "/tcp");
        JsonNode labels = config.path("Labels");
        assertThat(labels.path("org.opencontainers.image.title").asText()).isEqualTo(service.module());
        assertThat(labels.path("org.opencontainers.image.version").asText()).isEqualTo(version);
        assertThat(labels.path("org.opencontainers.image.revision").asText()).isEqualTo(revision);
        assertThat(labels.path("org.opencontainers.image.description").asText()).isNotBlank();
    }

    @ParameterizedTest
    @MethodSource("services")
    void addsTheApplicationInItsOwnLayersOnTopOfTheBase(Service service) throws Exception {
        List<String> layers = layerDigests(IMAGES.get(service.module()).manifest());

        assertThat(layers).startsWith(baseLayers.toArray(String[]::new));
        assertThat(layers).hasSizeGreaterThan(baseLayers.size() + 1);
        Set<String> applicationFiles = new HashSet<>();
        for (String layer : layers.subList(baseLayers.size(), layers.size())) {
            applicationFiles.addAll(filesIn(service.repository(), layer));
        }
        assertThat(applicationFiles).contains(
                WORKING_DIRECTORY + "/quarkus-run.jar",
                WORKING_DIRECTORY + "/quarkus/quarkus-application.dat",
                WORKING_DIRECTORY + "/app/" + service.module() + "-" + version + ".jar");
    }

    private static void buildServiceImages(Path root, String baseReference) {
        // one thread per core: the five services do not depend on each other, and Jib spends much of its time
        // waiting for the registry
        List<String> command = new ArrayList<>(List.of(maven(root), "--offline", "--batch-mode", "--quiet",
                "--threads", "1C", "package", "-DskipTests", "-Dquarkus.log.level=WARN",
                "--projects", String.join(",", services().map(Service::module).toList()), "--also-make",
                "-Dquarkus.container-image.build=true",
                "-Dquarkus.container-image.push=true",
                "-Dquarkus.container-image.registry=" + registry.host(),
                "-Dquarkus.container-image.insecure=true",
                "-Dquarkus.jib.base-jvm-image=" + baseReference,
                // Jib caches in the user's home by default: keep this check's cache in target/
                "-Dquarkus.jib.base-image-layers-cache=" + work.resolve("jib-cache/base"),
                "-Dquarkus.jib.application-layers-cache=" + work.resolve("jib-cache/application"),
                "-Dquarkus.container-image.labels.org.opencontainers.image.revision=" + revision));
        String localRepository = System.getProperty("seedloop.maven.repo.local");
        if (localRepository != null && !localRepository.isBlank()) {
            command.add("-Dmaven.repo.local=" + localRepository);
        }
        Commands.run(command, root, work.resolve("service-images-build.log"), 600);
    }

    private static String maven(Path root) {
        String mavenHome = System.getProperty("maven.home");
        if (mavenHome != null && Files.isExecutable(Path.of(mavenHome, "bin", "mvn"))) {
            return Path.of(mavenHome, "bin", "mvn").toString();
        }
        return root.resolve("mvnw").toString();
    }

    private static Image readBack(Service service) {
        String reference = registry.host() + "/" + service.repository() + ":" + version;
        return new Image(inspect(reference, "--raw"), inspect(reference, "--config"));
    }

    private static JsonNode inspect(String reference, String what) {
        String output = Commands.output(List.of("skopeo", "inspect", "--tls-verify=false", what,
                "docker://" + reference), work, work.resolve("skopeo.log"), 60);
        try {
            return JSON.readTree(output);
        } catch (IOException e) {
            throw new AssertionError("skopeo inspect " + what + " " + reference + " printed no JSON:\n" + output, e);
        }
    }

    private static List<String> filesIn(String repository, String layerDigest) throws Exception {
        List<String> names = new ArrayList<>();
        try (InputStream blob = registry.blob(repository, layerDigest);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(blob))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String name = entry.getName();
                names.add(name.startsWith("/") ? name : "/" + name);
            }
        }
        return names;
    }

    private static List<String> layerDigests(JsonNode manifest) {
        List<String> digests = new ArrayList<>();
        manifest.path("layers").forEach(layer -> digests.add(layer.path("digest").asText()));
        return digests;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The reactor's root: the first directory up from this module that holds the Maven wrapper. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("deployment-checks"))) {
                return dir;
            }
        }
        throw new AssertionError("no Maven wrapper above " + Path.of("").toAbsolutePath());
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static long seconds(long nanos) {
        return nanos / 1_000_000_000L;
    }

    private record Image(JsonNode manifest, JsonNode config) {
    }
}
