package dev.seedloop.artifacts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.seedloop.events.EventLimits;
import dev.seedloop.events.EventPayload;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.StudyCreated;

/**
 * The trees a study export carries: a section of JSON lines after the events' trailer ({@code StudyExport}), so the
 * file stays line-based and a reader of the events alone is unchanged. Every line is bounded
 * ({@link #MAX_LINE_CHARS}); a blob travels as base64 in chunks of {@link #DATA_BYTES}, so neither side ever holds a
 * whole file.
 *
 * <pre>
 * {"seedloopArtifacts":1,"trees":T}
 * {"blob":"sha256:…","size":N}                                  each blob once, before the first tree naming it
 * {"data":"…base64 of at most 48 KiB…"}                          ⌈N / 48 KiB⌉ lines (none for an empty blob)
 * {"tree":"sha256:…","entries":K}                                 after all of its blobs
 * {"path":"a/b.py","mode":"100644","blob":"sha256:…","size":N}   K lines, in tree order
 * {"artifactsEnd":true,"trees":T,"blobs":B}
 * </pre>
 *
 * {@link #read} checks everything by hash while it streams: a blob's bytes must hash to its name and have its size, a
 * tree's entries must hash to its name, and every blob a tree names must be in the section itself (a file cannot
 * reach content of the importing installation by naming its hash). A file without the closing line is incomplete.
 */
public final class ExportArtifacts {

    public static final int FORMAT = 1;
    /** Bytes of a blob per data line: 64 KiB of base64. */
    public static final int DATA_BYTES = 48 * 1024;
    /** The longest line of the section: a data line, or an entry with a path of {@link TreePath#MAX_PATH_BYTES}. */
    public static final int MAX_LINE_CHARS = 80 * 1024;
    /** The longest line of a whole export file: an event line (envelope, sequence and chain), or an artifact line. */
    public static final int MAX_FILE_LINE_BYTES = Math.max(2 * EventLimits.MAX_EVENT_BYTES + 4096, MAX_LINE_CHARS);

    private static final String HEADER_PREFIX = "{\"seedloopArtifacts\":";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExportArtifacts() {
    }

    /** Whether {@code line} opens an artifact section. */
    public static boolean isSectionHeader(String line) {
        return line != null && line.strip().startsWith(HEADER_PREFIX);
    }

    /**
     * The trees an event refers to, in the order the export carries them: the study's workspace and held-out data,
     * a proposal's parent, an experiment's parent and child.
     */
    public static Set<String> treesOf(EventPayload payload) {
        Set<String> trees = new LinkedHashSet<>();
        switch (payload) {
            case StudyCreated created -> {
                if (created.workspace() != null && created.workspace().tree() != null) {
                    trees.add(created.workspace().tree());
                }
                if (created.validation() != null && created.validation().heldOutData() != null) {
                    trees.add(created.validation().heldOutData());
                }
            }
            case ProposalCreated proposal -> addIfSet(trees, proposal.parentTree());
            case ExperimentStarted started -> {
                addIfSet(trees, started.parentTree());
                addIfSet(trees, started.tree());
            }
            case ExperimentCompleted completed -> addIfSet(trees, completed.tree());
            default -> {
            }
        }
        return trees;
    }

    private static void addIfSet(Set<String> trees, String tree) {
        if (tree != null) {
            trees.add(tree);
        }
    }

    /** A section refused: the 1-based line of the whole file, a stable code and why. Nothing of it is granted. */
    public static final class Refused extends RuntimeException {
        private final long line;
        private final String code;

        public Refused(long line, String code, String reason) {
            super("line " + line + ": " + reason);
            this.line = line;
            this.code = code;
        }

        public long line() {
            return line;
        }

        /**
         * {@code malformed}, {@code incomplete}, {@code hash-mismatch}, {@code size-mismatch}, {@code missing-blob},
         * {@code limit-exceeded}, {@code line-too-long}, or an {@link ArtifactRejectedException.Reason#code()}.
         */
        public String code() {
            return code;
        }

        public String reason() {
            return getMessage().substring(getMessage().indexOf(": ") + 2);
        }
    }

    /** Lines of a file, read one at a time. */
    public interface Lines {
        /** The next line without its line break; null at the end. */
        String next() throws IOException;

        /** The 1-based number of the line {@link #next} returned last. */
        long number();
    }

    /**
     * The lines of a UTF-8 stream, none longer than {@code maxLineBytes} (a longer one is {@link Refused} as
     * {@code line-too-long} before it is held), so a hostile file cannot make the reader buffer without bound.
     */
    public static Lines lines(InputStream in, int maxLineBytes) {
        return new Lines() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();
            private final byte[] buffer = new byte[64 * 1024];
            private int position;
            private int limit;
            private long number;
            private boolean ended;

            @Override
            public String next() throws IOException {
                if (ended) {
                    return null;
                }
                line.reset();
                while (true) {
                    if (position == limit) {
                        limit = in.read(buffer);
                        position = 0;
                        if (limit < 0) {
                            limit = 0;
                            ended = true;
                            if (line.size() == 0) {
                                return null;
                            }
                            number++;
                            return line.toString(StandardCharsets.UTF_8);
                        }
                    }
                    int start = position;
                    while (position < limit && buffer[position] != '\n') {
                        position++;
                    }
                    line.write(buffer, start, position - start);
                    if (line.size() > maxLineBytes) {
                        throw new Refused(number + 1, "line-too-long", "a line longer than " + maxLineBytes
                                + " bytes; no line of an export is that long");
                    }
                    if (position < limit) {
                        position++;
                        number++;
                        return line.toString(StandardCharsets.UTF_8);
                    }
                }
            }

            @Override
            public long number() {
                return number;
            }
        };
    }

    /** Writes the section of {@code trees} (each stored; blobs streamed one chunk at a time). */
    public static void write(ArtifactStore store, List<Tree> trees, Writer out) throws IOException {
        out.write(HEADER_PREFIX + FORMAT + ",\"trees\":" + trees.size() + "}\n");
        Set<String> written = new HashSet<>();
        Base64.Encoder base64 = Base64.getEncoder();
        for (Tree tree : trees) {
            for (TreeEntry entry : tree.entries()) {
                if (!written.add(entry.blob())) {
                    continue;
                }
                out.write("{\"blob\":\"" + entry.blob() + "\",\"size\":" + entry.size() + "}\n");
                long sent = 0;
                try (InputStream content = store.openBlob(entry.blob())) {
                    while (true) {
                        byte[] chunk = content.readNBytes(DATA_BYTES);
                        if (chunk.length == 0) {
                            break;
                        }
                        sent += chunk.length;
                        out.write("{\"data\":\"" + base64.encodeToString(chunk) + "\"}\n");
                    }
                }
                if (sent != entry.size()) {
                    throw new IOException("blob " + entry.blob() + " has " + sent + " bytes, its tree says "
                            + entry.size());
                }
            }
            out.write("{\"tree\":\"" + tree.hash() + "\",\"entries\":" + tree.entries().size() + "}\n");
            for (TreeEntry entry : tree.entries()) {
                ObjectNode node = JSON.createObjectNode();
                node.put("path", entry.path().value()).put("mode", entry.kind().mode()).put("blob", entry.blob())
                        .put("size", entry.size());
                out.write(JSON.writeValueAsString(node) + "\n");
            }
            out.flush();
        }
        out.write("{\"artifactsEnd\":true,\"trees\":" + trees.size() + ",\"blobs\":" + written.size() + "}\n");
        out.flush();
    }

    /** A checked section: its trees in file order, how many blobs and blob bytes it carried. */
    public record Contents(List<Tree> trees, int blobs, long bytes) {
    }

    /**
     * Reads and checks the section whose header line (number {@code lines.number()}) is {@code header}, to its
     * closing line and the end of the file. With a {@code store}, each blob is streamed into it as it is checked (a
     * blob whose bytes do not match its name is never stored: the store's own transaction rolls it back) and each
     * tree is stored after its entries are checked; without one, the section is only checked.
     *
     * @param maxBlobBytes the largest blob accepted; {@code maxEntries} the most entries of one tree
     * @throws Refused at the first problem
     * @throws IOException when the lines cannot be read
     */
    public static Contents read(String header, Lines lines, ArtifactStore store, long maxBlobBytes, int maxEntries)
            throws IOException {
        JsonNode opening = parse(header, lines.number());
        if (!opening.path("seedloopArtifacts").isInt() || !opening.path("trees").isInt()) {
            throw new Refused(lines.number(), "malformed", "not an artifact section header");
        }
        if (opening.get("seedloopArtifacts").asInt() != FORMAT) {
            throw new Refused(lines.number(), "malformed", "artifact section format "
                    + opening.get("seedloopArtifacts") + " is not supported (this version reads " + FORMAT + ")");
        }
        int announced = opening.get("trees").asInt();
        Set<String> blobs = new HashSet<>();
        List<Tree> trees = new ArrayList<>();
        long bytes = 0;
        String text = lines.next();
        while (true) {
            if (text == null) {
                throw new Refused(lines.number() + 1, "incomplete", "the file ends inside its artifact section"
                        + " (no closing line): it is incomplete; export the study again");
            }
            if (text.isBlank()) {
                text = lines.next();
                continue;
            }
            long at = lines.number();
            JsonNode record = parse(text, at);
            if (record.has("blob")) {
                String hash = record.path("blob").asText();
                long size = record.path("size").asLong(-1);
                if (!TreeEntry.isBlobHash(hash) || !record.path("size").canConvertToLong() || size < 0) {
                    throw new Refused(at, "malformed", "a blob line needs a sha256 name and a size");
                }
                if (size > maxBlobBytes) {
                    throw new Refused(at, "limit-exceeded", "blob " + hash + " has " + size + " bytes, more than the "
                            + maxBlobBytes + " this installation accepts for one file");
                }
                BlobLines content = new BlobLines(lines, hash, size, at);
                if (store == null) {
                    content.transferTo(java.io.OutputStream.nullOutputStream());
                } else {
                    try {
                        store.putBlob(content);
                    } catch (UncheckedIOException e) {
                        throw e.getCause();
                    }
                    content.requireEnd();
                }
                blobs.add(hash);
                bytes += size;
                text = content.pending();
            } else if (record.has("tree")) {
                String hash = record.path("tree").asText();
                int count = record.path("entries").asInt(-1);
                if (!TreeEntry.isBlobHash(hash) || count < 0) {
                    throw new Refused(at, "malformed", "a tree line needs a sha256 name and its entry count");
                }
                if (count > maxEntries) {
                    throw new Refused(at, "limit-exceeded", "tree " + hash + " has " + count + " entries, more than"
                            + " the " + maxEntries + " this installation accepts");
                }
                trees.add(tree(lines, hash, count, at, blobs, store));
                text = lines.next();
            } else if (record.path("artifactsEnd").asBoolean(false)) {
                if (record.path("trees").asInt(-1) != trees.size() || trees.size() != announced
                        || record.path("blobs").asInt(-1) != blobs.size()) {
                    throw new Refused(at, "incomplete", "the closing line counts " + record.path("trees") + " trees and "
                            + record.path("blobs") + " blobs, the header " + announced + " trees, the section holds "
                            + trees.size() + " and " + blobs.size());
                }
                for (String rest = lines.next(); rest != null; rest = lines.next()) {
                    if (!rest.isBlank()) {
                        throw new Refused(lines.number(), "malformed", "content after the artifact section");
                    }
                }
                return new Contents(List.copyOf(trees), blobs.size(), bytes);
            } else {
                throw new Refused(at, "malformed", "not a line of an artifact section");
            }
        }
    }

    private static Tree tree(Lines lines, String hash, int count, long at, Set<String> blobs, ArtifactStore store)
            throws IOException {
        List<TreeEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String text = lines.next();
            if (text == null) {
                throw new Refused(lines.number() + 1, "incomplete", "the file ends inside tree " + hash
                        + ": it is incomplete, cut off; export the study again");
            }
            JsonNode entry = parse(text, lines.number());
            try {
                TreeEntry parsed = new TreeEntry(TreePath.of(entry.path("path").asText()),
                        TreeEntry.Kind.ofMode(entry.path("mode").asText()), entry.path("blob").asText(),
                        entry.path("size").asLong(-1));
                if (!blobs.contains(parsed.blob())) {
                    throw new Refused(lines.number(), "missing-blob", "tree " + hash + " names blob " + parsed.blob()
                            + " that the file does not carry before it");
                }
                entries.add(parsed);
            } catch (ArtifactRejectedException e) {
                throw new Refused(lines.number(), e.reason().code(), e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new Refused(lines.number(), "malformed", "not an entry of tree " + hash + ": " + e.getMessage());
            }
        }
        Tree tree;
        try {
            tree = Tree.of(entries);
        } catch (ArtifactRejectedException e) {
            throw new Refused(at, e.reason().code(), e.getMessage());
        }
        if (!tree.hash().equals(hash)) {
            throw new Refused(at, "hash-mismatch", "the entries of tree " + hash + " hash to " + tree.hash()
                    + " (altered after export)");
        }
        if (store != null) {
            try {
                store.putTree(tree);
            } catch (ArtifactRejectedException e) {
                throw new Refused(at, e.reason().code(), e.getMessage());
            }
        }
        return tree;
    }

    private static JsonNode parse(String text, long line) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw new Refused(line, "malformed", "not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new Refused(line, "malformed", "not valid JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * The bytes of one blob, decoded from its data lines as they are read, checked against the blob's size and name
     * at its end: a mismatch is thrown from the last read, so a store never commits the blob.
     */
    private static final class BlobLines extends InputStream {
        private final Lines lines;
        private final String hash;
        private final long size;
        private final long at;
        private final MessageDigest digest = Digests.sha256();
        private final Base64.Decoder base64 = Base64.getDecoder();
        private byte[] chunk = new byte[0];
        private int offset;
        private long read;
        private boolean verified;
        /** The line after the blob's data, read to find its end. */
        private String pending;
        private boolean pendingRead;

        BlobLines(Lines lines, String hash, long size, long at) {
            this.lines = lines;
            this.hash = hash;
            this.size = size;
            this.at = at;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int from, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (offset == chunk.length) {
                if (read == size) {
                    verify();
                    return -1;
                }
                nextChunk();
            }
            int n = Math.min(length, chunk.length - offset);
            System.arraycopy(chunk, offset, buffer, from, n);
            digest.update(chunk, offset, n);
            offset += n;
            return n;
        }

        private void nextChunk() throws IOException {
            String text = lines.next();
            if (text == null) {
                throw new Refused(lines.number() + 1, "incomplete", "the file ends inside blob " + hash
                        + ": it is incomplete, cut off; export the study again");
            }
            JsonNode data = parse(text, lines.number());
            if (!data.path("data").isTextual()) {
                throw new Refused(lines.number(), "size-mismatch", "blob " + hash + " (line " + at + ") ends after "
                        + read + " of its " + size + " bytes");
            }
            try {
                chunk = base64.decode(data.get("data").asText());
            } catch (IllegalArgumentException e) {
                throw new Refused(lines.number(), "malformed", "data of blob " + hash + " is not base64");
            }
            offset = 0;
            read += chunk.length;
            if (read > size || chunk.length == 0) {
                throw new Refused(lines.number(), "size-mismatch", "blob " + hash + " (line " + at + ") has more"
                        + " than its " + size + " bytes, or an empty data line");
            }
        }

        private void verify() {
            if (verified) {
                return;
            }
            verified = true;
            String actual = Digests.format(digest);
            if (!actual.equals(hash)) {
                throw new Refused(at, "hash-mismatch", "the bytes of blob " + hash + " hash to " + actual
                        + " (altered after export); nothing of it was stored");
            }
        }

        /** Drains what the store did not read (a blob it had already) so the check runs regardless. */
        void requireEnd() throws IOException {
            transferTo(java.io.OutputStream.nullOutputStream());
        }

        /** The first line after the blob's data (null at the end of the file). */
        String pending() throws IOException {
            if (!pendingRead) {
                pendingRead = true;
                pending = lines.next();
            }
            return pending;
        }
    }
}
