package dev.seedloop.learner.store.persistence;

/** An event's place in its study and its envelope exactly as stored, not decoded: for handing it back verbatim. */
public record StoredJson(long studySequence, String json) {
}
