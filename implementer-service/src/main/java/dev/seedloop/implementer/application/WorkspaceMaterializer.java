package dev.seedloop.implementer.application;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.seedloop.events.ContentHash;
import dev.seedloop.events.FilePatch;

/**
 * Prepares experiment workspaces: copies the base workspace into {@code root/<experiment>},
 * writes the proposal's parameters as {@code params.json}, hashes the result, and records the
 * protected files (relative paths or globs such as {@code tests/**}) so changes to them can be
 * detected after each run. Symlinks are copied as links, never followed.
 */
public final class WorkspaceMaterializer {

    public static final String PARAMS_FILE = "params.json";
    public static final String PARAM_ENV_PREFIX = "SEEDLOOP_PARAM_";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final List<String> protectedGlobs;

    public WorkspaceMaterializer(Path root, List<String> protectedGlobs) {
        this.root = root.toAbsolutePath().normalize();
        this.protectedGlobs = List.copyOf(protectedGlobs);
    }

    /**
     * @param experiment directory name for this experiment (e.g. its id). A directory of that name is what an
     *                   earlier run of the same experiment left when it died; it is replaced, never reused.
     */
    public MaterializedWorkspace materialize(Path base, String experiment, Map<String, ?> parameters)
            throws IOException {
        return materialize(base, experiment, parameters, List.of());
    }

    /**
     * Like {@link #materialize(Path, String, Map)}, with the proposal's patch set applied on top of the
     * copy before anything is hashed.
     *
     * @throws IllegalArgumentException if a patch would write or delete a protected path
     */
    public MaterializedWorkspace materialize(Path base, String experiment, Map<String, ?> parameters,
            List<FilePatch> patches) throws IOException {
        List<PathMatcher> guards = protectedGlobs.stream()
                .map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        for (FilePatch patch : patches) {
            if (guards.stream().anyMatch(m -> m.matches(Path.of(patch.path())))) {
                throw new IllegalArgumentException("patch touches protected path " + patch.path());
            }
        }
        Objects.requireNonNull(base, "base");
        if (!experiment.matches("[A-Za-z0-9._-]+") || experiment.startsWith(".")) {
            throw new IllegalArgumentException("experiment must be a plain directory name but was " + experiment);
        }
        if (!Files.exists(root)) {
            Files.createDirectories(root);
            // The sandbox user must be able to reach workspaces below the root.
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path dir = root.resolve(experiment);
        // Callers run each experiment once at a time, so a directory already here is not in use: only a crash
        // leaves one, and its half-written content must not decide the re-run.
        FileTrees.deleteTree(dir);
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        copyTree(base.toAbsolutePath().normalize(), dir);
        for (FilePatch patch : patches) {
            Path target = dir.resolve(patch.path()).normalize();
            if (!target.startsWith(dir)) {
                throw new IllegalArgumentException("patch leaves the workspace: " + patch.path());
            }
            if (patch.content() == null) {
                Files.deleteIfExists(target);
            } else {
                Files.createDirectories(target.getParent());
                Files.writeString(target, patch.content());
            }
        }
        Files.writeString(dir.resolve(PARAMS_FILE), JSON.writeValueAsString(new LinkedHashMap<>(parameters)));
        return new MaterializedWorkspace(dir, contentHash(dir), paramEnv(parameters), protectedHashes(dir));
    }

    /** Protected paths added, removed or changed since materialisation, sorted; empty when intact. */
    public List<String> protectedViolations(MaterializedWorkspace workspace) throws IOException {
        Map<String, String> now = protectedHashes(workspace.dir());
        Map<String, String> before = workspace.protectedHashes();
        List<String> changed = new ArrayList<>();
        before.forEach((path, hash) -> {
            if (!hash.equals(now.get(path))) {
                changed.add(path);
            }
        });
        now.keySet().stream().filter(p -> !before.containsKey(p)).forEach(changed::add);
        changed.sort(null);
        return changed;
    }

    /** Environment variables naming each parameter: {@code lr-max} becomes {@code SEEDLOOP_PARAM_LR_MAX}. */
    public static Map<String, String> paramEnv(Map<String, ?> parameters) {
        Map<String, String> env = new LinkedHashMap<>();
        parameters.forEach((name, value) -> env.put(
                PARAM_ENV_PREFIX + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_"), String.valueOf(value)));
        return env;
    }

    /** The workspace's content hash, defined once for the whole system by {@link ContentHash#ofDirectory}. */
    public static String contentHash(Path dir) throws IOException {
        return ContentHash.ofDirectory(dir);
    }

    private Map<String, String> protectedHashes(Path dir) throws IOException {
        if (protectedGlobs.isEmpty()) {
            return Map.of();
        }
        List<PathMatcher> matchers = protectedGlobs.stream()
                .map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        Map<String, String> hashes = new TreeMap<>();
        for (Map.Entry<String, Path> e : entries(dir).entrySet()) {
            Path p = e.getValue();
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Path rel = Path.of(e.getKey());
            if (matchers.stream().anyMatch(m -> m.matches(rel))) {
                MessageDigest digest = sha256();
                if (Files.isSymbolicLink(p)) {
                    digest.update(("link:" + Files.readSymbolicLink(p)).getBytes(StandardCharsets.UTF_8));
                } else {
                    updateWithFile(digest, p);
                }
                hashes.put(e.getKey(), ContentHash.PREFIX + HexFormat.of().formatHex(digest.digest()));
            }
        }
        return hashes;
    }

    /** Relative path ('/'-separated) to path, sorted, excluding the root itself; links not followed. */
    private static TreeMap<String, Path> entries(Path dir) throws IOException {
        TreeMap<String, Path> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> !p.equals(dir))
                    .forEach(p -> entries.put(dir.relativize(p).toString().replace('\\', '/'), p));
        }
        return entries;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path src : (Iterable<Path>) walk::iterator) {
                Path dst = to.resolve(from.relativize(src).toString());
                if (src.equals(from)) {
                    continue;
                }
                if (Files.isSymbolicLink(src)) {
                    Files.createSymbolicLink(dst, Files.readSymbolicLink(src));
                } else if (Files.isDirectory(src)) {
                    Files.createDirectory(dst);
                    Files.setPosixFilePermissions(dst, Files.getPosixFilePermissions(src));
                } else {
                    Files.copy(src, dst, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void updateWithFile(MessageDigest digest, Path file) throws IOException {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                digest.update(buf, 0, n);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform is required to ship SHA-256.
            throw new IllegalStateException(e);
        }
    }
}
