package dev.seedloop.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Keycloak server (the official {@code keycloak-quarkus-dist}) running as a child process,
 * serving the {@code seedloop} realm over plain HTTP on 127.0.0.1.
 *
 * <p><b>How it starts fast.</b> The distribution is unpacked once by {@code keycloak-server-runtime}
 * (its location is the resource {@value #LOCATION_RESOURCE}). The first {@link #start} on a machine
 * runs {@code kc.sh build} (~30 s, Keycloak's Quarkus augmentation) inside that shared directory,
 * under an inter-process file lock and guarded by a marker file, so concurrent JVMs build it exactly
 * once and never run a half-built server. Every server then runs {@code kc.sh start --optimized}
 * (no re-augmentation) with {@code kc.home.dir} pointing at a per-data-dir home: symbolic links to
 * the shared, read-only {@code lib}, {@code themes}, {@code providers} and {@code conf}, plus its own
 * {@code data} directory (dev-file H2 database, {@code data/import}, transaction logs). Several
 * servers can therefore run side by side from one unpacked distribution.
 *
 * <p>A JVM that exits without {@link #close()} still stops the server ({@link ExitSafetyNet}); an owner that stops
 * it in its own order calls {@link #deferExitStop(Duration)} first.
 *
 * <p>Settings are for tests and the local stack only: HTTP on 127.0.0.1 (the management port inherits that host), {@code hostname-strict=false},
 * the dev-file H2 database, local caches, health on a second (management) port, admin user
 * {@code admin}/{@code admin}, heap capped at 512 MB, and the JDK of the current JVM.
 *
 * <p>The realm file is imported on the first start of a data directory ({@code --import-realm},
 * strategy "ignore existing"): later starts on the same directory keep whatever the database holds,
 * including changes made through the admin console, and ignore edits to the realm file.
 *
 * <p><b>Database templates.</b> Creating the schema and importing the realm costs about 12 s. When a
 * server that did a fresh import is stopped cleanly by {@link #close()}, its H2 database is published
 * (copy, then atomic rename) under {@code db-templates/<hash>} next to the distribution, keyed by the
 * realm file's bytes, the build options and the Keycloak version. Later fresh data directories start
 * from a copy of it, so a new server is ready in ~7 s instead of ~15-20 s. All servers started from
 * one template share its realm signing keys and user ids, which is harmless for tests and local use.
 * Delete {@code keycloak-server-runtime/target/keycloak/db-templates} (or {@code mvn clean} that
 * module) to drop them.
 *
 * <p>Measured on the 2-core build machine: one-time {@code kc.sh build} 17-34 s; fresh data
 * directory without a template 15-23 s; fresh data directory from a template ~7 s; restart on an
 * existing data directory ~7.5 s; stop ~2 s.
 */
public final class KeycloakServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KeycloakServer.class);

    public static final String REALM = "seedloop";
    public static final String ADMIN_USERNAME = "admin";
    public static final String ADMIN_PASSWORD = "admin";
    /** Where the realm lives in the repository, relative to its root. */
    public static final String REALM_FILE_IN_REPO = "deploy/keycloak/seedloop-realm.json";

    private static final String LOCATION_RESOURCE = "dev/seedloop/keycloak/server.location";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration BUILD_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    /** Build-time options; changing them makes the next start rebuild the shared distribution once. */
    private static final List<String> BUILD_OPTIONS = List.of("--db=dev-file", "--health-enabled=true");
    private static final String BUILT_MARKER = ".seedloop-built";
    private static final String JAVA_OPTS_APPEND = "-Xms64m -Xmx512m -XX:TieredStopAtLevel=1 -Xshare:auto";
    private static final String ROLE_MARKER = "-Dseedloop.role=keycloak";

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final Process process;
    private final int port;
    private final int managementPort;
    private final URI baseUrl;
    private final Path dataDir;
    /** Where to save this server's freshly imported database on a clean stop; null if not wanted. */
    private volatile Path templateToSave;
    /** Null for an external server. */
    private final ExitSafetyNet exitSafetyNet;

    private KeycloakServer(Process process, URI baseUrl, int port, int managementPort, Path dataDir) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.port = port;
        this.managementPort = managementPort;
        this.dataDir = dataDir;
        this.exitSafetyNet = process == null ? null
                : new ExitSafetyNet("keycloak", () -> stopTree(process.toHandle()));
    }

    /**
     * Starts a Keycloak server whose state lives under {@code dataDir} and blocks until the
     * {@code seedloop} realm's OpenID configuration answers 200.
     *
     * @param port      the HTTP port on 127.0.0.1, or 0 to pick a free one
     * @param realmJson the realm to import on the first start of this data directory
     */
    public static KeycloakServer start(Path dataDir, int port, Path realmJson) {
        long started = System.nanoTime();
        try {
            if (!Files.isRegularFile(realmJson)) {
                throw new IllegalArgumentException("Realm file " + realmJson + " does not exist");
            }
            Path absDir = dataDir.toAbsolutePath();
            Files.createDirectories(absDir);
            Path pidFile = absDir.resolve("keycloak.pid");
            Path home = absDir.resolve("home");
            String homeMarker = "-Dkc.home.dir=" + home;
            // A server orphaned by a killed JVM would hold the H2 database and the ports.
            stopOrphan(pidFile, homeMarker);

            Path distribution = distribution();
            ensureBuilt(distribution);
            prepareHome(home, distribution, realmJson);
            Path template = templateDir(distribution, realmJson);
            boolean fresh = !Files.exists(home.resolve("data").resolve("h2"));
            boolean fromTemplate = fresh && Files.isDirectory(template);
            if (fromTemplate) {
                copyTree(template, home.resolve("data").resolve("h2"));
            }

            int httpPort = port == 0 ? FreePorts.pick() : port;
            int mgmtPort;
            do {
                mgmtPort = FreePorts.pick();
            } while (mgmtPort == httpPort);
            if (!FreePorts.isFree(httpPort)) {
                throw new IllegalStateException("Cannot start Keycloak in " + absDir + ": port " + httpPort
                        + " on 127.0.0.1 is already in use");
            }

            Path log = absDir.resolve("keycloak.log");
            Readiness.rotateIfLarger(log, 10L * 1024 * 1024);
            List<String> command = new ArrayList<>(List.of(
                    distribution.resolve("bin").resolve("kc.sh").toString(),
                    homeMarker,
                    ROLE_MARKER,
                    "start", "--optimized",
                    "--import-realm",
                    "--http-enabled=true",
                    "--http-host=127.0.0.1",
                    "--http-port=" + httpPort,
                    "--http-management-port=" + mgmtPort,
                    "--hostname-strict=false",
                    "--cache=local",
                    "--log-level=WARN,org.keycloak.services:INFO,org.keycloak.exportimport:INFO,io.quarkus:INFO"));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(absDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            configureEnvironment(builder.environment());
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USERNAME);
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
            Process process = builder.start();
            Files.writeString(pidFile, Long.toString(process.pid()));
            URI baseUrl = URI.create("http://127.0.0.1:" + httpPort);
            KeycloakServer server = new KeycloakServer(process, baseUrl, httpPort, mgmtPort, absDir);
            if (fresh && !fromTemplate) {
                server.templateToSave = template;
            }
            try {
                server.awaitReady(log);
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            LOG.info("Keycloak pid {} ready on {} in {} ms (data in {}{})", process.pid(), baseUrl,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), absDir,
                    fromTemplate ? ", database copied from " + template : "");
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start Keycloak in " + dataDir, e);
        }
    }

    /** A Keycloak server run by someone else (e.g. the Kubernetes deployment); {@link #close()} does nothing. */
    public static KeycloakServer external(String baseUrl) {
        String trimmed = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        URI uri = URI.create(trimmed);
        return new KeycloakServer(null, uri, uri.getPort(), -1, null);
    }

    /**
     * Finds {@value #REALM_FILE_IN_REPO} from the working directory or any of its parents (tests run
     * in a module directory), unless {@code SEEDLOOP_KEYCLOAK_REALM} names a file.
     */
    public static Path findRealmFile() {
        String override = System.getenv("SEEDLOOP_KEYCLOAK_REALM");
        if (override != null && !override.isBlank()) {
            return Path.of(override.trim()).toAbsolutePath();
        }
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(REALM_FILE_IN_REPO);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("No " + REALM_FILE_IN_REPO + " in " + start + " or its parents; "
                + "set SEEDLOOP_KEYCLOAK_REALM to the realm file");
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public String baseUrl() {
        return baseUrl.toString();
    }

    /** The OIDC issuer of the seedloop realm: {@code <baseUrl>/realms/seedloop}. */
    public String issuer() {
        return baseUrl + "/realms/" + REALM;
    }

    /** The realm's token endpoint. */
    public String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    public int port() {
        return port;
    }

    /** The management port (health at {@code /health/ready}); -1 for an external server. */
    public int managementPort() {
        return managementPort;
    }

    /** The readiness check on the management port; null for an external server. */
    public String healthUrl() {
        return managementPort < 0 ? null : "http://127.0.0.1:" + managementPort + "/health/ready";
    }

    /** The launcher process ({@code kc.sh}, parent of the server JVM); -1 for an external server. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /** The pids of the processes under the launcher (the server JVM), for checks that nothing is left. */
    List<Long> descendantPids() {
        return process == null ? List.of() : process.descendants().map(ProcessHandle::pid).toList();
    }

    /** Null for an external server. */
    public Path dataDir() {
        return dataDir;
    }

    public boolean isEmbedded() {
        return process != null;
    }

    /**
     * Logs {@code username} in through the password grant of the public client {@code clientId} and
     * returns the access token (a JWT).
     *
     * @throws IllegalStateException with Keycloak's error (e.g. {@code invalid_grant: Invalid user
     *                               credentials}) when the login is refused
     */
    public String passwordGrantToken(String clientId, String username, String password) {
        String form = Map.of("grant_type", "password", "client_id", clientId, "username", username,
                        "password", password, "scope", "openid")
                .entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenEndpoint()))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("Token request to " + tokenEndpoint() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during the token request", e);
        }
        String body = response.body();
        Optional<String> token = jsonString(body, "access_token");
        if (response.statusCode() != 200 || token.isEmpty()) {
            String error = jsonString(body, "error").orElse("HTTP " + response.statusCode());
            String description = jsonString(body, "error_description").orElse(body);
            throw new IllegalStateException("Keycloak refused the password grant for user '" + username
                    + "' with client '" + clientId + "' at " + tokenEndpoint() + ": " + error + ": " + description);
        }
        return token.get();
    }

    /**
     * Leaves the stop at JVM exit to the caller, who closes this server after the services that validate its tokens.
     * If the caller has not closed it within {@code ownersTime} of the JVM starting to exit, it is stopped anyway.
     */
    public void deferExitStop(Duration ownersTime) {
        if (exitSafetyNet != null) {
            exitSafetyNet.deferTo(ownersTime);
        }
    }

    /** Stops the server (gracefully, then forcibly after 20 s) and waits until no process of it remains. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        boolean graceful = stopTree(process.toHandle());
        Path template = templateToSave;
        templateToSave = null;
        if (graceful && template != null) {
            saveTemplate(dataDir.resolve("home").resolve("data").resolve("h2"), template);
        }
        exitSafetyNet.closed();
    }

    private void awaitReady(Path log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        URI wellKnown = URI.create(issuer() + "/.well-known/openid-configuration");
        HttpRequest request = HttpRequest.newBuilder(wellKnown).timeout(Duration.ofSeconds(5)).GET().build();
        String last = "no answer";
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with code " + process.exitValue()
                        + " before becoming ready. Log tail (" + log + "):\n" + Readiness.tail(log, 6000));
            }
            if (Readiness.accepts(port)) {
                try {
                    HttpResponse<Void> response = HTTP.send(request, HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) {
                        return;
                    }
                    last = "HTTP " + response.statusCode();
                } catch (IOException e) {
                    last = e.toString();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Keycloak not ready at " + wellKnown + " after "
                        + START_TIMEOUT.toSeconds() + " s (last: " + last + "). Log tail (" + log + "):\n"
                        + Readiness.tail(log, 6000));
            }
            Readiness.pause(250);
        }
    }

    /**
     * Stops kc.sh and the server JVM under it. kc.sh forwards SIGTERM to the JVM; the JVM's pid is
     * taken beforehand so it is killed even if the script is gone first.
     */
    private static boolean stopTree(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        Readiness.terminate(root, STOP_GRACE);
        for (ProcessHandle child : tree) {
            Readiness.terminate(child, STOP_GRACE);
        }
        // Graceful if everything went within the grace period, i.e. without SIGKILL.
        return System.nanoTime() < deadline;
    }

    /**
     * Where the database of a fresh import of {@code realmJson} is kept, so later fresh data
     * directories start from a copy instead of creating the schema and importing the realm again
     * (about 12 s). Keyed by the realm file's content, the build options and the Keycloak version.
     */
    private static Path templateDir(Path distribution, Path realmJson) throws IOException {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(realmJson));
            sha.update((String.join(" ", BUILD_OPTIONS) + " " + distribution.getFileName()).getBytes(StandardCharsets.UTF_8));
            String key = java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 16);
            return distribution.resolveSibling("db-templates").resolve(key);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes a cleanly stopped server's database as the template, atomically; never fails the caller. */
    private static void saveTemplate(Path h2, Path template) {
        if (Files.exists(template) || !Files.isDirectory(h2)) {
            return;
        }
        Path staging = template.resolveSibling(template.getFileName() + ".tmp-" + ProcessHandle.current().pid()
                + "-" + System.nanoTime());
        try {
            copyTree(h2, staging);
            try {
                Files.move(staging, template, StandardCopyOption.ATOMIC_MOVE);
                LOG.info("Saved the imported Keycloak database as {}", template);
            } catch (IOException lostTheRace) {
                // Another server published the same template first.
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not save the Keycloak database template {}: {}", template, e.toString());
        } finally {
            deleteTree(staging);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path file : files.toList()) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                        && !file.getFileName().toString().endsWith(".trace.db")) {
                    Files.copy(file, to.resolve(file.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // Leftover staging files are harmless.
        }
    }

    private static void stopOrphan(Path pidFile, String homeMarker) {
        if (Files.isRegularFile(pidFile)) {
            try {
                long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
                ProcessHandle.of(pid)
                        .filter(p -> isOurs(p, homeMarker))
                        .ifPresent(KeycloakServer::stopTree);
            } catch (IOException | RuntimeException unreadable) {
                // Fall through to the scan below.
            }
        }
        // The server JVM can outlive its kc.sh (SIGKILL of the script): find it by its own home.
        ProcessHandle.allProcesses()
                .filter(p -> isOurs(p, homeMarker))
                .forEach(KeycloakServer::stopTree);
    }

    private static boolean isOurs(ProcessHandle p, String homeMarker) {
        String cmd = p.info().commandLine().orElse("");
        return cmd.contains(ROLE_MARKER) && (cmd.contains(homeMarker + " ") || cmd.endsWith(homeMarker)
                || cmd.contains(homeMarker + "'"));
    }

    private static void configureEnvironment(Map<String, String> env) {
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.remove("JAVA");
        // Let kc.sh use its own defaults, plus ours.
        env.remove("JAVA_OPTS");
        env.remove("JAVA_OPTS_KC_HEAP");
        env.put("JAVA_OPTS_APPEND", JAVA_OPTS_APPEND);
        // Do not inherit Keycloak settings from the caller's environment.
        env.keySet().removeIf(k -> k.startsWith("KC_") || k.equals("KEYCLOAK_ADMIN") || k.equals("KEYCLOAK_ADMIN_PASSWORD"));
    }

    /** The home for one server: the shared distribution's read-only parts linked, its own data. */
    private static void prepareHome(Path home, Path distribution, Path realmJson) throws IOException {
        Files.createDirectories(home.resolve("data").resolve("import"));
        for (String shared : List.of("lib", "themes", "providers", "conf")) {
            Path link = home.resolve(shared);
            Path target = distribution.resolve(shared);
            if (Files.isSymbolicLink(link)) {
                if (Files.readSymbolicLink(link).equals(target)) {
                    continue;
                }
                Files.delete(link);
            } else if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalStateException(link + " exists and is not a link to the Keycloak distribution");
            }
            Files.createSymbolicLink(link, target);
        }
        Files.copy(realmJson, home.resolve("data").resolve("import").resolve(REALM + "-realm.json"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Runs {@code kc.sh build} once per distribution (and per set of build options), across JVMs. */
    private static synchronized void ensureBuilt(Path distribution) throws IOException {
        Path marker = distribution.resolve(BUILT_MARKER);
        String wanted = String.join(" ", BUILD_OPTIONS);
        if (isBuilt(marker, wanted)) {
            return;
        }
        Path lockFile = distribution.resolveSibling(distribution.getFileName() + ".build.lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            if (isBuilt(marker, wanted)) {
                return; // another JVM built it while we waited
            }
            long started = System.nanoTime();
            LOG.info("Building the Keycloak distribution in {} once ({}); this takes about 30 s", distribution, wanted);
            Files.deleteIfExists(marker);
            Path log = distribution.resolveSibling(distribution.getFileName() + ".build.log");
            List<String> command = new ArrayList<>();
            command.add(distribution.resolve("bin").resolve("kc.sh").toString());
            command.add("build");
            command.addAll(BUILD_OPTIONS);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(distribution.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            configureEnvironment(builder.environment());
            Readiness.rotateIfLarger(log, 1024 * 1024);
            Files.writeString(log, "=== kc.sh build " + wanted + " at " + java.time.Instant.now() + " by pid "
                    + ProcessHandle.current().pid() + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Process build = builder.start();
            try {
                if (!build.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    stopTree(build.toHandle());
                    throw new IllegalStateException("kc.sh build timed out after " + BUILD_TIMEOUT.toSeconds()
                            + " s. Log tail (" + log + "):\n" + Readiness.tail(log, 4000));
                }
            } catch (InterruptedException e) {
                stopTree(build.toHandle());
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while building Keycloak", e);
            }
            if (build.exitValue() != 0) {
                throw new IllegalStateException("kc.sh build failed with code " + build.exitValue()
                        + ". Log tail (" + log + "):\n" + Readiness.tail(log, 4000));
            }
            Files.writeString(marker, wanted);
            LOG.info("Keycloak distribution built in {} ms",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }

    private static boolean isBuilt(Path marker, String wanted) throws IOException {
        return Files.isRegularFile(marker) && Files.readString(marker).trim().equals(wanted);
    }

    private static Path distribution() throws IOException {
        String raw;
        try (InputStream in = KeycloakServer.class.getClassLoader().getResourceAsStream(LOCATION_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(LOCATION_RESOURCE + " is not on the classpath; "
                        + "add the dev.seedloop:keycloak-server-runtime dependency");
            }
            raw = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        Path dir = Path.of(raw);
        if (!Files.isRegularFile(dir.resolve("bin").resolve("kc.sh"))) {
            throw new IllegalStateException("The Keycloak distribution " + dir + " named by " + LOCATION_RESOURCE
                    + " is missing; it was built on another machine or cleaned. "
                    + "Rebuild it: ./mvnw -f keycloak-server-runtime/pom.xml install");
        }
        return dir;
    }

    private static Optional<String> jsonString(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\"((?:[^\"\\\\]++|\\\\.)*+)\"").matcher(json);
        return m.find() ? Optional.of(m.group(1).replace("\\\"", "\"").replace("\\/", "/")) : Optional.empty();
    }
}
