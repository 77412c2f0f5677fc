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
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.seedloop.events.ContentHash;
import dev.seedloop.events.FilePatch;
import dev.seedloop.implementer.domain.RunEnvironment;

/**
 * Prepares experiment workspaces: copies the base workspace into {@code root/<experiment>},
 * writes the proposal's parameters as {@code params.json}, hashes the result, and records the
 * protected files (relative paths or globs such as {@code tests/**}) so changes to them can be
 * detected after each run. Symlinks are copied as links, never followed.
 */
public final class WorkspaceMaterializer {

    public static final String PARAMS_FILE = "params.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final long BLOCK = 4096;

    private final Path root;
    private final List<String> protectedGlobs;
    private final DiskVolumes volumes;
    private final long diskBytes;

    /** Workspaces as plain directories of the host's file system: nothing caps what an experiment writes. */
    public WorkspaceMaterializer(Path root, List<String> protectedGlobs) {
        this(root, protectedGlobs, null, Long.MAX_VALUE);
    }

    /**
     * @param volumes   each workspace on a volume of its own (see {@link DiskVolumes}), or null for plain directories
     * @param diskBytes how much an experiment may add to its workspace: the volume holds the copy plus this (and
     *                  ext4's own needs), and runs are stopped when the workspace grows beyond it
     */
    public WorkspaceMaterializer(Path root, List<String> protectedGlobs, DiskVolumes volumes, long diskBytes) {
        this.root = root.toAbsolutePath().normalize();
        this.protectedGlobs = List.copyOf(protectedGlobs);
        this.volumes = volumes;
        this.diskBytes = diskBytes;
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
        Objects.requireNonNull(base, "base");
        return materialize(legacy(base, patches), experiment, parameters);
    }

    /**
     * A server directory with the proposal's patches on top, as studies from before uploaded workspaces name it.
     *
     * @throws IllegalArgumentException if a patch would write or delete a protected path
     */
    public WorkspaceContent legacy(Path base, List<FilePatch> patches) {
        List<PathMatcher> guards = protectedGlobs.stream()
                .map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        for (FilePatch patch : patches) {
            if (guards.stream().anyMatch(m -> m.matches(Path.of(patch.path())))) {
                throw new IllegalArgumentException("patch touches protected path " + patch.path());
            }
        }
        return new LegacyDirectory(base.toAbsolutePath().normalize(), List.copyOf(patches));
    }

    /**
     * Writes {@code content} and then {@code params.json} into a fresh workspace (on a volume of its own when
     * volumes are in use) and records its hash and protected files.
     *
     * @param experiment directory name for this workspace (e.g. the experiment's id). A directory of that name is
     *                   what an earlier run of the same experiment left when it died; it is replaced, never reused.
     */
    public MaterializedWorkspace materialize(WorkspaceContent content, String experiment, Map<String, ?> parameters)
            throws IOException {
        Path dir = freshDirectory(experiment);
        if (volumes != null) {
            volumes.create(dir, DiskVolumes.capacity(Math.addExact(content.estimatedBytes() + BLOCK, diskBytes)));
        } else {
            createSearchable(dir);
        }
        try {
            content.writeInto(dir);
            writeNew(dir.resolve(PARAMS_FILE), JSON.writeValueAsString(new LinkedHashMap<>(parameters)));
            Long diskCeiling = volumes == null ? null : DiskVolumes.used(dir) + diskBytes;
            return new MaterializedWorkspace(dir, contentHash(dir), RunEnvironment.parameterVariables(parameters), protectedHashes(dir),
                    diskCeiling);
        } catch (IOException | RuntimeException e) {
            release(dir);
            throw e;
        }
    }

    /**
     * Writes {@code content} into a plain directory {@code name} below the root, for a run to read through a
     * read-only mount (the held-out data): owned by this service, readable by the sandbox user, on no volume (the
     * run cannot write it).
     */
    public Path materializeData(WorkspaceContent content, String name) throws IOException {
        Path dir = freshDirectory(name);
        createSearchable(dir);
        try {
            content.writeInto(dir);
            // The sandbox user reads it whatever this process's umask made of the directories.
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                }
            }
            return dir;
        } catch (IOException | RuntimeException e) {
            release(dir);
            throw e;
        }
    }

    private Path freshDirectory(String name) throws IOException {
        if (!name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
            throw new IllegalArgumentException("experiment must be a plain directory name but was " + name);
        }
        if (!Files.exists(root)) {
            Files.createDirectories(root);
            // The sandbox user must be able to reach workspaces below the root.
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path dir = root.resolve(name);
        // Callers run each experiment once at a time, so a directory already here is not in use: only a crash
        // leaves one, and its half-written content must not decide the re-run.
        release(dir);
        return dir;
    }

    private static void createSearchable(Path dir) throws IOException {
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A directory of this machine, copied without following links, with whole-file patches on top. */
    private record LegacyDirectory(Path from, List<FilePatch> patches) implements WorkspaceContent {

        @Override
        public long estimatedBytes() throws IOException {
            long patched = patches.stream().mapToLong(p -> p.content() == null ? 0 : roundUp(p.content().length() * 4L))
                    .sum();
            return estimate(from) + patched;
        }

        @Override
        public void writeInto(Path dir) throws IOException {
            FileTrees.copyTree(from, dir);
            for (FilePatch patch : patches) {
                Path target = inside(dir, patch.path());
                if (patch.deletes()) {
                    Files.deleteIfExists(target);
                } else if (patch.content() == null) {
                    throw new IllegalArgumentException("patch " + patch.path() + " is a unified diff; a study without"
                            + " an uploaded workspace takes whole files only");
                } else {
                    writeNew(target, patch.content());
                }
            }
        }
    }

    /** Removes a workspace: unmounts its volume (if it has one) and deletes what is left. */
    public static void release(Path dir) throws IOException {
        DiskVolumes.release(dir);
        FileTrees.deleteTree(dir);
    }

    /**
     * {@code relative} resolved in {@code dir}, its missing parent directories created. This JVM runs as root and
     * the base workspace is someone else's: every existing ancestor must be a real directory, never a link, or a
     * patch {@code lib/x} with {@code lib -> /etc} would write or delete in {@code /etc}.
     *
     * @throws IllegalArgumentException when the path leaves the workspace or passes through a link or a file
     */
    private static Path inside(Path dir, String relative) throws IOException {
        Path target = dir.resolve(relative).normalize();
        if (!target.startsWith(dir) || target.equals(dir)) {
            throw new IllegalArgumentException("patch leaves the workspace: " + relative);
        }
        Path at = dir;
        for (Path part : dir.relativize(target.getParent() == null ? dir : target.getParent())) {
            at = at.resolve(part);
            if (Files.isSymbolicLink(at)) {
                throw new IllegalArgumentException("patch " + relative + " goes through the link " + dir.relativize(at));
            }
            if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(at);
            } else if (!Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException("patch " + relative + " goes through the file " + dir.relativize(at));
            }
        }
        return target;
    }

    /**
     * Replaces whatever is at {@code file} (a link is removed, never followed) by a new regular file: created with
     * O_EXCL, so a link planted in between makes it fail instead of writing through it.
     */
    private static void writeNew(Path file, String content) throws IOException {
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            FileTrees.deleteTree(file);
        } else {
            Files.deleteIfExists(file);
        }
        Files.writeString(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
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
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    updateWithFile(digest, p);
                } else {
                    // A FIFO, socket or device: opening it could block this thread forever (a FIFO nobody writes)
                    // or touch hardware. Its type is all we record, so any such file is a change.
                    digest.update(("special:" + specialType(p)).getBytes(StandardCharsets.UTF_8));
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

    /** Bytes the base takes on a file system of 4 KiB blocks (an over-estimate for smaller files: room to spare). */
    private static long estimate(Path base) throws IOException {
        long bytes = 0;
        try (Stream<Path> walk = Files.walk(base)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                bytes += Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? roundUp(Files.size(p)) + BLOCK : BLOCK;
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return bytes;
    }

    private static long roundUp(long bytes) {
        return (bytes + BLOCK - 1) / BLOCK * BLOCK;
    }

    /** What kind of special file {@code p} is, read from its attributes without opening it. */
    static String specialType(Path p) throws IOException {
        Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return switch (((Integer) mode) & 0170000) {
            case 0010000 -> "FIFO";
            case 0140000 -> "socket";
            case 0020000 -> "character device";
            case 0060000 -> "block device";
            default -> "special file";
        };
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
