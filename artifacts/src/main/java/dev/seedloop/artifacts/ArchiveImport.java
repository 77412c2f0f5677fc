package dev.seedloop.artifacts;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import dev.seedloop.artifacts.ArtifactRejectedException.Reason;

/**
 * Reads an uploaded {@code .tar.gz} or {@code .zip} into the store and returns its {@link Tree} (stored as well).
 *
 * <p>Each file is streamed into the store as it is decompressed, under the caller's {@link ArchiveLimits}; the
 * compression ratio is checked as the bytes come, so a zip bomb is stopped after at most
 * {@code max(RATIO_FLOOR_BYTES, ratio x compressed bytes read)}, never inflated whole. Refused, with an
 * {@link ArtifactRejectedException} naming the reason and the entry: absolute paths, {@code ..}, symbolic links
 * leaving the tree, devices, FIFOs, hard links, other special entries, duplicates (also after normalisation and
 * case-folding), a file where another entry needs a directory, limits or ratio exceeded, malformed archives.
 *
 * <p>A zip's file types live in its central directory at the end, so a zip is first spooled to a temporary file
 * (at most {@code maxTotalBytes} compressed bytes, deleted afterwards); a tar.gz is read straight from the stream.
 * Directories are not kept (a tree has none); an executable bit on the owner makes a file {@code EXECUTABLE}.
 * Blobs of a refused archive may stay in the store (content-addressed, they are harmless and unreferenced); its
 * tree is never stored.
 */
public final class ArchiveImport {

    /** The archive formats accepted. */
    public enum Format {
        TAR_GZ,
        ZIP
    }

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    private final ArtifactStore store;
    private final ArchiveLimits limits;

    public ArchiveImport(ArtifactStore store, ArchiveLimits limits) {
        this.store = Objects.requireNonNull(store, "store");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Imports an archive whose format is told by its first bytes (gzip: {@code 1f 8b}; zip: {@code PK\3\4}). */
    public Tree importArchive(InputStream archive) {
        BufferedInputStream in = new BufferedInputStream(archive);
        in.mark(4);
        byte[] magic;
        try {
            magic = in.readNBytes(4);
            in.reset();
        } catch (IOException e) {
            throw malformed("the archive could not be read", e);
        }
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return importArchive(in, Format.TAR_GZ);
        }
        if (magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && (magic[2] == 3 || magic[2] == 5)) {
            return importArchive(in, Format.ZIP);
        }
        throw malformed("the upload is neither a .tar.gz nor a .zip archive", null);
    }

    public Tree importArchive(InputStream archive, Format format) {
        Tree tree = switch (format) {
            case TAR_GZ -> readTarGz(archive);
            case ZIP -> readZip(archive);
        };
        store.putTree(tree);
        return tree;
    }

    /** What has been read so far: the entries, the directories seen, the limits' counters. */
    private final class Collector {

        private final Map<String, TreePath> seen = new HashMap<>();
        private final Map<String, TreePath> directories = new HashMap<>();
        private final List<TreeEntry> entries = new ArrayList<>();
        private long totalBytes;
        private int count;

        void countEntry(String rawName) {
            if (++count > limits.maxFiles()) {
                throw new ArtifactRejectedException(Reason.LIMIT_EXCEEDED, rawName,
                        "the archive has more than " + limits.maxFiles() + " entries");
            }
        }

        TreePath claim(String rawName) {
            TreePath path = TreePath.of(rawName);
            TreePath earlier = seen.putIfAbsent(path.foldedKey(), path);
            if (earlier != null) {
                throw new ArtifactRejectedException(Reason.DUPLICATE_ENTRY, rawName,
                        "the entry '" + rawName + "' names the same file as '" + earlier + "'"
                                + (earlier.value().equals(path.value()) ? "" : " on a case-insensitive file system"));
            }
            if (directories.containsKey(path.foldedKey())) {
                throw new ArtifactRejectedException(Reason.PATH_CONFLICT, rawName,
                        "the entry '" + rawName + "' is a file where the archive also has a directory");
            }
            return path;
        }

        void directory(String rawName) {
            Optional<TreePath> path = TreePath.ofOrRoot(rawName);
            if (path.isPresent()) {
                TreePath file = seen.get(path.get().foldedKey());
                if (file != null) {
                    throw new ArtifactRejectedException(Reason.PATH_CONFLICT, rawName,
                            "the directory '" + rawName + "' has the name of the file '" + file + "'");
                }
                directories.put(path.get().foldedKey(), path.get());
            }
        }

        void file(TreePath path, boolean executable, InputStream content, String rawName) {
            long[] fileBytes = {0};
            InputStream limited = new LimitedInputStream(content, read -> {
                fileBytes[0] += read;
                totalBytes += read;
                if (fileBytes[0] > limits.maxFileBytes()) {
                    throw new ArtifactRejectedException(Reason.LIMIT_EXCEEDED, rawName,
                            "the file '" + rawName + "' is larger than " + limits.maxFileBytes() + " bytes");
                }
                if (totalBytes > limits.maxTotalBytes()) {
                    throw new ArtifactRejectedException(Reason.LIMIT_EXCEEDED, rawName,
                            "the archive's files are larger than " + limits.maxTotalBytes() + " bytes in all");
                }
            });
            BlobRef blob = store.putBlob(limited);
            entries.add(new TreeEntry(path, executable ? TreeEntry.Kind.EXECUTABLE : TreeEntry.Kind.FILE,
                    blob.hash(), blob.size()));
        }

        void symlink(TreePath path, String target) {
            SymlinkTargets.check(path, target);
            BlobRef blob = store.putText(target);
            entries.add(new TreeEntry(path, TreeEntry.Kind.SYMLINK, blob.hash(), blob.size()));
        }

        Tree tree() {
            return Tree.of(entries);
        }
    }

    private Tree readTarGz(InputStream archive) {
        long[] compressed = {0};
        long[] decompressed = {0};
        InputStream counted = new LimitedInputStream(archive, read -> compressed[0] += read);
        Collector collector = new Collector();
        try {
            GzipCompressorInputStream gzip = new GzipCompressorInputStream(counted);
            InputStream ratioChecked = new LimitedInputStream(gzip, read -> {
                decompressed[0] += read;
                checkRatio(decompressed[0], compressed[0], null);
            });
            TarArchiveInputStream tar = new TarArchiveInputStream(ratioChecked, StandardCharsets.UTF_8.name());
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String name = entry.getName();
                collector.countEntry(name);
                if (entry.isDirectory()) {
                    collector.directory(name);
                } else if (entry.isSymbolicLink()) {
                    collector.symlink(collector.claim(name), entry.getLinkName());
                } else if (entry.isLink()) {
                    throw refused(Reason.HARD_LINK, name, "is a hard link");
                } else if (entry.isCharacterDevice() || entry.isBlockDevice()) {
                    throw refused(Reason.DEVICE, name, "is a device");
                } else if (entry.isFIFO()) {
                    throw refused(Reason.FIFO, name, "is a named pipe");
                } else if (entry.isFile() && !entry.isSparse()) {
                    collector.file(collector.claim(name), (entry.getMode() & 0100) != 0, tar, name);
                } else {
                    throw refused(Reason.UNSUPPORTED_ENTRY, name, "is neither a file, a directory nor a link");
                }
            }
        } catch (IOException e) {
            throw malformed("the .tar.gz archive is malformed or truncated: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw malformed("the .tar.gz archive is malformed or truncated: " + e.getCause().getMessage(), e);
        } catch (IllegalArgumentException e) {
            // commons-compress reports some corrupt headers (bad numbers, bad PAX records) this way.
            throw malformed("the .tar.gz archive is malformed: " + e.getMessage(), e);
        }
        return collector.tree();
    }

    private Tree readZip(InputStream archive) {
        Path spool = null;
        try {
            spool = Files.createTempFile("seedloop-upload-", ".zip");
            long spooled = 0;
            try (OutputStream out = Files.newOutputStream(spool, StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buffer = new byte[64 * 1024];
                for (int read; (read = archive.read(buffer)) >= 0; ) {
                    spooled += read;
                    if (spooled > limits.maxTotalBytes()) {
                        throw new ArtifactRejectedException(Reason.LIMIT_EXCEEDED, null,
                                "the archive is larger than " + limits.maxTotalBytes() + " bytes");
                    }
                    out.write(buffer, 0, read);
                }
            }
            return readZip(spool, spooled);
        } catch (IOException e) {
            throw malformed("the .zip archive is malformed or truncated: " + e.getMessage(), e);
        } finally {
            if (spool != null) {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException ignored) {
                    // A temporary file left behind is the system's to clean.
                }
            }
        }
    }

    private Tree readZip(Path spool, long archiveBytes) throws IOException {
        Collector collector = new Collector();
        long[] decompressed = {0};
        try (SeekableByteChannel channel = Files.newByteChannel(spool);
                ZipFile zip = ZipFile.builder().setSeekableByteChannel(channel).setCharset(StandardCharsets.UTF_8)
                        .setUseUnicodeExtraFields(true).get()) {
            Enumeration<ZipArchiveEntry> all = zip.getEntriesInPhysicalOrder();
            while (all.hasMoreElements()) {
                ZipArchiveEntry entry = all.nextElement();
                String name = entry.getName();
                collector.countEntry(name);
                int type = entry.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX ? entry.getUnixMode() & S_IFMT : 0;
                if (entry.isDirectory() || type == S_IFDIR) {
                    collector.directory(name);
                    continue;
                }
                switch (type) {
                    case 0, S_IFREG, S_IFLNK -> {
                        // handled below
                    }
                    case S_IFIFO -> throw refused(Reason.FIFO, name, "is a named pipe");
                    case S_IFCHR, S_IFBLK -> throw refused(Reason.DEVICE, name, "is a device");
                    default -> throw refused(Reason.UNSUPPORTED_ENTRY, name, "is neither a file, a directory nor a link");
                }
                if (!zip.canReadEntryData(entry)) {
                    throw refused(Reason.UNSUPPORTED_ENTRY, name, "is encrypted or uses an unsupported compression");
                }
                TreePath path = collector.claim(name);
                long entryCompressed = Math.max(entry.getCompressedSize(), 1);
                long[] entryBytes = {0};
                try (InputStream raw = zip.getInputStream(entry);
                        InputStream checked = new LimitedInputStream(raw, read -> {
                            entryBytes[0] += read;
                            decompressed[0] += read;
                            checkRatio(entryBytes[0], entryCompressed, name);
                            checkRatio(decompressed[0], archiveBytes, name);
                        })) {
                    if (type == S_IFLNK) {
                        byte[] target = checked.readNBytes(SymlinkTargets.MAX_TARGET_BYTES + 1);
                        collector.symlink(path, new String(target, StandardCharsets.UTF_8));
                    } else {
                        boolean executable = type != 0 && (entry.getUnixMode() & 0100) != 0;
                        collector.file(path, executable, checked, name);
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw malformed("the .zip archive is malformed: " + e.getCause().getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw malformed("the .zip archive is malformed: " + e.getMessage(), e);
        }
        return collector.tree();
    }

    private void checkRatio(long decompressed, long compressed, String entry) {
        if (decompressed > ArchiveLimits.RATIO_FLOOR_BYTES
                && decompressed > Math.max(compressed, 1) * (long) limits.maxCompressionRatio()) {
            throw new ArtifactRejectedException(Reason.COMPRESSION_RATIO, entry, (entry == null ? "the archive"
                    : "the entry '" + entry + "'") + " decompresses to more than " + limits.maxCompressionRatio()
                    + " times its compressed size");
        }
    }

    private static ArtifactRejectedException refused(Reason reason, String name, String what) {
        return new ArtifactRejectedException(reason, name, "the entry '" + name + "' " + what
                + "; only files, directories and links inside the workspace are accepted");
    }

    private static ArtifactRejectedException malformed(String message, Throwable cause) {
        return new ArtifactRejectedException(Reason.MALFORMED_ARCHIVE, null, message, cause);
    }
}
