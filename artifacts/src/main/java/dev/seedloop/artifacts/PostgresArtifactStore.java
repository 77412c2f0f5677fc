package dev.seedloop.artifacts;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * The default {@link ArtifactStore}: PostgreSQL schema {@code artifacts} (migrations {@code db/artifacts/} in this
 * jar; docs/adr/0018-content-addressed-artifact-store.md).
 *
 * <p>A blob is cut into chunks of {@link #CHUNK_BYTES}, each a row named by its own hash (so identical chunks are
 * stored once), and a list of them. {@link #putBlob} streams: one chunk in memory at a time, inserted as it is read,
 * all in one transaction whose last statement inserts the blob's row: a blob whose upload failed or was cut by a
 * crash is rolled back whole and never seen. {@link #openBlob} holds no connection while the caller reads: it reads
 * each chunk with a connection of its own when the stream gets to it.
 *
 * <p>It needs only SELECT and INSERT on the schema's tables: nothing stored is ever changed.
 */
public final class PostgresArtifactStore implements ArtifactStore {

    /** The largest chunk: 1 MiB. Changing it changes only how new blobs are cut, never their hashes. */
    public static final int CHUNK_BYTES = 1024 * 1024;

    private static final int ENTRY_BATCH = 500;

    private final DataSource dataSource;

    public PostgresArtifactStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public BlobRef putBlob(InputStream content) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                BlobRef stored = writeBlob(connection, content);
                connection.commit();
                return stored;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new ArtifactStoreException("could not store a blob: " + e.getMessage(), e);
        }
    }

    private BlobRef writeBlob(Connection connection, InputStream content) throws SQLException {
        MessageDigest blobDigest = Digests.sha256();
        List<String> chunks = new ArrayList<>();
        byte[] buffer = new byte[CHUNK_BYTES];
        long size = 0;
        try (PreparedStatement known = connection.prepareStatement("select 1 from artifacts.chunk where hash = ?");
                PreparedStatement insert = connection.prepareStatement(
                        "insert into artifacts.chunk (hash, content) values (?, ?) on conflict do nothing")) {
            while (true) {
                int read = readFully(content, buffer);
                if (read == 0) {
                    break;
                }
                blobDigest.update(buffer, 0, read);
                MessageDigest chunkDigest = Digests.sha256();
                chunkDigest.update(buffer, 0, read);
                String chunkHash = Digests.format(chunkDigest);
                known.setString(1, chunkHash);
                boolean present;
                try (ResultSet rs = known.executeQuery()) {
                    present = rs.next();
                }
                if (!present) {
                    insert.setString(1, chunkHash);
                    insert.setBinaryStream(2, new ByteArrayInputStream(buffer, 0, read), read);
                    insert.executeUpdate();
                }
                chunks.add(chunkHash);
                size += read;
                if (read < buffer.length) {
                    break;
                }
            }
        }
        String hash = Digests.format(blobDigest);
        boolean inserted;
        try (PreparedStatement blob = connection.prepareStatement("insert into artifacts.blob (hash, size, chunk_count)"
                + " values (?, ?, ?) on conflict do nothing")) {
            blob.setString(1, hash);
            blob.setLong(2, size);
            blob.setInt(3, chunks.size());
            inserted = blob.executeUpdate() == 1;
        }
        if (inserted) {
            try (PreparedStatement link = connection.prepareStatement(
                    "insert into artifacts.blob_chunk (blob_hash, ordinal, chunk_hash) values (?, ?, ?)")) {
                for (int i = 0; i < chunks.size(); i++) {
                    link.setString(1, hash);
                    link.setInt(2, i);
                    link.setString(3, chunks.get(i));
                    link.addBatch();
                    if ((i + 1) % ENTRY_BATCH == 0) {
                        link.executeBatch();
                    }
                }
                link.executeBatch();
            }
        }
        return new BlobRef(hash, size);
    }

    private static int readFully(InputStream content, byte[] buffer) {
        try {
            return content.readNBytes(buffer, 0, buffer.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InputStream openBlob(String blobHash) {
        List<String> chunks = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement blob = connection.prepareStatement("select 1 from artifacts.blob where hash = ?");
                PreparedStatement list = connection.prepareStatement(
                        "select chunk_hash from artifacts.blob_chunk where blob_hash = ? order by ordinal")) {
            blob.setString(1, blobHash);
            try (ResultSet rs = blob.executeQuery()) {
                if (!rs.next()) {
                    throw new NoSuchElementException("no blob " + blobHash);
                }
            }
            list.setString(1, blobHash);
            try (ResultSet rs = list.executeQuery()) {
                while (rs.next()) {
                    chunks.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new ArtifactStoreException("could not open blob " + blobHash + ": " + e.getMessage(), e);
        }
        return new VerifyingInputStream(new ChunkStream(chunks), blobHash);
    }

    /** Reads one chunk at a time, each with a short-lived connection, so an open stream holds no connection. */
    private final class ChunkStream extends InputStream {

        private final List<String> chunks;
        private int next;
        private byte[] current = new byte[0];
        private int position;

        ChunkStream(List<String> chunks) {
            this.chunks = chunks;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (position == current.length) {
                if (next == chunks.size()) {
                    return -1;
                }
                current = fetch(chunks.get(next++));
                position = 0;
            }
            int count = Math.min(length, current.length - position);
            System.arraycopy(current, position, buffer, offset, count);
            position += count;
            return count;
        }

        private byte[] fetch(String chunkHash) throws IOException {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement query = connection.prepareStatement(
                            "select content from artifacts.chunk where hash = ?")) {
                query.setString(1, chunkHash);
                try (ResultSet rs = query.executeQuery()) {
                    if (!rs.next()) {
                        throw new IOException("chunk " + chunkHash + " is missing from the store");
                    }
                    return rs.getBytes(1);
                }
            } catch (SQLException e) {
                throw new IOException("could not read chunk " + chunkHash + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public boolean hasBlob(String blobHash) {
        return exists("select 1 from artifacts.blob where hash = ?", blobHash);
    }

    @Override
    public void putTree(Tree tree) {
        ArtifactStore.checkStorable(this, tree);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                boolean inserted;
                try (PreparedStatement insert = connection.prepareStatement("insert into artifacts.tree"
                        + " (hash, entry_count, total_bytes) values (?, ?, ?) on conflict do nothing")) {
                    insert.setString(1, tree.hash());
                    insert.setInt(2, tree.size());
                    insert.setLong(3, tree.totalBytes());
                    inserted = insert.executeUpdate() == 1;
                }
                if (inserted) {
                    try (PreparedStatement entries = connection.prepareStatement("insert into artifacts.tree_entry"
                            + " (tree_hash, path, mode, blob_hash, size) values (?, ?, ?, ?, ?)")) {
                        int pending = 0;
                        for (TreeEntry entry : tree.entries()) {
                            entries.setString(1, tree.hash());
                            entries.setString(2, entry.path().value());
                            entries.setString(3, entry.kind().mode());
                            entries.setString(4, entry.blob());
                            entries.setLong(5, entry.size());
                            entries.addBatch();
                            if (++pending == ENTRY_BATCH) {
                                entries.executeBatch();
                                pending = 0;
                            }
                        }
                        entries.executeBatch();
                    }
                }
                connection.commit();
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new ArtifactStoreException("could not store tree " + tree.hash() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Tree> tree(String treeHash) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement head = connection.prepareStatement("select 1 from artifacts.tree where hash = ?");
                PreparedStatement query = connection.prepareStatement(
                        "select path, mode, blob_hash, size from artifacts.tree_entry where tree_hash = ?")) {
            head.setString(1, treeHash);
            try (ResultSet rs = head.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
            }
            query.setString(1, treeHash);
            query.setFetchSize(1000);
            List<TreeEntry> entries = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    entries.add(new TreeEntry(TreePath.of(rs.getString(1)), TreeEntry.Kind.ofMode(rs.getString(2)),
                            rs.getString(3), rs.getLong(4)));
                }
            }
            Tree tree = Tree.of(entries);
            if (!tree.hash().equals(treeHash)) {
                throw new ArtifactStoreException("tree " + treeHash + " is corrupt in the store: its entries hash to "
                        + tree.hash(), null);
            }
            return Optional.of(tree);
        } catch (SQLException e) {
            throw new ArtifactStoreException("could not read tree " + treeHash + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void grant(String team, String treeHash) {
        if (team == null || team.isBlank()) {
            throw new IllegalArgumentException("team must not be blank");
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "insert into artifacts.tree_owner (team, tree_hash) values (?, ?) on conflict do nothing")) {
            insert.setString(1, team);
            insert.setString(2, treeHash);
            insert.executeUpdate();
        } catch (SQLException e) {
            if ("23503".equals(e.getSQLState())) {
                throw new NoSuchElementException("no tree " + treeHash);
            }
            throw new ArtifactStoreException("could not grant tree " + treeHash + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean owns(String team, String treeHash) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select 1 from artifacts.tree_owner where team = ? and tree_hash = ?")) {
            query.setString(1, team);
            query.setString(2, treeHash);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new ArtifactStoreException("could not read the owners of tree " + treeHash + ": " + e.getMessage(),
                    e);
        }
    }

    private boolean exists(String sql, String key) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, key);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new ArtifactStoreException("could not read " + key + ": " + e.getMessage(), e);
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // A connection lost mid-transaction is rolled back by the server anyway.
            cause.addSuppressed(e);
        }
    }
}
