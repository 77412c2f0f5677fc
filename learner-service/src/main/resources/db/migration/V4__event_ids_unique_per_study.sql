-- An event is unique within its study, no longer across the store: a study imported into another team of the
-- installation that holds it is stored as a copy under its own study id, with the original's event ids
-- (docs/adr/0010-study-export-files-and-imports.md). Live studies never share an event id: ids are random or
-- derived from their study's own events.
alter table event_store drop constraint event_store_event_id_unique;
alter table event_store add constraint event_store_study_event_unique unique (study_id, event_id);
-- Lookups by id alone (deduplication of a batch, redelivered causes) keep an index of their own.
create index event_store_event_id on event_store (event_id);
