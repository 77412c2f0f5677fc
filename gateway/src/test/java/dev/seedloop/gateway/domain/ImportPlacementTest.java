package dev.seedloop.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImportPlacementTest {

    private static final String ORIGINAL = "0193f7a2-4c1e-7b3d-9a5f-2e8c6d4b1a90";

    @Test
    void aStudyNewToThisInstallationKeepsItsIdAndAnotherTeamsGetsACopysId() {
        assertThat(ImportPlacement.studyId(ORIGINAL, "team-b", ImportPlacement.Held.NOTHING)).isEqualTo(ORIGINAL);
        String copy = ImportPlacement.studyId(ORIGINAL, "team-b", ImportPlacement.Held.OTHER_TEAMS_STUDY);
        assertThat(copy).isNotEqualTo(ORIGINAL).isEqualTo(ImportPlacement.copyId(ORIGINAL, "team-b"));
        assertThat(ImportPlacement.copyId(ORIGINAL, "team-c")).as("one copy id per team").isNotEqualTo(copy);
        assertThat(ImportPlacement.copyId("0193f7a2-4c1e-7b3d-9a5f-2e8c6d4b1a91", "team-b")).isNotEqualTo(copy);
    }

    @Test
    void aTeamNeverHoldsTheSameStudyTwice() {
        assertThatThrownBy(() -> ImportPlacement.studyId(ORIGINAL, "team-a", ImportPlacement.Held.OWN_STUDY))
                .isInstanceOf(StudyControl.Conflict.class).hasMessageContaining("already your team's");
        assertThatThrownBy(() -> ImportPlacement.studyId(ORIGINAL, "team-b", ImportPlacement.Held.COPY))
                .isInstanceOf(StudyControl.Conflict.class)
                .hasMessageContaining("already imported into team team-b as " + ImportPlacement.copyId(ORIGINAL, "team-b"));
    }
}
