package dev.seedloop.artifacts;

import static dev.seedloop.artifacts.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.seedloop.artifacts.ArtifactRejectedException.Reason;
import dev.seedloop.events.FilePatch;

class PatchesTest {

    private final InMemoryArtifactStore store = new InMemoryArtifactStore();
    private final Patches patches = new Patches(store, ProtectedPaths.of(List.of("tests/", "conftest.py")));

    private Tree tree(Map<String, String> files) {
        List<TreeEntry> entries = new ArrayList<>();
        files.forEach((path, content) -> {
            BlobRef blob = store.putText(content);
            entries.add(new TreeEntry(TreePath.of(path), TreeEntry.Kind.FILE, blob.hash(), blob.size()));
        });
        Tree tree = Tree.of(entries);
        store.putTree(tree);
        return tree;
    }

    private String text(Tree tree, String path) {
        try (InputStream in = store.openBlob(tree.entry(TreePath.of(path)).orElseThrow().blob())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final Tree parent = tree(Map.of(
            "src/a.py", "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n",
            "src/b.py", "alpha\nbeta\n",
            "README.md", "# Title",
            "tests/test_a.py", "assert True\n"));

    @Test
    void wholeFileWritesAndDeletesMakeTheChildTree() {
        Tree child = patches.apply(parent, List.of(Change.write("src/new.py", "new\n"), Change.delete("./src/b.py"),
                Change.write("src/a.py", "replaced\n")));

        assertThat(child.entries()).extracting(e -> e.path().value())
                .containsExactly("README.md", "src/a.py", "src/new.py", "tests/test_a.py");
        assertThat(text(child, "src/a.py")).isEqualTo("replaced\n");
        assertThat(store.tree(child.hash())).contains(child);
    }

    @Test
    void theEventContractsFilePatchesAreChangesToo() {
        Tree child = patches.apply(parent, Change.of(List.of(new FilePatch("src/b.py", null),
                new FilePatch("src/c.py", "c\n"))));
        assertThat(child.entry(TreePath.of("src/b.py"))).isEmpty();
        assertThat(text(child, "src/c.py")).isEqualTo("c\n");
    }

    @Test
    void aUnifiedDiffChangesSeveralFilesAtOnce() {
        String diff = """
                diff --git a/src/a.py b/src/a.py
                --- a/src/a.py
                +++ b/src/a.py
                @@ -1,3 +1,3 @@
                 one
                -two
                +TWO
                 three
                @@ -8,3 +8,4 @@
                 eight
                 nine
                 ten
                +eleven
                --- /dev/null
                +++ b/src/c.py
                @@ -0,0 +1,2 @@
                +c1
                +c2
                --- a/src/b.py
                +++ /dev/null
                @@ -1,2 +0,0 @@
                -alpha
                -beta
                --- a/README.md
                +++ b/README.md
                @@ -1 +1 @@
                -# Title
                +# Better title
                \\ No newline at end of file
                """;
        Tree child = patches.apply(parent, List.of(Change.diff(diff)));

        assertThat(text(child, "src/a.py")).isEqualTo("one\nTWO\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\neleven\n");
        assertThat(text(child, "src/c.py")).isEqualTo("c1\nc2\n");
        assertThat(child.entry(TreePath.of("src/b.py"))).isEmpty();
        assertThat(text(child, "README.md")).isEqualTo("# Better title");
    }

    @Test
    void aHunkThatDoesNotApplyIsRefusedWithItsFileAndNumber() {
        String diff = """
                --- a/src/b.py
                +++ b/src/b.py
                @@ -1,2 +1,2 @@
                 alpha
                -beta
                +BETA
                --- a/src/a.py
                +++ b/src/a.py
                @@ -1,2 +1,2 @@
                 one
                -two
                +2
                @@ -5,2 +5,2 @@
                 five
                -not six
                +6
                """;
        ArtifactRejectedException e = refused(Reason.PATCH_DOES_NOT_APPLY,
                () -> patches.apply(parent, List.of(Change.diff(diff))));
        assertThat(e.path()).contains("src/a.py");
        assertThat(e.getMessage()).contains("hunk 2").contains("src/a.py").contains("@@ -5,2");
    }

    @Test
    void aDiffOfAMissingFileOrCreatingAnExistingOneIsRefused() {
        refused(Reason.PATCH_DOES_NOT_APPLY, () -> patches.apply(parent, List.of(Change.diff("""
                --- a/src/missing.py
                +++ b/src/missing.py
                @@ -1 +1 @@
                -x
                +y
                """))));
        refused(Reason.PATCH_DOES_NOT_APPLY, () -> patches.apply(parent, List.of(Change.diff("""
                --- /dev/null
                +++ b/src/b.py
                @@ -0,0 +1 @@
                +x
                """))));
    }

    @Test
    void protectedPathsAreRefusedInEverySpellingAndInEveryKindOfChange() {
        for (String path : List.of("./tests/x", "tests//test_a.py", "TESTS/test_a.py", "Conftest.py")) {
            ArtifactRejectedException e = refused(Reason.PROTECTED_PATH,
                    () -> patches.apply(parent, List.of(Change.write(path, "forged\n"))));
            assertThat(e.path()).contains(path);
        }
        refused(Reason.PROTECTED_PATH, () -> patches.apply(parent, List.of(Change.delete("tests/test_a.py"))));
        refused(Reason.PROTECTED_PATH, () -> patches.apply(parent, List.of(Change.diff("""
                --- a/src/b.py
                +++ b/src/b.py
                @@ -1,2 +1,2 @@
                 alpha
                -beta
                +BETA
                --- a/./tests/test_a.py
                +++ b/./tests/test_a.py
                @@ -1 +1 @@
                -assert True
                +assert 1
                """))));
    }

    @Test
    void pathsThatLeaveTheTreeAreRefused() {
        refused(Reason.PARENT_SEGMENT, () -> patches.apply(parent, List.of(Change.write("../x", "x"))));
        refused(Reason.ABSOLUTE_PATH, () -> patches.apply(parent, List.of(Change.write("/etc/passwd", "x"))));
    }

    @Test
    void malformedChangesAreRefused() {
        refused(Reason.INVALID_PATCH, () -> patches.apply(parent, List.of(Change.delete("src/missing.py"))));
        refused(Reason.INVALID_PATCH, () -> patches.apply(parent, List.of(Change.diff("not a diff at all\n"))));
        BlobRef binary = store.putBlob(new byte[] {0, 1, 2, (byte) 0xff});
        Tree withBinary = Tree.of(List.of(new TreeEntry(TreePath.of("data.bin"), TreeEntry.Kind.FILE, binary.hash(),
                binary.size())));
        store.putTree(withBinary);
        refused(Reason.INVALID_PATCH, () -> patches.apply(withBinary, List.of(Change.diff("""
                --- a/data.bin
                +++ b/data.bin
                @@ -1 +1 @@
                -x
                +y
                """))));
    }

    @Test
    void aFileThatMerelyDiffersInCaseFromAnExistingOneIsRefused() {
        refused(Reason.DUPLICATE_ENTRY, () -> patches.apply(parent, List.of(Change.write("SRC/A.py", "x\n"))));
    }

    @Test
    void theDiffBetweenTwoTreesAppliesBackToTheChild() {
        Tree child = tree(Map.of(
                "src/a.py", "one\ntwo\nTHREE\nfour\nfive\nsix\nseven\neight\nnine\nten\n",
                "src/c.py", "brand new\nfile\n",
                "README.md", "# Title\n",
                "tests/test_a.py", "assert True\n"));
        TreeDiff treeDiff = new TreeDiff(store);

        String diff = treeDiff.unified(parent, child);

        assertThat(diff).contains("diff --git a/src/a.py b/src/a.py", "-three", "+THREE", "--- /dev/null",
                "+++ b/src/c.py", "deleted file mode 100644", "+++ /dev/null");
        assertThat(TreeDiff.changes(parent, child)).extracting(FileChangeView::of).containsExactly(
                "MODIFIED README.md", "MODIFIED src/a.py", "DELETED src/b.py", "ADDED src/c.py");
        Tree applied = new Patches(store, ProtectedPaths.none()).apply(parent, List.of(Change.diff(diff)));
        assertThat(applied.hash()).isEqualTo(child.hash());
        assertThat(treeDiff.unified(child, child)).isEmpty();
        // And back: the final newline removed again.
        Tree back = new Patches(store, ProtectedPaths.none()).apply(child,
                List.of(Change.diff(treeDiff.unified(child, parent))));
        assertThat(back.hash()).isEqualTo(parent.hash());
    }

    @Test
    void binaryFilesAreReportedNotDiffed() {
        BlobRef one = store.putBlob(new byte[] {0, 1});
        BlobRef two = store.putBlob(new byte[] {0, 2});
        Tree a = Tree.of(List.of(new TreeEntry(TreePath.of("x.bin"), TreeEntry.Kind.FILE, one.hash(), 2)));
        Tree b = Tree.of(List.of(new TreeEntry(TreePath.of("x.bin"), TreeEntry.Kind.FILE, two.hash(), 2)));
        assertThat(new TreeDiff(store).unified(a, b)).contains("Binary files a/x.bin and b/x.bin differ");
    }

    /** A readable form of a change for assertions. */
    private static final class FileChangeView {
        static String of(TreeDiff.FileChange change) {
            return change.type() + " " + change.path();
        }
    }
}
