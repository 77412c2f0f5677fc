package dev.seedloop.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * The client side of an upload: a local directory as a {@link Tree} and as a {@code .tar.gz} the gateway's
 * {@link ArchiveImport} turns into that same tree (same hash).
 *
 * <p>The walk never follows a symbolic link (a link is packed as a link, and refused when it leaves the directory),
 * skips what {@code .seedloopignore} excludes ({@link SeedloopIgnore}) and refuses FIFOs, devices and sockets. The
 * hash is computed locally, without a store. The archive is reproducible: entries in tree order, modification
 * times 0, owner 0, modes 0644 / 0755 / links. Each file is read once while it is archived and hashed, and must
 * keep its size meanwhile, so the tree returned is exactly what the archive holds.
 */
public final class TreePacker {

    private final ArchiveLimits limits;

    /** @param limits what the directory may hold (the gateway's limits, so an upload is refused before it is sent) */
    public TreePacker(ArchiveLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** The tree of {@code directory} (honouring its {@code .seedloopignore}), computed locally. */
    public Tree tree(Path directory) throws IOException {
        return pack(directory, null);
    }

    /** Writes {@code directory} as a {@code .tar.gz} to {@code out} (not closed) and returns its tree. */
    public Tree pack(Path directory, OutputStream out) throws IOException {
        List<DirectoryWalk.Found> found = DirectoryWalk.walk(directory, SeedloopIgnore.load(directory), limits);
        List<TreeEntry> entries = new ArrayList<>();
        TarArchiveOutputStream tar = null;
        GzipCompressorOutputStream gzip = null;
        if (out != null) {
            gzip = new GzipCompressorOutputStream(new NonClosingOutputStream(out));
            tar = new TarArchiveOutputStream(gzip, StandardCharsets.UTF_8.name());
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
        }
        for (DirectoryWalk.Found file : found) {
            if (file.kind() == TreeEntry.Kind.SYMLINK) {
                byte[] target = file.linkTarget().getBytes(StandardCharsets.UTF_8);
                entries.add(new TreeEntry(file.path(), file.kind(), Digests.of(target), target.length));
                if (tar != null) {
                    TarArchiveEntry entry = new TarArchiveEntry(file.path().value(), TarConstants.LF_SYMLINK);
                    entry.setLinkName(file.linkTarget());
                    entry.setMode(0120777);
                    normalise(entry);
                    tar.putArchiveEntry(entry);
                    tar.closeArchiveEntry();
                }
                continue;
            }
            TarArchiveEntry entry = null;
            if (tar != null) {
                entry = new TarArchiveEntry(file.path().value());
                entry.setSize(file.size());
                entry.setMode(0100000 | (file.kind() == TreeEntry.Kind.EXECUTABLE ? 0755 : 0644));
                normalise(entry);
                tar.putArchiveEntry(entry);
            }
            MessageDigest digest = Digests.sha256();
            long read = 0;
            try (InputStream in = Files.newInputStream(file.file(), LinkOption.NOFOLLOW_LINKS)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    read += n;
                    if (read > file.size()) {
                        break;
                    }
                    digest.update(buffer, 0, n);
                    if (tar != null) {
                        tar.write(buffer, 0, n);
                    }
                }
            }
            if (read != file.size()) {
                throw new IOException(file.file() + " changed while it was packed; pack again");
            }
            if (tar != null) {
                tar.closeArchiveEntry();
            }
            entries.add(new TreeEntry(file.path(), file.kind(), Digests.format(digest), file.size()));
        }
        Tree tree = Tree.of(entries);
        if (tar != null) {
            tar.finish();
            gzip.finish();
            gzip.flush();
        }
        return tree;
    }

    private static void normalise(TarArchiveEntry entry) {
        entry.setModTime(FileTime.fromMillis(0));
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("");
        entry.setGroupName("");
    }

    /** The caller owns {@code out}; finishing the gzip stream must not close it. */
    private static final class NonClosingOutputStream extends java.io.FilterOutputStream {

        NonClosingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            out.write(buffer, offset, length);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
