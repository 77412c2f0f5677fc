package dev.seedloop.cli.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.seedloop.cli.client.CliException;
import dev.seedloop.cli.client.ExitCode;
import dev.seedloop.cli.client.Json;

/**
 * {@code credentials.json} under {@code $SEEDLOOP_HOME} (default {@code ~/.seedloop}). The tokens are
 * bearer secrets, so the file is created owner-only (600) before any byte is written, its directory is
 * 700 when we create it, and a save replaces the file atomically so a crash never leaves half a file.
 */
public final class TokenStore {

    public static final String FILE_NAME = "credentials.json";
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path file;

    public TokenStore(Path home) {
        this.file = home.resolve(FILE_NAME);
    }

    /** The store of {@code $SEEDLOOP_HOME}, or {@code ~/.seedloop}. */
    public static TokenStore fromEnvironment(Map<String, String> env) {
        String home = env.get("SEEDLOOP_HOME");
        return new TokenStore(home == null || home.isBlank()
                ? Path.of(System.getProperty("user.home"), ".seedloop") : Path.of(home));
    }

    public Path file() {
        return file;
    }

    public Optional<Credentials> load() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.read(Files.readString(file), Credentials.class));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (CliException unreadable) {
            throw new CliException(ExitCode.NOT_LOGGED_IN, file + " is unreadable: log in again with `seedloop login`.");
        }
    }

    public void save(Credentials credentials) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            if (!Files.isDirectory(dir)) {
                if (posix) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
                } else {
                    Files.createDirectories(dir);
                }
            }
            Path temp = dir.resolve(FILE_NAME + ".tmp-" + ProcessHandle.current().pid());
            Files.deleteIfExists(temp);
            if (posix) {
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_FILE));
            } else {
                Files.createFile(temp);
            }
            Files.writeString(temp, Json.write(credentials));
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /** @return whether there was something to delete */
    public boolean delete() {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + file, e);
        }
    }
}
