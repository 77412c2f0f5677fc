package dev.seedloop.gateway.application;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import dev.seedloop.artifacts.ArchiveImport;
import dev.seedloop.artifacts.ArchiveLimits;
import dev.seedloop.artifacts.ArtifactRejectedException;
import dev.seedloop.artifacts.ArtifactStore;
import dev.seedloop.artifacts.ProtectedPaths;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.artifacts.TreeEntry;
import dev.seedloop.events.LlmOptions;
import dev.seedloop.events.WorkspaceRef;
import dev.seedloop.gateway.config.GatewayConfig;
import dev.seedloop.gateway.domain.LlmWorkspaceRules;
import dev.seedloop.gateway.domain.SpecViolations;
import dev.seedloop.gateway.domain.StudySpecDraft;
import dev.seedloop.gateway.domain.StudySpecValidator;

/**
 * A team's uploaded workspaces: archives streamed into the artifact store under the operator's limits, read back
 * only by a team that owns them (another team's tree is answered as missing), and the workspace references of a
 * study spec checked against what the team owns. Blocking (JDBC, archive I/O): call it from a worker thread.
 */
@ApplicationScoped
public class Workspaces {

    /** A stored upload and whether the team owned that tree before (then the upload changed nothing). */
    public record Upload(Tree tree, boolean ownedBefore) {
    }

    @Inject
    ArtifactStore store;

    @Inject
    GatewayConfig config;

    /** The archive limits of one upload, from {@code seedloop.gateway.workspaces.*}. */
    public ArchiveLimits limits() {
        GatewayConfig.Workspaces w = config.workspaces();
        return new ArchiveLimits(w.maxTotalBytes().asLongValue(), w.maxFiles(), w.maxFileBytes().asLongValue(),
                w.maxCompressionRatio());
    }

    /**
     * Streams {@code archive} into the store and makes {@code team} an owner of its tree.
     *
     * @throws dev.seedloop.artifacts.ArtifactRejectedException when the archive is refused; no tree is then stored
     *     or granted (blobs read before the refusal may stay, unreferenced)
     */
    public Upload upload(String team, InputStream archive, ArchiveImport.Format format) {
        Tree tree = new ArchiveImport(store, limits()).importArchive(archive, format);
        boolean ownedBefore = store.owns(team, tree.hash());
        if (!ownedBefore) {
            store.grant(team, tree.hash());
        }
        return new Upload(tree, ownedBefore);
    }

    /** The tree when {@code team} owns it; empty for a malformed hash, a missing tree and another team's alike. */
    public Optional<Tree> owned(String team, String treeHash) {
        if (!StudySpecValidator.isTreeHash(treeHash)) {
            return Optional.empty();
        }
        return store.treeOwnedBy(team, treeHash);
    }

    /** The bytes of an entry of a tree the caller owns (a link's: its target text). Close the stream. */
    public InputStream open(TreeEntry entry) {
        return store.openBlob(entry.blob());
    }

    /**
     * Writes {@code tree} as a {@code .tar.gz} in the layout {@code TreePacker} writes (tree order, PAX names, times
     * and owners 0, modes 0644 / 0755, links as links), so importing it again gives the same tree hash. Streams one
     * blob at a time; {@code out} is not closed.
     */
    public void writeArchive(Tree tree, OutputStream out) throws IOException {
        GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(new NonClosing(out));
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        for (TreeEntry file : tree.entries()) {
            if (file.kind() == TreeEntry.Kind.SYMLINK) {
                TarArchiveEntry entry = new TarArchiveEntry(file.path().value(), TarConstants.LF_SYMLINK);
                entry.setLinkName(new String(store.readBlob(file.blob(), (int) file.size()), StandardCharsets.UTF_8));
                entry.setMode(0120777);
                normalise(entry);
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
                continue;
            }
            TarArchiveEntry entry = new TarArchiveEntry(file.path().value());
            entry.setSize(file.size());
            entry.setMode(0100000 | (file.kind() == TreeEntry.Kind.EXECUTABLE ? 0755 : 0644));
            normalise(entry);
            tar.putArchiveEntry(entry);
            try (InputStream content = store.openBlob(file.blob())) {
                content.transferTo(tar);
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
        gzip.finish();
        out.flush();
    }

    private static void normalise(TarArchiveEntry entry) {
        entry.setModTime(FileTime.fromMillis(0));
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("");
        entry.setGroupName("");
    }

    /**
     * The study's workspace as its StudyCreated records it, after checking the spec's references against the store:
     * {@code workspace} and {@code validation.heldOutData} must be trees the team owns (a missing tree and another
     * team's are refused with the same words); a server path never. Adds what is wrong to {@code problems} and returns
     * null then.
     */
    public WorkspaceRef resolve(String team, StudySpecDraft draft, List<SpecViolations.Violation> problems) {
        if (draft.validation() != null && StudySpecValidator.isTreeHash(draft.validation().heldOutData())
                && !store.owns(team, draft.validation().heldOutData())) {
            problems.add(new SpecViolations.Violation("validation.heldOutData", notOwned(draft.validation()
                    .heldOutData())));
        }
        String raw = draft.workspace();
        if (raw == null) {
            return null;
        }
        if (StudySpecValidator.isTreeHash(raw)) {
            if (store.owns(team, raw)) {
                return WorkspaceRef.ofTree(raw);
            }
            problems.add(new SpecViolations.Violation("workspace", notOwned(raw)));
            return null;
        }
        if (raw.startsWith("/")) {
            // Named by a researcher, a server path would be read by the services themselves (issue #11: /etc).
            problems.add(new SpecViolations.Violation("workspace", "a server path is no longer accepted as a"
                    + " workspace: " + StudySpecValidator.UPLOAD_HINT));
        }
        return null; // otherwise the spec validator has said what is wrong with it
    }

    /**
     * An llm study's options against its workspace ({@link LlmWorkspaceRules}): template files and editable files
     * exist, and without editable files some unprotected file has an editable region. Searching for the marker reads
     * files of at most {@link #MARKER_SCAN_FILE_BYTES} in tree order, {@code llm.marker-scan-bytes} in all, and stops
     * at the first marker. Adds what is wrong to {@code problems}.
     */
    public void checkLlm(StudySpecDraft draft, WorkspaceRef workspace, List<SpecViolations.Violation> problems) {
        LlmOptions options = StudySpecValidator.llmOptions(draft);
        if (options == null || workspace == null || workspace.tree() == null) {
            return; // not llm, or the spec validator and resolve() have said what is wrong
        }
        Optional<Tree> tree = store.tree(workspace.tree());
        if (tree.isEmpty()) {
            return; // owned but not stored cannot happen; resolve() checked ownership of a stored tree
        }
        ProtectedPaths protectedPaths;
        try {
            protectedPaths = ProtectedPaths.of(draft.protectedPaths() == null ? List.of() : draft.protectedPaths());
        } catch (ArtifactRejectedException e) {
            return; // the spec validator refuses such a pattern with its path
        }
        LlmWorkspaceRules.MarkerSearch markers = options.editableFiles().isEmpty()
                ? searchMarker(LlmWorkspaceRules.markerCandidates(tree.get(), protectedPaths))
                : LlmWorkspaceRules.MarkerSearch.GAVE_UP;
        problems.addAll(LlmWorkspaceRules.check(options, tree.get(), protectedPaths, markers));
    }

    /** Files larger than this are data, not code a marker would be in: the search skips them (and so cannot be sure). */
    static final long MARKER_SCAN_FILE_BYTES = 1L << 20;

    private static final byte[] MARKER = LlmWorkspaceRules.MARKER.getBytes(StandardCharsets.US_ASCII);

    private LlmWorkspaceRules.MarkerSearch searchMarker(List<TreeEntry> files) {
        long budget = config.llm().markerScanBytes().asLongValue();
        boolean complete = true;
        for (TreeEntry file : files) {
            if (file.size() > MARKER_SCAN_FILE_BYTES || file.size() > budget) {
                complete = false;
                continue;
            }
            budget -= file.size();
            if (contains(store.readBlob(file.blob(), (int) file.size()), MARKER)) {
                return LlmWorkspaceRules.MarkerSearch.FOUND;
            }
        }
        return complete ? LlmWorkspaceRules.MarkerSearch.NONE : LlmWorkspaceRules.MarkerSearch.GAVE_UP;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String notOwned(String hash) {
        return "your team has no uploaded tree " + hash + "; " + StudySpecValidator.UPLOAD_HINT;
    }

    /** Finishing the gzip stream must not close the response: the framework does. */
    private static final class NonClosing extends java.io.FilterOutputStream {

        NonClosing(OutputStream out) {
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
