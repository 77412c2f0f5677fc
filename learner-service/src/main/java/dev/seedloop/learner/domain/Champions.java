package dev.seedloop.learner.domain;

import java.util.List;
import java.util.UUID;

/**
 * A study's champions as {@link StudyGovernance} reads them: whether an evaluation crowned one. The frozen {@link
 * StudyResults} on the live path, its working builder on replay.
 */
interface Champions {

    List<ChampionEntry> championHistory();

    default boolean isChampion(UUID evaluationId) {
        for (ChampionEntry c : championHistory()) {
            if (c.evaluationId().equals(evaluationId)) {
                return true;
            }
        }
        return false;
    }
}
