package dev.seedloop.queries;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the loop knew at one point of a study: the state after the event with study sequence
 * {@code sequence} (recorded at {@code recordedAt}), as the learner's state JSON ({@code study},
 * {@code strategy}). {@code snapshotSequence} is where the fold started (0: from the first event).
 */
public record StateAtView(String studyId, long sequence, Instant recordedAt, long snapshotSequence, JsonNode state) {
}
