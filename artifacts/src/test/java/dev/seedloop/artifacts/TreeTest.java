package dev.seedloop.artifacts;

import static dev.seedloop.artifacts.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.seedloop.artifacts.ArtifactRejectedException.Reason;

/**
 * The tree hash and its golden vectors. The expected hashes were computed outside Java, from the encoding as
 * artifacts/README.md documents it, with printf and sha256sum (the commands are in the README).
 */
class TreeTest {

    private static final String HELLO = "sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
    private static final String RUN = "sha256:299001868fb8c02fd431c336c6d058f5558c5dff5b5af5e6fe04b870a6a9cbba";
    private static final String LINK = "sha256:734cad14909bedfafb5b273b6b0eb01fbfa639587d217f78ce9639bba41f4415";

    private static TreeEntry entry(String path, TreeEntry.Kind kind, String blob) {
        return new TreeEntry(TreePath.of(path), kind, blob, 1);
    }

    @Test
    void blobHashesOfTheVectorsAreThoseOfTheirContent() {
        assertThat(Digests.of("hello\n".getBytes(StandardCharsets.UTF_8))).isEqualTo(HELLO);
        assertThat(Digests.of("#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8))).isEqualTo(RUN);
        assertThat(Digests.of("hello.txt".getBytes(StandardCharsets.UTF_8))).isEqualTo(LINK);
    }

    @Test
    void goldenVectorTheEmptyTree() {
        assertThat(Tree.empty().hash())
                .isEqualTo("sha256:7df6ca96773321602087cf680a166aacbc0c4e118ee4990c62177ed326ee1f66");
    }

    @Test
    void goldenVectorAFileAnExecutableAndALink() {
        Tree tree = Tree.of(List.of(entry("run.sh", TreeEntry.Kind.EXECUTABLE, RUN),
                entry("hello.txt", TreeEntry.Kind.FILE, HELLO), entry("link", TreeEntry.Kind.SYMLINK, LINK)));
        assertThat(tree.hash())
                .isEqualTo("sha256:1aa7544daec3966d3e73164c2fee63e66562ea9dd976768d81526827450ebdc1");
        assertThat(new String(tree.canonicalEncoding(), StandardCharsets.UTF_8)).isEqualTo("seedloop-tree-v1\0"
                + "100644 " + HELLO + " hello.txt\0" + "120000 " + LINK + " link\0" + "100755 " + RUN + " run.sh\0");
    }

    @Test
    void goldenVectorByteOrderAndNfcPaths() {
        Tree tree = Tree.of(List.of(entry("cafe\u0301/menu.txt", TreeEntry.Kind.FILE, HELLO),
                entry("Zebra", TreeEntry.Kind.FILE, HELLO)));
        assertThat(tree.entries()).extracting(e -> e.path().value()).containsExactly("Zebra", "caf\u00e9/menu.txt");
        assertThat(tree.hash())
                .isEqualTo("sha256:b1277a06059d72b88f3995b3ab41284308cd9fcdeb0a35befb14da262012c007");
    }

    @Test
    void theHashDependsOnPathModeAndContentButNotOnOrder() {
        List<TreeEntry> entries = new ArrayList<>(List.of(entry("a", TreeEntry.Kind.FILE, HELLO),
                entry("b/c", TreeEntry.Kind.FILE, RUN), entry("d", TreeEntry.Kind.FILE, LINK)));
        String hash = Tree.of(entries).hash();
        Collections.reverse(entries);
        assertThat(Tree.of(entries).hash()).isEqualTo(hash);

        assertThat(Tree.of(List.of(entry("a", TreeEntry.Kind.EXECUTABLE, HELLO))).hash())
                .isNotEqualTo(Tree.of(List.of(entry("a", TreeEntry.Kind.FILE, HELLO))).hash());
        assertThat(Tree.of(List.of(entry("b", TreeEntry.Kind.FILE, HELLO))).hash())
                .isNotEqualTo(Tree.of(List.of(entry("a", TreeEntry.Kind.FILE, HELLO))).hash());
        assertThat(Tree.of(List.of(entry("a", TreeEntry.Kind.FILE, RUN))).hash())
                .isNotEqualTo(Tree.of(List.of(entry("a", TreeEntry.Kind.FILE, HELLO))).hash());
        // A path ending where another begins cannot be confused with it: "a b" + "c" vs "a" + "b c".
        assertThat(Tree.of(List.of(entry("x y", TreeEntry.Kind.FILE, HELLO))).hash())
                .isNotEqualTo(Tree.of(List.of(entry("x", TreeEntry.Kind.FILE, HELLO))).hash());
    }

    @Test
    void refusesTheSamePathTwice() {
        refused(Reason.DUPLICATE_ENTRY, () -> Tree.of(List.of(entry("a", TreeEntry.Kind.FILE, HELLO),
                entry("./a", TreeEntry.Kind.FILE, RUN))));
    }

    @Test
    void refusesPathsThatAreOneFileOnACaseInsensitiveFileSystem() {
        ArtifactRejectedException e = refused(Reason.DUPLICATE_ENTRY, () -> Tree.of(List.of(
                entry("src/Main.java", TreeEntry.Kind.FILE, HELLO), entry("src/main.java", TreeEntry.Kind.FILE, RUN))));
        assertThat(e.getMessage()).contains("case-insensitive");
    }

    @Test
    void refusesAnEntryBelowAFileOrALink() {
        refused(Reason.PATH_CONFLICT, () -> Tree.of(List.of(entry("a", TreeEntry.Kind.FILE, HELLO),
                entry("a/b", TreeEntry.Kind.FILE, RUN))));
        refused(Reason.PATH_CONFLICT, () -> Tree.of(List.of(entry("lib", TreeEntry.Kind.SYMLINK, LINK),
                entry("LIB/x.py", TreeEntry.Kind.FILE, RUN))));
    }

    @Test
    void entriesNeedAWellFormedBlobHash() {
        assertThatThrownBy(() -> entry("a", TreeEntry.Kind.FILE, "sha256:ABC"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> entry("a", TreeEntry.Kind.FILE, HELLO.replace("sha256", "md5")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void symlinkTargetsMustStayInsideTheTree() {
        SymlinkTargets.check(TreePath.of("a/b/link"), "../c");
        SymlinkTargets.check(TreePath.of("a/b/link"), "../../c");
        SymlinkTargets.check(TreePath.of("link"), "./x/../y");
        for (String escaping : List.of("../x", "/etc/passwd", "a/../../x", "", "..", "C:/x", "a\\..\\..\\x")) {
            refused(Reason.SYMLINK_ESCAPES, () -> SymlinkTargets.check(TreePath.of("link"), escaping));
        }
        refused(Reason.SYMLINK_ESCAPES, () -> SymlinkTargets.check(TreePath.of("a/b/link"), "../../../c"));
        refused(Reason.SYMLINK_ESCAPES, () -> SymlinkTargets.check(TreePath.of("a/link"), "x/../../../y"));
    }
}
