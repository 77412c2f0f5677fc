package dev.seedloop.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The store on the real PostgreSQL, as the application role. The module's tests run with a 96 MiB heap, so the
 * 64 MiB blob below would not fit twice: it passes only if the store streams.
 */
class PostgresArtifactStoreTest extends ArtifactStoreContract {

    private static final int MIB = 1024 * 1024;

    private final PostgresArtifactStore store = new PostgresArtifactStore(TestDatabase.application());

    @Override
    ArtifactStore store() {
        return store;
    }

    /** Deterministic pseudo-random bytes of a given length, generated as they are read. */
    private static final class Generated extends InputStream {

        private final SplittableRandom random;
        private long remaining;
        private final MessageDigest digest = Digests.sha256();

        Generated(long seed, long length) {
            this.random = new SplittableRandom(seed);
            this.remaining = length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (remaining == 0) {
                return -1;
            }
            int count = (int) Math.min(length, remaining);
            for (int i = 0; i < count; i++) {
                buffer[offset + i] = (byte) random.nextInt(256);
            }
            digest.update(buffer, offset, count);
            remaining -= count;
            return count;
        }

        private String hash;

        /** The hash of what was read; call once the stream is at its end. */
        String hash() {
            if (hash == null) {
                hash = Digests.format(digest);
            }
            return hash;
        }
    }

    private static long seed() {
        return System.nanoTime();
    }

    @Test
    void aLargeBlobIsStreamedInAndOutInChunksWithoutBeingHeldInMemory() throws Exception {
        long size = 64L * MIB + 123;
        Generated content = new Generated(seed(), size);

        BlobRef stored = store.putBlob(content);

        assertThat(stored).isEqualTo(new BlobRef(content.hash(), size));
        assertThat(count("select chunk_count from artifacts.blob where hash = ?", stored.hash())).isEqualTo(65);
        assertThat(count("select count(*) from artifacts.blob_chunk where blob_hash = ?", stored.hash()))
                .isEqualTo(65);
        MessageDigest readBack = Digests.sha256();
        long read = 0;
        try (InputStream in = store.openBlob(stored.hash())) {
            byte[] buffer = new byte[256 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                readBack.update(buffer, 0, n);
                read += n;
            }
        }
        assertThat(read).isEqualTo(size);
        assertThat(Digests.format(readBack)).isEqualTo(stored.hash());
    }

    @Test
    void concurrentPutsOfTheSameBlobAllSucceedAndStoreItOnce() throws Exception {
        long seed = seed();
        long size = 5L * MIB + 7;
        int writers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<BlobRef>> puts = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                puts.add(pool.submit(() -> {
                    start.await();
                    return store.putBlob(new Generated(seed, size));
                }));
            }
            start.countDown();
            List<BlobRef> refs = new ArrayList<>();
            for (Future<BlobRef> put : puts) {
                refs.add(put.get(2, TimeUnit.MINUTES));
            }
            Generated expected = new Generated(seed, size);
            expected.transferTo(OutputStreamSink.INSTANCE);
            assertThat(refs).containsOnly(new BlobRef(expected.hash(), size));
            assertThat(count("select count(*) from artifacts.blob where hash = ?", expected.hash())).isEqualTo(1);
            assertThat(count("select count(*) from artifacts.blob_chunk where blob_hash = ?", expected.hash()))
                    .isEqualTo(6);
            assertThat(store.hasBlob(expected.hash())).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBlobWhoseConnectionIsCutHalfWayIsNeverPresentNorAreItsChunks() throws Exception {
        long seed = seed();
        long size = 4L * MIB;
        // The hashes of the chunks the cut upload will have sent before the cut.
        Generated probe = new Generated(seed, size);
        byte[] chunk = new byte[MIB];
        List<String> firstChunks = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            probe.readNBytes(chunk, 0, MIB);
            firstChunks.add(Digests.of(chunk));
        }
        probe.transferTo(OutputStreamSink.INSTANCE);
        String blobHash = probe.hash();

        Generated content = new Generated(seed, size);
        InputStream cutting = new InputStream() {
            private long read;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (read >= 2L * MIB + 1000 && read < 3L * MIB) {
                    terminateApplicationConnectionsInTransaction();
                    read = 3L * MIB;
                }
                int n = content.read(buffer, offset, Math.min(length, 1000));
                read += Math.max(n, 0);
                return n;
            }
        };

        assertThatThrownBy(() -> store.putBlob(cutting)).isInstanceOf(ArtifactStoreException.class);

        assertThat(store.hasBlob(blobHash)).isFalse();
        for (String chunkHash : firstChunks) {
            assertThat(count("select count(*) from artifacts.chunk where hash = ?", chunkHash))
                    .as("chunk %s written before the cut", chunkHash).isZero();
        }
        assertThatThrownBy(() -> store.openBlob(blobHash)).isInstanceOf(java.util.NoSuchElementException.class);
        // The store still works afterwards, and the same content goes in whole.
        assertThat(store.putBlob(new Generated(seed, size)).hash()).isEqualTo(blobHash);
    }

    @Test
    void anUploadRefusedHalfWayThroughAFileLeavesNoPartOfThatFile() throws Exception {
        long seed = seed();
        Generated big = new Generated(seed, 3L * MIB + 5);
        byte[] archive = Archives.tarGz(tar -> {
            Archives.file(tar, "ok.txt", unique("fine"), 0100644);
            org.apache.commons.compress.archivers.tar.TarArchiveEntry entry =
                    new org.apache.commons.compress.archivers.tar.TarArchiveEntry("big.bin");
            entry.setSize(3L * MIB + 5);
            tar.putArchiveEntry(entry);
            big.transferTo(tar);
            tar.closeArchiveEntry();
        });
        byte[] firstChunk = new Generated(seed, MIB).readAllBytes();
        ArchiveImport importer = new ArchiveImport(store, new ArchiveLimits(64L * MIB, 10, 2L * MIB, 100));

        Refusals.refused(ArtifactRejectedException.Reason.LIMIT_EXCEEDED,
                () -> importer.importArchive(new java.io.ByteArrayInputStream(archive)));

        assertThat(store.hasBlob(big.hash())).isFalse();
        assertThat(count("select count(*) from artifacts.chunk where hash = ?", Digests.of(firstChunk)))
                .as("the refused file's first chunk").isZero();
    }

    @Test
    void theApplicationRoleCanNeitherChangeNorDeleteStoredContent() throws Exception {
        BlobRef blob = store.putBlob(unique("immutable"));
        try (Connection connection = TestDatabase.application().getConnection();
                Statement statement = connection.createStatement()) {
            for (String sql : List.of("update artifacts.blob set size = 0 where hash = '" + blob.hash() + "'",
                    "delete from artifacts.blob_chunk", "delete from artifacts.chunk",
                    "truncate artifacts.tree_owner", "alter table artifacts.blob drop constraint blob_pkey")) {
                assertThatThrownBy(() -> statement.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).isIn("42501"));
            }
        }
        assertThat(store.hasBlob(blob.hash())).isTrue();
    }

    private static void terminateApplicationConnectionsInTransaction() throws IOException {
        try (Connection connection = TestDatabase.superuser();
                PreparedStatement terminate = connection.prepareStatement("select pg_terminate_backend(pid)"
                        + " from pg_stat_activity where datname = ? and usename = ? and state like 'idle%'")) {
            terminate.setString(1, TestDatabase.NAME);
            terminate.setString(2, dev.seedloop.infra.PostgresServer.APPLICATION.name());
            try (ResultSet rs = terminate.executeQuery()) {
                assertThat(rs.next()).as("an upload's connection was found to cut").isTrue();
            }
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }

    private static long count(String sql, String key) throws SQLException {
        try (Connection connection = TestDatabase.superuser();
                PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, key);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** Discards bytes (reading a generated stream to its end to know its hash). */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
