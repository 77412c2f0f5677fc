package dev.seedloop.learner.domain;

import java.util.UUID;

/** A past or present champion, in the order they were crowned. */
public record ChampionEntry(UUID proposalId, UUID evaluationId, double value, long sequence) {
}
