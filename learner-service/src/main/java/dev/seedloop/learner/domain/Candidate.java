package dev.seedloop.learner.domain;

import java.util.UUID;

/**
 * Under manual promotion, an evaluation that would have made its proposal champion, kept with its
 * evidence until an approval crowns it (ChampionChanged names the evaluation) or a rejection drops it.
 */
public record Candidate(UUID proposalId, UUID evaluationId, Evidence evidence) {
}
