package dev.seedloop.implementer.application;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A workspace as a gzipped tar, the form in which the Job executor hands it to a pod and takes it back (ADR 0026):
 * directories, regular files (executable or not) and symbolic links, nothing else, links stored as links and never
 * followed. Unpacking trusts nothing in the archive: an entry that is absolute, leaves the directory or lies below a
 * link is refused, as a patch would be.
 */
final class WorkspaceArchive {

    /** Thrown when a packed tree exceeds the size a Job can be given, or an archive is not a workspace. */
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    private WorkspaceArchive() {
    }

    /** {@code dir}'s tree as tar.gz; refused past {@code maxBytes} packed. */
    static byte[] pack(Path dir, long maxBytes) throws IOException {
        BoundedBytes out = new BoundedBytes(maxBytes);
        try {
            write(dir, out);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        return out.toByteArray();
    }

    private static void write(Path dir, BoundedBytes out) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    if (!d.equals(dir)) {
                        TarArchiveEntry entry = new TarArchiveEntry(name(dir, d) + "/");
                        entry.setMode(0755);
                        tar.putArchiveEntry(entry);
                        tar.closeArchiveEntry();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isSymbolicLink()) {
                        TarArchiveEntry entry = new TarArchiveEntry(name(dir, f), TarArchiveEntry.LF_SYMLINK);
                        entry.setLinkName(Files.readSymbolicLink(f).toString());
                        tar.putArchiveEntry(entry);
                        tar.closeArchiveEntry();
                    } else if (attrs.isRegularFile()) {
                        TarArchiveEntry entry = new TarArchiveEntry(name(dir, f));
                        entry.setSize(attrs.size());
                        entry.setMode(Files.isExecutable(f) ? 0755 : 0644);
                        tar.putArchiveEntry(entry);
                        Files.copy(f, tar);
                        tar.closeArchiveEntry();
                    }
                    // FIFOs, sockets and devices are not part of a workspace (the materializer refuses them).
                    return FileVisitResult.CONTINUE;
                }
            });
        }
    }

    /**
     * Replaces {@code dir}'s content by the archive's (the directory itself stays: it may be a volume's mount point).
     * Refused, before anything is written, past {@code maxBytes} compressed.
     */
    static void replaceContent(Path dir, byte[] archive, long maxBytes) throws IOException {
        if (archive.length > maxBytes) {
            throw new TooLarge("packs to " + archive.length + " bytes, more than the " + maxBytes + " allowed");
        }
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.toList()) {
                if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                    FileTrees.deleteTree(child);
                } else {
                    Files.delete(child);
                }
            }
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(
                new java.io.ByteArrayInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = inside(dir, entry.getName());
                if (target.equals(dir)) {
                    continue;
                }
                Files.createDirectories(target.getParent());
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else if (entry.isFile()) {
                    Files.copy(tar, target);
                    if ((entry.getMode() & 0100) != 0) {
                        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                } else {
                    throw new IOException("the archive holds '" + entry.getName() + "', which is not a file,"
                            + " directory or link");
                }
            }
        }
    }

    /** Where an entry goes: refused when absolute, leaving {@code dir}, or under a link already written. */
    private static Path inside(Path dir, String name) throws IOException {
        Path relative = Path.of(name).normalize();
        if (relative.isAbsolute() || relative.startsWith("..")) {
            throw new IOException("the archive names '" + name + "', outside the workspace");
        }
        Path target = dir.resolve(relative).normalize();
        if (!target.startsWith(dir)) {
            throw new IOException("the archive names '" + name + "', outside the workspace");
        }
        for (Path p = target.getParent(); p != null && p.startsWith(dir) && !p.equals(dir); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                throw new IOException("the archive names '" + name + "', below the link " + dir.relativize(p));
            }
        }
        return target;
    }

    private static String name(Path root, Path p) {
        return String.join("/", List.of(root.relativize(p).toString().split(java.util.regex.Pattern.quote(
                root.getFileSystem().getSeparator()))));
    }

    /** Reads a stream whole, refusing past {@code maxBytes}. */
    static byte[] readBounded(InputStream in, long maxBytes) throws IOException {
        BoundedBytes out = new BoundedBytes(maxBytes);
        try {
            in.transferTo(out);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        return out.toByteArray();
    }

    /** An in-memory sink that refuses to grow past its bound. */
    private static final class BoundedBytes extends ByteArrayOutputStream {
        private final long max;

        BoundedBytes(long max) {
            this.max = max;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            check(len);
            super.write(b, off, len);
        }

        @Override
        public synchronized void write(int b) {
            check(1);
            super.write(b);
        }

        private void check(int more) {
            if (count + (long) more > max) {
                throw new java.io.UncheckedIOException(new TooLarge("more than " + max + " bytes"));
            }
        }
    }
}
