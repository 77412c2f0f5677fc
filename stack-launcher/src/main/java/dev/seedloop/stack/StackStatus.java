package dev.seedloop.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The stack as its supervisor last wrote it ({@link StackLayout#statusFile()}): the phase of the whole and, for each
 * process in start order, its state, pid, restarts and readiness, and when it was asked to stop, stopped and exited.
 * The supervisor rewrites the file (atomically) whenever something changes; {@code status}, {@code up} and
 * {@code restart} read it and check what it says against the processes themselves.
 */
public record StackStatus(long supervisorPid, Phase phase, Instant updatedAt, List<ProcessStatus> processes) {

    /** Where the stack as a whole is. */
    public enum Phase {
        STARTING, RUNNING, STOPPING, STOPPED, FAILED
    }

    /** Where one process is. */
    public enum State {
        /** Being started; a service is started once its process runs, infrastructure once it answers. */
        STARTING,
        RUNNING,
        /** It exited on its own; the supervisor starts it again at {@code nextStartAt}. */
        RESTARTING,
        STOPPING,
        STOPPED,
        /** It exited while the stack was starting: {@code up} fails instead of restarting it. */
        FAILED
    }

    /**
     * @param role      {@code infrastructure} or {@code service}
     * @param address   where clients reach it ({@code http://...} or {@code host:port})
     * @param health    its readiness check: {@code http://...} (200 = ready) or {@code tcp://127.0.0.1:port}
     * @param restarts  starts after the first (crashes and {@code restart} requests)
     * @param since     when its current process started
     * @param lastExit  how its previous process ended, when one did
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProcessStatus(String name, String role, String address, String health, State state, long pid,
            int restarts, boolean ready, Instant since, String lastExit, Instant nextStartAt, Instant stopRequestedAt,
            Instant stoppedAt, Instant exitedAt) {

        /** Checked now, not as last written: the process is alive and its readiness check answers. */
        public boolean readyNow() {
            return state == State.RUNNING && pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                    && Probes.ready(health);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public Optional<ProcessStatus> process(String name) {
        return processes.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Every process is running and answers its readiness check right now. */
    public boolean wholeNow() {
        return phase == Phase.RUNNING && processes.stream().allMatch(ProcessStatus::readyNow);
    }

    public static Optional<StackStatus> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), StackStatus.class));
        } catch (IOException unreadable) {
            return Optional.empty();
        }
    }

    /** Replaces the file in one step, so a reader never sees half of it. */
    void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path next = file.resolveSibling(file.getFileName() + ".next");
            JSON.writeValue(next.toFile(), this);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }

    /** The readiness checks the status names. */
    static final class Probes {

        private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        private Probes() {
        }

        static String tcp(int port) {
            return "tcp://127.0.0.1:" + port;
        }

        static boolean ready(String health) {
            if (health == null) {
                return false;
            }
            if (health.startsWith("tcp://")) {
                URI uri = URI.create(health);
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(InetAddress.getByName(uri.getHost()), uri.getPort()), 2_000);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            }
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create(health)).timeout(Duration.ofSeconds(3)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
