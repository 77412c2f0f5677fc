package dev.seedloop.implementer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import dev.seedloop.implementer.application.WorkspaceMaterializer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The implementer's data directory for the tests, under the system temp directory rather than {@code target/}: the
 * sandbox binds workspaces as uid 65534, which cannot pass a private ancestor, and a clean clone made with {@code
 * mktemp -d} (as CI does) sits under one. Every run gets its own, removed at the end.
 */
public class SandboxReachableDataDir implements QuarkusTestResourceLifecycleManager {

    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("seedloop-implementer-tests-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("seedloop.implementer.data-dir", dir.toString());
    }

    @Override
    public void stop() {
        try {
            WorkspaceMaterializer.release(dir);
        } catch (IOException e) {
            // Left for the temp directory's own cleaning; the next run uses a new one.
        }
    }
}
