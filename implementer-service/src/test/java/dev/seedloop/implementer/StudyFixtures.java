package dev.seedloop.implementer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.seedloop.artifacts.ArtifactStore;
import dev.seedloop.artifacts.BlobRef;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.artifacts.TreeEntry;
import dev.seedloop.artifacts.TreePath;
import dev.seedloop.events.Budget;
import dev.seedloop.events.ContentHash;
import dev.seedloop.events.Direction;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.EventPayload;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.ExperimentSpec;
import dev.seedloop.events.FilePatch;
import dev.seedloop.events.Objective;
import dev.seedloop.events.Parameter;
import dev.seedloop.events.ParameterKind;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.SearchSpace;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.Topics;
import dev.seedloop.events.ValidationSpec;
import dev.seedloop.events.WorkspaceRef;
import dev.seedloop.testsupport.KafkaTopics;

/** Studies and proposals as the gateway and the proposer would publish them, for the implementer's broker tests. */
final class StudyFixtures {

    static final Instant T = Instant.parse("2026-11-23T12:00:00Z");
    static final String TEAM = "team-a";

    private StudyFixtures() {
    }

    /**
     * The one legacy root of the test profile ({@code %test.seedloop.implementer.legacy-workspace-roots}): server-path
     * workspaces the tests make go below it, so that any other directory, even elsewhere in the temp directory, is
     * outside every root.
     */
    static Path legacyRoot() throws Exception {
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "seedloop-legacy-workspaces");
        Files.createDirectories(root);
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        return root;
    }

    /** A world-readable workspace holding {@code run.sh} (the sandbox user must be able to read it). */
    static Path workspace(String script) throws Exception {
        Path dir = Files.createTempDirectory(legacyRoot(), "seedloop-ws-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.writeString(dir.resolve("run.sh"), script);
        return dir;
    }

    static EventEnvelope study(String studyId, Path workspace, ExperimentSpec experiment, ValidationSpec validation)
            throws Exception {
        return study(studyId, new WorkspaceRef(workspace.toString(), ContentHash.ofDirectory(workspace)), experiment,
                validation, List.of("heldout.sh"));
    }

    static EventEnvelope study(String studyId, WorkspaceRef workspace, ExperimentSpec experiment,
            ValidationSpec validation, List<String> protectedPaths) {
        UUID id = UUID.fromString(studyId);
        StudyCreated created = new StudyCreated("flow", new Objective("loss", Direction.MINIMIZE, null),
                new SearchSpace(List.of(new Parameter("x", ParameterKind.FLOAT, 0.0, 5.0, false, List.of()))),
                new Budget(4, 600, 2), "random", 11L, ContentHash.sha256("spec"), workspace, experiment, validation,
                protectedPaths, Map.of());
        return new EventEnvelope(id, studyId, TEAM, T, null, id, "gateway", created);
    }

    /**
     * Stores {@code files} as a tree owned by {@link #TEAM}, as an upload through the gateway would: each value is a
     * file's content, or {@code link:target} for a symbolic link.
     */
    static Tree tree(ArtifactStore store, Map<String, String> files) {
        List<TreeEntry> entries = new ArrayList<>();
        files.forEach((path, content) -> {
            boolean link = content.startsWith("link:");
            BlobRef blob = store.putText(link ? content.substring("link:".length()) : content);
            entries.add(new TreeEntry(TreePath.of(path), link ? TreeEntry.Kind.SYMLINK : TreeEntry.Kind.FILE,
                    blob.hash(), blob.size()));
        });
        Tree tree = Tree.of(entries);
        store.putTree(tree);
        store.grant(TEAM, tree.hash());
        return tree;
    }

    /** The same files written to a world-readable directory, as a study from before uploaded workspaces named it. */
    static Path directory(Map<String, String> files) throws Exception {
        Path dir = Files.createTempDirectory(legacyRoot(), "seedloop-ws-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path target = dir.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            if (file.getValue().startsWith("link:")) {
                Files.createSymbolicLink(target, Path.of(file.getValue().substring("link:".length())));
            } else {
                Files.writeString(target, file.getValue());
            }
        }
        return dir;
    }

    static EventEnvelope proposal(EventEnvelope study, int ordinal, Map<String, Object> parameters,
            List<FilePatch> patches, String parentTree) {
        UUID proposalId = EventIds.derived(study.eventId(), "proposal:" + ordinal);
        return new EventEnvelope(EventIds.derived(proposalId, "event"), study.studyId(), study.team(), T,
                study.eventId(), study.correlationId(), "proposer-service",
                new ProposalCreated(proposalId, ordinal, "random", "random", new LinkedHashMap<>(parameters), List.of(),
                        patches, parentTree));
    }

    static EventEnvelope proposal(EventEnvelope study, int ordinal, Map<String, Object> parameters) {
        UUID proposalId = EventIds.derived(study.eventId(), "proposal:" + ordinal);
        return new EventEnvelope(EventIds.derived(proposalId, "event"), study.studyId(), study.team(), T,
                study.eventId(), study.correlationId(), "proposer-service",
                new ProposalCreated(proposalId, ordinal, "random", "random", new LinkedHashMap<>(parameters), List.of()));
    }

    static UUID proposalId(EventEnvelope proposal) {
        return ((ProposalCreated) proposal.payload()).proposalId();
    }

    /** The outcome (ExperimentCompleted or ExperimentFailed) published so far for the proposal, if any. */
    static Optional<EventPayload> outcomeOf(EventCodec codec, String studyId, UUID proposalId) {
        return KafkaTopics.readAll(Topics.EXPERIMENTS, r -> studyId.equals(r.key())).stream()
                .map(r -> codec.decode(r.value()).payload())
                .filter(p -> p instanceof ExperimentCompleted c && c.proposalId().equals(proposalId)
                        || p instanceof ExperimentFailed f && f.proposalId().equals(proposalId))
                .findFirst();
    }
}
