package dev.seedloop.gateway.application;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;

import dev.seedloop.artifacts.ArtifactStore;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.artifacts.TreeDiff;
import dev.seedloop.artifacts.TreeEntry;
import dev.seedloop.artifacts.TreePath;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventTypes;
import dev.seedloop.gateway.config.GatewayConfig;
import dev.seedloop.gateway.domain.DiffTooLarge;
import dev.seedloop.gateway.domain.ProposalLineage;
import dev.seedloop.gateway.domain.StudyControl;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.Views;

/**
 * A proposal's code read back: the tree it was built on, the tree its experiment ran, their files and diffs. The
 * trees come from the study's own events (read from the learner as the team: another team's study is 404), and
 * every tree is read through the store's ownership ({@code treeOwnedBy}): a tree the team does not own is 404 too.
 * Blocking (learner round trips, JDBC): call it from a worker thread.
 */
@ApplicationScoped
public class ProposalCode {

    private static final List<String> CODE_EVENTS = List.of(EventTypes.PROPOSAL_CREATED,
            EventTypes.EXPERIMENT_STARTED, EventTypes.EXPERIMENT_COMPLETED);

    /** What {@code diff} compares the proposal's tree with. */
    public enum Against {
        PARENT,
        CHAMPION
    }

    /** A unified diff and the two trees it turns one into the other. */
    public record Diff(String from, String to, String text) {
    }

    @Inject
    LearnerQueries queries;

    @Inject
    ArtifactStore store;

    @Inject
    EventCodec codec;

    @Inject
    GatewayConfig config;

    /**
     * The proposal's parent and child trees.
     *
     * @throws NotFoundException for a study the team does not have, or a proposal the study does not have
     */
    public ProposalLineage.Code code(String team, String studyId, String proposalId) {
        queries.study(team, studyId).await().indefinitely();
        UUID id = proposal(studyId, proposalId);
        return lineage(team, studyId, Set.of(id)).code(id)
                .orElseThrow(() -> new NotFoundException("no proposal " + proposalId + " in study " + studyId));
    }

    /** The stored tree when the team owns it (a hash from its own events); 404 otherwise. */
    public Tree owned(String team, String treeHash, String what) {
        return store.treeOwnedBy(team, treeHash)
                .orElseThrow(() -> new NotFoundException(what + " " + treeHash + " is not stored for your team"));
    }

    /** The child tree's entry at {@code path}; 404 while the tree is not built and for a path it lacks. */
    public TreeEntry file(String team, String studyId, String proposalId, TreePath path) {
        ProposalLineage.Code code = code(team, studyId, proposalId);
        if (code.tree() == null) {
            throw new NotFoundException("the code of proposal " + proposalId + " is not built yet");
        }
        return owned(team, code.tree(), "the tree of proposal " + proposalId).entry(path)
                .orElseThrow(() -> new NotFoundException("no file " + path + " in the tree of proposal "
                        + proposalId));
    }

    /** The bytes of an entry of a tree the team owns. Close the stream. */
    public InputStream open(TreeEntry entry) {
        return store.openBlob(entry.blob());
    }

    /**
     * The unified diff from the proposal's parent (or the study's current champion) to the proposal's tree, bounded by
     * {@code workspaces.max-diff-bytes}.
     *
     * @throws NotFoundException         study or proposal unknown to the team, or a tree the team does not own
     * @throws StudyControl.Conflict     when a side does not exist yet: no child tree built, no parent tree (a study
     *                                   without an uploaded workspace), no champion or one without a tree
     * @throws DiffTooLarge              over the limit
     */
    public Diff diff(String team, String studyId, String proposalId, Against against) {
        Views.StudyView study = queries.study(team, studyId).await().indefinitely();
        UUID id = proposal(studyId, proposalId);
        Set<UUID> wanted = new LinkedHashSet<>(List.of(id));
        UUID champion = study.champion() == null ? null : study.champion().proposalId();
        if (against == Against.CHAMPION) {
            if (champion == null) {
                throw new StudyControl.Conflict("study " + studyId + " has no champion yet to compare with");
            }
            wanted.add(champion);
        }
        ProposalLineage lineage = lineage(team, studyId, wanted);
        ProposalLineage.Code code = lineage.code(id)
                .orElseThrow(() -> new NotFoundException("no proposal " + proposalId + " in study " + studyId));
        if (code.tree() == null) {
            throw new StudyControl.Conflict("the code of proposal " + proposalId + " is not built yet (or its study"
                    + " has no uploaded workspace)");
        }
        String from;
        if (against == Against.CHAMPION) {
            from = lineage.code(champion).map(ProposalLineage.Code::tree).orElse(null);
            if (from == null) {
                throw new StudyControl.Conflict("the champion " + champion + " has no tree to compare with (its"
                        + " study ran without an uploaded workspace)");
            }
        } else {
            from = code.parentTree();
            if (from == null) {
                throw new StudyControl.Conflict("proposal " + proposalId + " names no parent tree (its study has no"
                        + " uploaded workspace)");
            }
        }
        Tree before = owned(team, from, against == Against.CHAMPION ? "the champion's tree" : "the parent tree");
        Tree after = owned(team, code.tree(), "the tree of proposal " + proposalId);
        return new Diff(before.hash(), after.hash(), bounded(before, after));
    }

    /** File by file, so the text in memory never grows much past the limit before it is refused. */
    private String bounded(Tree before, Tree after) {
        long limit = config.workspaces().maxDiffBytes().asLongValue();
        TreeDiff diff = new TreeDiff(store);
        List<TreeDiff.FileChange> changes = TreeDiff.changes(before, after);
        // An added or deleted file appears whole in its diff: when those alone exceed the limit, refuse before
        // reading or diffing anything (megabytes of text cost seconds of CPU for an answer that is a refusal).
        long wholeFiles = changes.stream()
                .filter(change -> change.from().isEmpty() || change.to().isEmpty())
                .mapToLong(change -> change.from().or(change::to).map(TreeEntry::size).orElse(0L))
                .sum();
        if (wholeFiles > limit) {
            throw new DiffTooLarge(limit, 0, changes.size());
        }
        StringBuilder text = new StringBuilder();
        long bytes = 0;
        int done = 0;
        for (TreeDiff.FileChange change : changes) {
            String file = diff.unified(Tree.of(change.from().stream().toList()), Tree.of(change.to().stream().toList()));
            bytes += file.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > limit) {
                throw new DiffTooLarge(limit, done, changes.size());
            }
            text.append(file);
            done++;
        }
        return text.toString();
    }

    /** Pages through the study's proposal and experiment events until the wanted proposals' code is settled. */
    private ProposalLineage lineage(String team, String studyId, Set<UUID> wanted) {
        ProposalLineage lineage = new ProposalLineage(wanted);
        long after = 0;
        while (true) {
            Views.EventPage page = queries.events(team, studyId, after, Query.MAX_PAGE, CODE_EVENTS).await()
                    .indefinitely();
            for (Views.StoredEventView stored : page.items()) {
                lineage.accept(codec.decode(stored.event().toString()).payload());
                after = stored.sequence();
            }
            if (!page.more() || page.items().isEmpty() || lineage.settled()) {
                return lineage;
            }
        }
    }

    private static UUID proposal(String studyId, String proposalId) {
        try {
            return UUID.fromString(proposalId);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no proposal " + proposalId + " in study " + studyId);
        }
    }
}
