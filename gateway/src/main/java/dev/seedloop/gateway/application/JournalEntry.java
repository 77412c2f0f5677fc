package dev.seedloop.gateway.application;

/** One stored event of a study: its study sequence and the envelope JSON as the learner stored it. */
public record JournalEntry(String studyId, long sequence, String envelopeJson) {
}
