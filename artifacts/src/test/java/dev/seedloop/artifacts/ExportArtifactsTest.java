package dev.seedloop.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The artifact section of an export: written from one store, checked and stored into another, by hash. */
class ExportArtifactsTest {

    private final InMemoryArtifactStore source = new InMemoryArtifactStore();

    /** A tree with a text file, an empty file, a link and a file of several data lines. */
    private Tree tree() {
        byte[] big = new byte[ExportArtifacts.DATA_BYTES * 2 + 17];
        new Random(7).nextBytes(big);
        List<TreeEntry> entries = List.of(
                entry("train.py", TreeEntry.Kind.EXECUTABLE, "print('hi')\n".getBytes(StandardCharsets.UTF_8)),
                entry("empty.txt", TreeEntry.Kind.FILE, new byte[0]),
                entry("data/weights.bin", TreeEntry.Kind.FILE, big),
                entry("latest", TreeEntry.Kind.SYMLINK, "train.py".getBytes(StandardCharsets.UTF_8)));
        Tree tree = Tree.of(entries);
        source.putTree(tree);
        return tree;
    }

    private TreeEntry entry(String path, TreeEntry.Kind kind, byte[] content) {
        BlobRef blob = source.putBlob(content);
        return new TreeEntry(TreePath.of(path), kind, blob.hash(), blob.size());
    }

    private String section(List<Tree> trees) throws IOException {
        StringWriter out = new StringWriter();
        ExportArtifacts.write(source, trees, out);
        return out.toString();
    }

    private static ExportArtifacts.Contents read(String section, ArtifactStore target) throws IOException {
        ExportArtifacts.Lines lines = ExportArtifacts.lines(new ByteArrayInputStream(
                section.getBytes(StandardCharsets.UTF_8)), ExportArtifacts.MAX_LINE_CHARS);
        return ExportArtifacts.read(lines.next(), lines, target, 1 << 20, 100);
    }

    @Test
    void aSectionRoundTripsIntoAnotherStoreWithEachBlobOnce() throws IOException {
        Tree tree = tree();
        Tree child = Tree.of(List.of(tree.entries().get(0), tree.entries().get(1)));
        source.putTree(child);
        String section = section(List.of(tree, child));
        InMemoryArtifactStore target = new InMemoryArtifactStore();

        ExportArtifacts.Contents contents = read(section, target);

        assertThat(contents.trees()).containsExactly(tree, child);
        assertThat(contents.blobs()).isEqualTo(4);
        assertThat(target.tree(tree.hash())).contains(tree);
        assertThat(target.readBlob(tree.entries().get(0).blob(), 1 << 20))
                .isEqualTo(source.readBlob(tree.entries().get(0).blob(), 1 << 20));
        assertThat(section.lines()).allSatisfy(line -> assertThat(line.length())
                .isLessThanOrEqualTo(ExportArtifacts.MAX_LINE_CHARS));
        assertThat(read(section, null).trees()).as("checked without a store too").containsExactly(tree, child);
    }

    @Test
    void aTamperedBlobIsRefusedAndNotStored() throws IOException {
        Tree tree = tree();
        String section = section(List.of(tree));
        List<String> lines = new ArrayList<>(section.lines().toList());
        int data = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\"blob\":\"" + tree.entries().stream()
                    .filter(e -> e.path().value().equals("train.py")).findFirst().orElseThrow().blob())
                    && lines.get(i).startsWith("{\"blob\"")) {
                data = i + 1;
            }
        }
        String forged = Base64.getEncoder().encodeToString("print('HI')\n".getBytes(StandardCharsets.UTF_8));
        lines.set(data, "{\"data\":\"" + forged + "\"}");
        InMemoryArtifactStore target = new InMemoryArtifactStore();

        ExportArtifacts.Refused refused = catchThrowableOfType(ExportArtifacts.Refused.class,
                () -> read(String.join("\n", lines) + "\n", target));

        assertThat(refused.code()).isEqualTo("hash-mismatch");
        assertThat(refused.line()).isEqualTo(data);
        assertThat(target.hasBlob(Digests.of("print('HI')\n".getBytes(StandardCharsets.UTF_8)))).isFalse();
        assertThat(target.tree(tree.hash())).isEmpty();
    }

    @Test
    void aTreeNamingABlobTheFileDoesNotCarryIsRefused() throws IOException {
        Tree tree = tree();
        String section = section(List.of(tree));
        // The blob lines of the first file dropped: its content would come from the importing store.
        List<String> lines = new ArrayList<>(section.lines().toList());
        lines.remove(1);
        while (lines.get(1).startsWith("{\"data\"")) {
            lines.remove(1);
        }
        InMemoryArtifactStore target = new InMemoryArtifactStore();
        target.putBlob(source.readBlob(tree.entries().get(0).blob(), 1 << 20));

        ExportArtifacts.Refused refused = catchThrowableOfType(ExportArtifacts.Refused.class,
                () -> read(String.join("\n", lines) + "\n", target));

        assertThat(refused.code()).isEqualTo("missing-blob");
        assertThat(target.tree(tree.hash())).isEmpty();
    }

    @Test
    void aSectionWithoutItsClosingLineIsIncompleteAndAnEditedEntryIsAHashMismatch() throws IOException {
        Tree tree = tree();
        List<String> lines = section(List.of(tree)).lines().toList();
        ExportArtifacts.Refused cut = catchThrowableOfType(ExportArtifacts.Refused.class,
                () -> read(String.join("\n", lines.subList(0, lines.size() - 1)), new InMemoryArtifactStore()));
        assertThat(cut.code()).isEqualTo("incomplete");

        List<String> edited = new ArrayList<>(lines);
        int last = edited.size() - 2;
        assertThat(edited.get(last)).contains("\"path\":\"train.py\"", "\"mode\":\"100755\"");
        edited.set(last, edited.get(last).replace("\"mode\":\"100755\"", "\"mode\":\"100644\""));
        ExportArtifacts.Refused altered = catchThrowableOfType(ExportArtifacts.Refused.class,
                () -> read(String.join("\n", edited), new InMemoryArtifactStore()));
        assertThat(altered.code()).isEqualTo("hash-mismatch");
    }

    @Test
    void anOverlongLineIsRefusedBeforeItIsHeld() {
        String line = "x".repeat(ExportArtifacts.MAX_LINE_CHARS + 1);
        ExportArtifacts.Lines lines = ExportArtifacts.lines(new ByteArrayInputStream(
                ("{}\n" + line + "\n").getBytes(StandardCharsets.UTF_8)), ExportArtifacts.MAX_LINE_CHARS);
        ExportArtifacts.Refused refused = catchThrowableOfType(ExportArtifacts.Refused.class, () -> {
            lines.next();
            lines.next();
        });
        assertThat(refused.code()).isEqualTo("line-too-long");
        assertThat(refused.line()).isEqualTo(2);
    }
}
