package dev.seedloop.gateway.domain;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Which study id an imported study takes. Into an installation that does not hold it: its own, so a study moved
 * between installations keeps its id. Into another team of the installation that holds it: a copy's id derived
 * from the original and the team, so the two never collide, the same file imported twice into one team is
 * recognised, and the event ids stay the original ones (the store keeps them unique per study). Pure.
 */
public final class ImportPlacement {

    /** What the installation holds already, as far as the placement needs to know. */
    public enum Held {
        /** Nothing of this study. */
        NOTHING,
        /** The study itself, in the importer's own team. */
        OWN_STUDY,
        /** The study, in another team; no copy of it in the importer's team. */
        OTHER_TEAMS_STUDY,
        /** The importer's team holds a copy already. */
        COPY
    }

    private ImportPlacement() {
    }

    /** The id a copy of {@code originalId} takes in {@code team}. */
    public static String copyId(String originalId, String team) {
        return UUID.nameUUIDFromBytes(("seedloop import of " + originalId + " into team " + team)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** @throws StudyControl.Conflict when the team holds the study or a copy of it already */
    public static String studyId(String originalId, String team, Held held) {
        return switch (held) {
            case NOTHING -> originalId;
            case OTHER_TEAMS_STUDY -> copyId(originalId, team);
            case OWN_STUDY -> throw new StudyControl.Conflict("study " + originalId + " is already your team's");
            case COPY -> throw new StudyControl.Conflict("study " + originalId + " was already imported into team "
                    + team + " as " + copyId(originalId, team));
        };
    }
}
