package dev.seedloop.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seedloop.artifacts.ArtifactRejectedException.Reason;

/** What every {@link ArtifactStore} does; each implementation's test extends this. */
abstract class ArtifactStoreContract {

    abstract ArtifactStore store();

    /** Content no other test run has stored, so "was not there before" holds on a shared database. */
    static byte[] unique(String text) {
        return (text + " " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aBlobIsStoredOnceUnderTheHashOfItsBytesAndReadBack() throws Exception {
        byte[] content = unique("hello");
        assertThat(store().hasBlob(Digests.of(content))).isFalse();

        BlobRef first = store().putBlob(content);
        BlobRef again = store().putBlob(new ByteArrayInputStream(content));

        assertThat(first).isEqualTo(again).isEqualTo(new BlobRef(Digests.of(content), content.length));
        assertThat(store().hasBlob(first.hash())).isTrue();
        try (InputStream in = store().openBlob(first.hash())) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void theEmptyBlobIsABlob() throws Exception {
        BlobRef empty = store().putBlob(new byte[0]);
        assertThat(empty.hash()).isEqualTo("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        try (InputStream in = store().openBlob(empty.hash())) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    void anUnknownBlobCannotBeOpened() {
        String missing = Digests.of(unique("never stored"));
        assertThat(store().hasBlob(missing)).isFalse();
        assertThatThrownBy(() -> store().openBlob(missing)).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void aTreeIsStoredWhenAllItsBlobsAreAndReadBackWithItsHash() {
        BlobRef a = store().putBlob(unique("a"));
        BlobRef link = store().putText("../a.txt");
        Tree tree = Tree.of(List.of(
                new TreeEntry(TreePath.of("src/a.txt"), TreeEntry.Kind.FILE, a.hash(), a.size()),
                new TreeEntry(TreePath.of("bin/run"), TreeEntry.Kind.EXECUTABLE, a.hash(), a.size()),
                new TreeEntry(TreePath.of("src/sub/link"), TreeEntry.Kind.SYMLINK, link.hash(), link.size())));

        store().putTree(tree);
        store().putTree(tree);

        assertThat(store().tree(tree.hash())).contains(tree);
        assertThat(store().tree(tree.hash()).orElseThrow().entries()).isEqualTo(tree.entries());
    }

    @Test
    void theEmptyTreeCanBeStored() {
        store().putTree(Tree.empty());
        assertThat(store().tree(Tree.empty().hash())).contains(Tree.empty());
    }

    @Test
    void aTreeWithAMissingBlobIsRefused() {
        String missing = Digests.of(unique("missing"));
        Tree tree = Tree.of(List.of(new TreeEntry(TreePath.of("x"), TreeEntry.Kind.FILE, missing, 3)));

        assertThatThrownBy(() -> store().putTree(tree)).isInstanceOfSatisfying(ArtifactRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_BLOB));
        assertThat(store().tree(tree.hash())).isEmpty();
    }

    @Test
    void aTreeWhoseLinkLeavesItIsRefusedEvenWhenBuiltByHand() {
        BlobRef target = store().putText("../../etc/passwd");
        Tree tree = Tree.of(List.of(new TreeEntry(TreePath.of("a/link"), TreeEntry.Kind.SYMLINK, target.hash(),
                target.size())));

        assertThatThrownBy(() -> store().putTree(tree)).isInstanceOfSatisfying(ArtifactRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.SYMLINK_ESCAPES));
    }

    @Test
    void aTreeBelongsToTheTeamsItWasGrantedToAndOtherTeamsCannotTellItExists() {
        BlobRef a = store().putBlob(unique("owned"));
        Tree tree = Tree.of(List.of(new TreeEntry(TreePath.of("f"), TreeEntry.Kind.FILE, a.hash(), a.size())));
        store().putTree(tree);
        String teamA = "team-a-" + UUID.randomUUID();
        String teamB = "team-b-" + UUID.randomUUID();

        store().grant(teamA, tree.hash());
        store().grant(teamA, tree.hash());

        assertThat(store().owns(teamA, tree.hash())).isTrue();
        assertThat(store().treeOwnedBy(teamA, tree.hash())).contains(tree);
        assertThat(store().owns(teamB, tree.hash())).isFalse();
        assertThat(store().treeOwnedBy(teamB, tree.hash()))
                .as("another team's tree looks like a missing one")
                .isEqualTo(store().treeOwnedBy(teamB, Digests.of(unique("no such tree"))))
                .isEmpty();

        store().grant(teamB, tree.hash());
        assertThat(store().treeOwnedBy(teamB, tree.hash())).contains(tree);
    }

    @Test
    void aMissingTreeCannotBeGranted() {
        assertThatThrownBy(() -> store().grant("team-a", Digests.of(unique("no tree"))))
                .isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void anExceptionFromTheContentStoresNothing() {
        byte[] content = unique("refused half way");
        InputStream failing = new LimitedInputStream(new ByteArrayInputStream(content), n -> {
            throw new ArtifactRejectedException(Reason.LIMIT_EXCEEDED, "f", "too big");
        });

        assertThatThrownBy(() -> store().putBlob(failing)).isInstanceOf(ArtifactRejectedException.class);
        assertThat(store().hasBlob(Digests.of(content))).isFalse();
    }
}
