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
 * {@code credentials.json} in the CLI's own configuration directory: {@code $SEEDLOOP_CONFIG_DIR}, else
 * {@code $XDG_CONFIG_HOME/seedloop}, else {@code ~/.config/seedloop}. Never under {@code $SEEDLOOP_HOME}, which is the
 * local stack's data directory: moving or deleting the stack must not log anyone out or scatter their tokens. The
 * tokens are bearer secrets, so the file is created owner-only (600) before any byte is written, its directory is
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

    /** The store of {@link #configDirectory}. */
    public static TokenStore fromEnvironment(Map<String, String> env) {
        return new TokenStore(configDirectory(env));
    }

    /**
     * {@code $SEEDLOOP_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/seedloop} (an XDG path that is not absolute is
     * ignored, as the XDG base directory specification says), else {@code ~/.config/seedloop}.
     */
    public static Path configDirectory(Map<String, String> env) {
        String explicit = env.get("SEEDLOOP_CONFIG_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("seedloop");
    }

    /**
     * Where credentials were kept before the CLI had a directory of its own ({@code $SEEDLOOP_HOME}, else
     * {@code ~/.seedloop}): never read, only named so a user who finds themselves logged out learns why.
     */
    public static Path formerFile(Map<String, String> env) {
        String home = env.get("SEEDLOOP_HOME");
        return (home == null || home.isBlank() ? Path.of(System.getProperty("user.home"), ".seedloop")
                : Path.of(home)).resolve(FILE_NAME);
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
