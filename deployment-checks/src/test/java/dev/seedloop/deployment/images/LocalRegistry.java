package dev.seedloop.deployment.images;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Docker registry (Debian's {@code docker-registry}, distribution 2.8) on a free loopback port, storing its blobs in a
 * directory of the test's; plain HTTP, so clients must allow an insecure registry. Stopped by {@link #close()}.
 */
final class LocalRegistry implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LocalRegistry(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static LocalRegistry start(Path directory) throws IOException, InterruptedException {
        int port = freePort();
        Path storage = Files.createDirectories(directory.resolve("storage"));
        Path config = directory.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                """.formatted(storage, port));
        Path log = directory.resolve("registry.log");
        Process process = Commands.start(List.of("docker-registry", "serve", config.toString()), directory, log);
        LocalRegistry registry = new LocalRegistry(process, port, log);
        registry.awaitReady();
        return registry;
    }

    /** Host and port as image references name it, e.g. {@code 127.0.0.1:40123}. */
    String host() {
        return "127.0.0.1:" + port;
    }

    /** A blob of repository {@code repository}, read through the registry's HTTP API. */
    InputStream blob(String repository, String digest) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(
                HttpRequest.newBuilder(URI.create("http://%s/v2/%s/blobs/%s".formatted(host(), repository, digest)))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new AssertionError("registry answered %d for blob %s of %s".formatted(
                    response.statusCode(), digest, repository));
        }
        return response.body();
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("docker-registry exited with %d:%n%s"
                        .formatted(process.exitValue(), Commands.tail(log)));
            }
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (ConnectException notListeningYet) {
                // the registry is still starting
            } catch (IOException e) {
                throw new AssertionError("registry on " + host() + " answered badly", e);
            }
            Thread.sleep(100);
        }
        close();
        throw new AssertionError("docker-registry did not answer /v2/ within " + START_TIMEOUT + ":\n"
                + Commands.tail(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        http.close();
    }
}
