package dev.seedloop.implementer.application;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * The disk quota: each experiment's workspace is a file system of its own, a sparse ext4 image
 * ({@code experiments/<id>.img}, outside what the sandbox sees) loop-mounted at {@code experiments/<id>} with
 * {@code nosuid,nodev}. Its size is a hard cap on the host disk the experiment can fill (writes beyond it fail
 * with ENOSPC), and its used blocks are what the executors measure against the quota, so a run that wrote more
 * than allowed is stopped and reported even when the program ignored the error. A tmpfs would be exact too, but
 * its pages are memory charged to whoever writes them (the service when it copies the base, the experiment's
 * memory limit afterwards), so a data set written to disk would count as memory; an ext4 image is disk.
 * Mounting needs root (CAP_SYS_ADMIN) and {@code mkfs.ext4}; {@link #open} says why when they are missing.
 */
public final class DiskVolumes {

    private static final Logger LOG = Logger.getLogger(DiskVolumes.class);
    private static final String IMAGE_SUFFIX = ".img";
    /** ext4's own structures (inode tables, directories) need room beyond the quota; sparse, so it costs nothing unused. */
    private static final long MIN_SLACK = 16L << 20;

    private final String mkfs;

    private DiskVolumes(String mkfs) {
        this.mkfs = mkfs;
    }

    /** Volumes for workspaces below {@code experiments}, or why there are none; a real mount is tried once. */
    public static Result open(Path experiments) {
        if (!HostUser.isRoot()) {
            return new Result(null, "mounting a size-limited volume per workspace needs root; the service runs as "
                    + System.getProperty("user.name"));
        }
        Optional<String> mkfs = Stream.of("/usr/sbin/mkfs.ext4", "/sbin/mkfs.ext4").filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst();
        if (mkfs.isEmpty() || !Files.isExecutable(Path.of("/usr/bin/mount")) && !Files.isExecutable(Path.of("/bin/mount"))) {
            return new Result(null, "mkfs.ext4 or mount is missing: apt-get install e2fsprogs mount");
        }
        DiskVolumes volumes = new DiskVolumes(mkfs.get());
        Path probe = experiments.resolve(".volume-probe-" + ProcessHandle.current().pid());
        try {
            release(probe);
            FileTrees.deleteTree(probe);
            volumes.create(probe, 4L << 20);
            release(probe);
            Files.deleteIfExists(probe);
            return new Result(volumes, null);
        } catch (IOException | RuntimeException e) {
            try {
                release(probe);
                FileTrees.deleteTree(probe);
            } catch (IOException ignored) {
                // Best effort; the next start removes what is under experiments/.
            }
            return new Result(null, "cannot loop-mount an ext4 image under " + experiments + ": " + e.getMessage());
        }
    }

    /** The volumes, or why there are none. */
    public record Result(DiskVolumes volumes, String problem) {

        public Optional<DiskVolumes> available() {
            return Optional.ofNullable(volumes);
        }
    }

    /** How large a volume must be to hold {@code contentBytes} plus what ext4 needs for itself. */
    static long capacity(long contentBytes) {
        return contentBytes + Math.max(MIN_SLACK, contentBytes / 16);
    }

    /** Makes {@code dir} (which must not exist) an empty, world-searchable file system of {@code bytes}. */
    void create(Path dir, long bytes) throws IOException {
        Path image = image(dir);
        Files.deleteIfExists(image);
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(bytes);
        }
        Files.setPosixFilePermissions(image, PosixFilePermissions.fromString("rw-------"));
        // No journal (a workspace is scratch space: a crash discards it), no reserved blocks (all of it is the quota).
        run(List.of(mkfs, "-q", "-F", "-m", "0", "-O", "^has_journal", "-E", "nodiscard", image.toString()));
        Files.createDirectory(dir);
        run(List.of("mount", "-o", "loop,nosuid,nodev", image.toString(), dir.toString()));
        Files.deleteIfExists(dir.resolve("lost+found"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Bytes in use on the volume mounted at {@code dir}: data, directories and ext4's per-file blocks. */
    static long used(Path dir) throws IOException {
        FileStore store = Files.getFileStore(dir);
        return store.getTotalSpace() - store.getUnallocatedSpace();
    }

    /** Unmounts {@code dir} if a volume is mounted there and deletes its image; the empty directory stays. */
    static void release(Path dir) throws IOException {
        if (mountPoints().contains(dir.toAbsolutePath().normalize())) {
            run(List.of("umount", dir.toString()));
        }
        Files.deleteIfExists(image(dir));
    }

    static boolean isMounted(Path dir) throws IOException {
        return mountPoints().contains(dir.toAbsolutePath().normalize());
    }

    /** Unmounts every volume below {@code root} and deletes their images: what a run that died left mounted. */
    static void releaseAllUnder(Path root) throws IOException {
        Path normal = root.toAbsolutePath().normalize();
        List<Path> below = mountPoints().stream().filter(p -> p.startsWith(normal) && !p.equals(normal))
                .sorted(Comparator.comparing(Path::getNameCount).reversed()).toList();
        for (Path mount : below) {
            LOG.infof("unmounting the workspace volume %s left by an earlier run", mount);
            run(List.of("umount", mount.toString()));
        }
        if (Files.isDirectory(normal)) {
            try (Stream<Path> files = Files.list(normal)) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(IMAGE_SUFFIX)
                        && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    private static Path image(Path dir) {
        return dir.resolveSibling(dir.getFileName() + IMAGE_SUFFIX);
    }

    /** Mount points of this mount namespace, from /proc/self/mountinfo (octal escapes decoded). */
    private static List<Path> mountPoints() throws IOException {
        List<Path> points = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ");
            if (fields.length > 4) {
                points.add(Path.of(unescape(fields[4])));
            }
        }
        return points;
    }

    private static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static void run(List<String> argv) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", argv) + " did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", argv) + " interrupted", e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", argv) + " failed (" + p.exitValue() + "): " + output);
        }
    }
}
