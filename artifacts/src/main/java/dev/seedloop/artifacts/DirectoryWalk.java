package dev.seedloop.artifacts;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.seedloop.artifacts.ArtifactRejectedException.Reason;

/**
 * The files of a local directory as tree entries-to-be, never following a symbolic link: a link is an entry of its
 * own (its target checked to stay inside), a FIFO, device or socket is refused before anything opens it.
 */
final class DirectoryWalk {

    /** A file found: its tree path, its kind, where it is, its size, and a link's target. */
    record Found(TreePath path, TreeEntry.Kind kind, Path file, long size, String linkTarget) {
    }

    private DirectoryWalk() {
    }

    static List<Found> walk(Path root, SeedloopIgnore ignore, ArchiveLimits limits) throws IOException {
        Path base = root.toAbsolutePath().normalize();
        BasicFileAttributes rootAttributes = Files.readAttributes(base, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (!rootAttributes.isDirectory()) {
            throw new IOException(root + " is not a directory");
        }
        List<Found> found = new ArrayList<>();
        long[] totalBytes = {0};
        Files.walkFileTree(base, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                if (dir.equals(base)) {
                    return FileVisitResult.CONTINUE;
                }
                String relative = relative(base, dir);
                TreePath.of(relative);
                return ignore.ignores(relative, true) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                String relative = relative(base, file);
                if (ignore.ignores(relative, false)) {
                    return FileVisitResult.CONTINUE;
                }
                TreePath path = TreePath.of(relative);
                if (found.size() >= limits.maxFiles()) {
                    throw new ArtifactRejectedException(Reason.LIMIT_EXCEEDED, relative,
                            "the directory has more than " + limits.maxFiles() + " files");
                }
                if (attributes.isSymbolicLink()) {
                    String target = Files.readSymbolicLink(file).toString();
                    SymlinkTargets.check(path, target);
                    found.add(new Found(path, TreeEntry.Kind.SYMLINK, file, -1, target));
                } else if (attributes.isRegularFile()) {
                    if (attributes.size() > limits.maxFileBytes()) {
                        throw new ArtifactRejectedException(Reason.LIMIT_EXCEEDED, relative, "the file '" + relative
                                + "' is larger than " + limits.maxFileBytes() + " bytes");
                    }
                    totalBytes[0] += attributes.size();
                    if (totalBytes[0] > limits.maxTotalBytes()) {
                        throw new ArtifactRejectedException(Reason.LIMIT_EXCEEDED, relative,
                                "the files are larger than " + limits.maxTotalBytes() + " bytes in all");
                    }
                    found.add(new Found(path, executable(file) ? TreeEntry.Kind.EXECUTABLE : TreeEntry.Kind.FILE,
                            file, attributes.size(), null));
                } else {
                    throw special(file, relative);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                throw e;
            }
        });
        found.sort(Comparator.comparing(Found::path));
        return found;
    }

    private static ArtifactRejectedException special(Path file, String relative) throws IOException {
        Reason reason = Reason.UNSUPPORTED_ENTRY;
        String what = "a special file";
        try {
            Object type = Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            int format = ((Integer) type) & 0170000;
            if (format == 0010000) {
                reason = Reason.FIFO;
                what = "a named pipe";
            } else if (format == 0020000 || format == 0060000) {
                reason = Reason.DEVICE;
                what = "a device";
            }
        } catch (UnsupportedOperationException | IllegalArgumentException ignored) {
            // Without the unix view the kind stays unnamed.
        }
        return new ArtifactRejectedException(reason, relative, "'" + relative + "' is " + what
                + "; only files, directories and links inside the workspace are accepted");
    }

    static boolean executable(Path file) throws IOException {
        try {
            PosixFileAttributes posix = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return posix.permissions().contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    static String relative(Path base, Path file) {
        StringBuilder relative = new StringBuilder();
        for (Path part : base.relativize(file)) {
            if (!relative.isEmpty()) {
                relative.append('/');
            }
            relative.append(part);
        }
        return relative.toString();
    }
}
