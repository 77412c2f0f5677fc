package dev.seedloop.implementer;

import static dev.seedloop.implementer.StudyFixtures.proposal;
import static dev.seedloop.implementer.StudyFixtures.study;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.seedloop.artifacts.ArtifactRejectedException;
import dev.seedloop.artifacts.ArtifactStore;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.artifacts.TreeEntry;
import dev.seedloop.artifacts.TreePath;
import dev.seedloop.events.ContentHash;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.ExperimentLimits;
import dev.seedloop.events.ExperimentSpec;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.FailureReason;
import dev.seedloop.events.FilePatch;
import dev.seedloop.events.Topics;
import dev.seedloop.events.WorkspaceRef;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every experiment of a study with an uploaded workspace runs on its proposal's parent tree plus its patches, stored
 * as the child tree and recorded in its events; patches are checked after normalisation; server paths run only
 * under the operator's legacy roots. Against the real broker, PostgreSQL store and sandbox.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(SandboxReachableDataDir.class)
class CodeLineageTest {

    private static final ExperimentSpec ONE_RUN = new ExperimentSpec(List.of("sh", "run.sh"), Map.of(), 60, 1,
            new ExperimentLimits(60, 512, 64, 65_536), null);

    @Inject
    EventCodec codec;

    @Inject
    ArtifactStore store;

    @Test
    void theChildTreeIsTheParentPlusThePatchesStoredForTheTeamAndRecordedInTheEvents() throws Exception {
        String runScript = "echo \"{\\\"loss\\\": $(cat value.txt)}\"\ncat notes.txt\n";
        Tree parent = StudyFixtures.tree(store, Map.of("run.sh", runScript, "value.txt", "1\n", "old.txt", "gone\n"));
        String study = UUID.randomUUID().toString();
        EventEnvelope created = study(study, WorkspaceRef.ofTree(parent.hash()), ONE_RUN, null, List.of());
        EventEnvelope patched = proposal(created, 0, Map.of("x", 1.0), List.of(
                FilePatch.diff("value.txt", "--- a/value.txt\n+++ b/value.txt\n@@ -1 +1 @@\n-1\n+2\n"),
                new FilePatch("notes.txt", "patched notes\n"),
                new FilePatch("old.txt", null)), parent.hash());
        // Named independently of the code under test: the tree of exactly these files, without params.json.
        Tree expected = Tree.of(List.of(file("run.sh", runScript), file("value.txt", "2\n"),
                file("notes.txt", "patched notes\n")));

        List<EventEnvelope> events = run(created, patched, 2);

        assertThat(events.get(0).payload()).isInstanceOfSatisfying(ExperimentStarted.class, started -> {
            assertThat(started.parentTree()).isEqualTo(parent.hash());
            assertThat(started.tree()).isEqualTo(expected.hash());
        });
        assertThat(events.get(1).payload()).isInstanceOfSatisfying(ExperimentCompleted.class, completed -> {
            assertThat(completed.tree()).isEqualTo(expected.hash());
            assertThat(completed.repeats().getFirst().metrics()).containsEntry("loss", 2.0);
            assertThat(completed.logTail()).contains("patched notes");
        });
        assertThat(store.tree(expected.hash())).contains(expected);
        assertThat(store.treeOwnedBy(StudyFixtures.TEAM, expected.hash())).contains(expected);
        assertThat(store.owns("team-b", expected.hash())).as("another team cannot read it").isFalse();
        try (var in = store.openBlob(expected.entry(TreePath.of("value.txt")).orElseThrow().blob())) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("2\n");
        }

        // A proposal naming no parent tree (parameters only) runs on the study's own tree.
        EventEnvelope plain = proposal(created, 1, Map.of("x", 2.0), List.of(), null);
        KafkaTopics.produce(Topics.PROPOSALS, study, codec.encode(plain));
        List<EventEnvelope> all = KafkaTopics.awaitRecords(Topics.EXPERIMENTS, r -> study.equals(r.key()), 4,
                Duration.ofSeconds(90)).stream().map(r -> codec.decode(r.value())).toList();
        assertThat(all).extracting(EventEnvelope::payload).filteredOn(ExperimentStarted.class::isInstance)
                .map(ExperimentStarted.class::cast)
                .filteredOn(s -> s.proposalId().equals(StudyFixtures.proposalId(plain)))
                .singleElement().satisfies(started -> {
                    assertThat(started.parentTree()).isEqualTo(parent.hash());
                    assertThat(started.tree()).isEqualTo(parent.hash());
                });
    }

    /**
     * Before: a legacy study's patch {@code ./tests/x} or {@code TESTS/x} passed the glob check for {@code tests/} and
     * was written. Now every patch path is normalised first, for trees and directories alike.
     */
    @ParameterizedTest
    @CsvSource({"./tests/x, true", "TESTS/x, true", "./Tests/./x, true", "./tests/x, false", "TESTS/x, false"})
    void aPatchReachingAProtectedPathIsRefusedBeforeAnythingRuns(String path, boolean uploaded) throws Exception {
        Map<String, String> files = Map.of("run.sh", "echo '{\"loss\": 1}'\n", "tests/x", "assert ok\n");
        String study = UUID.randomUUID().toString();
        WorkspaceRef workspace;
        if (uploaded) {
            workspace = WorkspaceRef.ofTree(StudyFixtures.tree(store, files).hash());
        } else {
            Path dir = StudyFixtures.directory(files);
            workspace = new WorkspaceRef(dir.toString(), ContentHash.ofDirectory(dir));
        }
        EventEnvelope created = study(study, workspace, ONE_RUN, null, List.of("tests/"));
        FilePatch patch = new FilePatch(path, "forged\n");

        List<EventEnvelope> events = run(created, proposal(created, 0, Map.of("x", 1.0), List.of(patch),
                workspace.tree()), 1);

        assertThat(events.getFirst().payload()).isInstanceOfSatisfying(ExperimentFailed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.PATCH_REFUSED);
            assertThat(failed.detail()).contains("protected-path").contains(path);
        });
    }

    @Test
    void aDiffThatDoesNotApplyIsRefusedWithItsReasonCode() {
        Tree parent = StudyFixtures.tree(store, Map.of("run.sh", "echo '{\"loss\": 1}'\n", "value.txt", "1\n"));
        String study = UUID.randomUUID().toString();
        EventEnvelope created = study(study, WorkspaceRef.ofTree(parent.hash()), ONE_RUN, null, List.of());

        List<EventEnvelope> events = run(created, proposal(created, 0, Map.of("x", 1.0), List.of(FilePatch.diff(
                "value.txt", "--- a/value.txt\n+++ b/value.txt\n@@ -1 +1 @@\n-7\n+2\n")), parent.hash()), 1);

        assertThat(events.getFirst().payload()).isInstanceOfSatisfying(ExperimentFailed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.PATCH_REFUSED);
            assertThat(failed.detail()).contains("patch-does-not-apply").contains("value.txt");
        });
    }

    @Test
    void aParentTreeOfAnotherTeamIsRefused() {
        Tree mine = StudyFixtures.tree(store, Map.of("run.sh", "echo '{\"loss\": 1}'\n"));
        Tree theirs = Tree.of(List.of(file("secret.txt", "other team's code\n")));
        store.putText("other team's code\n");
        store.putTree(theirs);
        store.grant("team-b", theirs.hash());
        String study = UUID.randomUUID().toString();
        EventEnvelope created = study(study, WorkspaceRef.ofTree(mine.hash()), ONE_RUN, null, List.of());

        List<EventEnvelope> events = run(created, proposal(created, 0, Map.of("x", 1.0), List.of(), theirs.hash()), 1);

        assertThat(events.getFirst().payload()).isInstanceOfSatisfying(ExperimentFailed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.PATCH_REFUSED);
            assertThat(failed.detail()).contains(theirs.hash()).contains("not a stored tree of team");
        });
    }

    /**
     * A {@code params.json} link in a parent tree: one leaving the tree cannot be stored at all; one inside it is
     * replaced by the real params.json, and the file it named is left as it was.
     */
    @Test
    void aParamsJsonLinkInTheParentTreeIsReplacedNeverWrittenThrough() throws Exception {
        Path victim = Files.createTempFile("seedloop-victim-", ".json");
        Files.writeString(victim, "untouched");
        store.putText("true\n");
        Tree escaping = Tree.of(List.of(file("run.sh", "true\n"),
                new TreeEntry(TreePath.of("params.json"), TreeEntry.Kind.SYMLINK,
                        store.putText(victim.toString()).hash(), victim.toString().length())));
        assertThatThrownBy(() -> store.putTree(escaping)).isInstanceOfSatisfying(ArtifactRejectedException.class,
                refused -> assertThat(refused.reason()).isEqualTo(ArtifactRejectedException.Reason.SYMLINK_ESCAPES));

        Map<String, String> files = new LinkedHashMap<>();
        files.put("run.sh", "echo \"data: $(cat data.json)\"; echo \"params: $(cat params.json)\"; echo '{\"loss\": 1}'\n");
        files.put("data.json", "{\"kept\": true}");
        files.put("params.json", "link:data.json");
        Tree parent = StudyFixtures.tree(store, files);
        String study = UUID.randomUUID().toString();
        EventEnvelope created = study(study, WorkspaceRef.ofTree(parent.hash()), ONE_RUN, null, List.of());

        List<EventEnvelope> events = run(created, proposal(created, 0, Map.of("x", 1.5), List.of(), null), 2);

        assertThat(events.get(1).payload()).isInstanceOfSatisfying(ExperimentCompleted.class, completed ->
                assertThat(completed.logTail()).contains("data: {\"kept\": true}").contains("params: {\"x\":1.5}"));
        assertThat(Files.readString(victim)).isEqualTo("untouched");
    }

    /** Before: any server path ran, {@code /etc} included, and a link under a trusted directory led anywhere. */
    @Test
    void aServerPathOutsideTheLegacyRootsIsRefused() throws Exception {
        Path outside = Files.createTempDirectory("not-a-legacy-root-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.writeString(outside.resolve("run.sh"), "echo '{\"loss\": 1}'\n");
        // A link inside the trusted root that leads out of it.
        Path link = Files.createTempDirectory(StudyFixtures.legacyRoot(), "seedloop-link-").resolve("ws");
        Files.createSymbolicLink(link, outside);
        for (String location : List.of("/etc", outside.toString(), link.toString())) {
            String study = UUID.randomUUID().toString();
            EventEnvelope created = study(study, new WorkspaceRef(location, ContentHash.sha256("any")), ONE_RUN, null,
                    List.of());

            List<EventEnvelope> events = run(created, proposal(created, 0, Map.of("x", 1.0), List.of(), null), 1);

            assertThat(events.getFirst().payload()).as(location).isInstanceOfSatisfying(ExperimentFailed.class,
                    failed -> {
                        assertThat(failed.reason()).isEqualTo(FailureReason.SANDBOX_REFUSED);
                        assertThat(failed.detail()).contains(location)
                                .contains("seedloop.implementer.legacy-workspace-roots");
                    });
        }
    }

    private static TreeEntry file(String path, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return new TreeEntry(TreePath.of(path), TreeEntry.Kind.FILE, ContentHash.sha256(bytes), bytes.length);
    }

    private List<EventEnvelope> run(EventEnvelope study, EventEnvelope proposal, int events) {
        KafkaTopics.produce(Topics.STUDIES, study.studyId(), codec.encode(study));
        KafkaTopics.produce(Topics.PROPOSALS, study.studyId(), codec.encode(proposal));
        return KafkaTopics.awaitRecords(Topics.EXPERIMENTS, r -> study.studyId().equals(r.key()), events,
                Duration.ofSeconds(90)).stream().map(r -> codec.decode(r.value())).toList();
    }
}
