-- A redelivered batch asks the store for what the learner derived from its events (EventStore.storedAgain: rows of the
-- batch's studies whose causation_id is one of its event ids). Every batch carrying the learner's own decisions back
-- from Kafka is such a batch, so this runs on nearly every append. Without this index it read every row of the batch's
-- studies (or of the whole table), its cost growing with the store; with it, and the (study_id, event_id) index of
-- V4, both halves of the lookup are index probes (docs/benchmarks.md, "Appends").
create index event_store_study_causation on event_store (study_id, causation_id);
