package dev.seedloop.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** What the contract holds for uploaded workspaces, their lineage and held-out data (StudyCreated v4 and after). */
class WorkspaceContractTest {

    private static final String TREE = "sha256:" + "ab".repeat(32);
    private final EventCodec codec = new EventCodec();

    @Test
    void aWorkspaceIsATreeOrALegacyLocationNeverBothNorNeither() {
        assertThat(WorkspaceRef.ofTree(TREE).isLegacyLocation()).isFalse();
        assertThat(new WorkspaceRef("/srv/w", TREE).isLegacyLocation()).isTrue();
        assertThatThrownBy(() -> new WorkspaceRef(TREE, "/srv/w", TREE)).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> new WorkspaceRef(null, null, null)).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> new WorkspaceRef(TREE, null, TREE)).hasMessageContaining("sha256 belongs");
    }

    @Test
    void treeHashesHaveOneSpelling() {
        for (String bad : List.of("sha256:" + "AB".repeat(32), "ab".repeat(32), "sha256:abc", "/etc",
                "sha256:" + "ab".repeat(32) + "\n")) {
            assertThatThrownBy(() -> WorkspaceRef.ofTree(bad)).as(bad).hasMessageContaining("64 lower-case hex");
        }
    }

    @Test
    void aPatchIsContentOrDiffOrADeletion() {
        assertThat(new FilePatch("a.py", null).deletes()).isTrue();
        assertThat(FilePatch.diff("a.py", "@@ -1 +1 @@\n-a\n+b\n").deletes()).isFalse();
        assertThatThrownBy(() -> new FilePatch("a.py", "x", "@@")).hasMessageContaining("not both");
        assertThatThrownBy(() -> new FilePatch("../a.py", "x")).hasMessageContaining("without '..'");
    }

    @Test
    void heldOutDataGoesWithAHeldOutCommand() {
        assertThat(new ValidationSpec(null, List.of("sh", "h.sh"), "m", 0.1, TREE).heldOutData()).isEqualTo(TREE);
        assertThatThrownBy(() -> new ValidationSpec(List.of("true"), null, null, 0.1, TREE))
                .hasMessageContaining("heldOutCommand");
    }

    @Test
    void eventsBeforeTreesReadWithoutThem() {
        EventEnvelope proposal = codec.decode(GoldenFixtures.read(EventTypes.PROPOSAL_CREATED, 1));
        assertThat(((ProposalCreated) proposal.payload()).parentTree()).isNull();
        assertThat(((ProposalCreated) proposal.payload()).patches()).allSatisfy(p -> assertThat(p.diff()).isNull());
        EventEnvelope study = codec.decode(GoldenFixtures.read(EventTypes.STUDY_CREATED, 3));
        WorkspaceRef workspace = ((StudyCreated) study.payload()).workspace();
        assertThat(workspace.isLegacyLocation()).isTrue();
        assertThat(workspace.tree()).isNull();
        assertThat(((StudyCreated) study.payload()).validation().heldOutData()).isNull();
        EventEnvelope started = codec.decode(GoldenFixtures.read(EventTypes.EXPERIMENT_STARTED, 1));
        assertThat(((ExperimentStarted) started.payload()).tree()).isNull();
        EventEnvelope completed = codec.decode(GoldenFixtures.read(EventTypes.EXPERIMENT_COMPLETED, 1));
        assertThat(((ExperimentCompleted) completed.payload()).tree()).isNull();
    }
}
