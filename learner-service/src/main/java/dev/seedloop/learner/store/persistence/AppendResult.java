package dev.seedloop.learner.store.persistence;

/** What one append did: how many events were new and how many were already stored (no-ops). */
public record AppendResult(int appended, int duplicates) {
}
