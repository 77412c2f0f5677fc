-- Snapshots of a study's folded state (study and strategy, learner-service's SnapshotCodec), written by the
-- learner every seedloop.learner.snapshots.every events of a study so that a replay folds from the latest
-- one at or before its target instead of from the first event. Derived data, like the read models: a row may
-- be missing, and a row of another format_version is ignored (the replay starts from an earlier one).
create table study_snapshot (
    study_id         text         not null,
    -- the state is the fold of the study's events 1 .. study_sequence
    study_sequence   bigint       not null,
    format_version   integer      not null,
    -- recorded_at of the event at study_sequence: when the store knew this state
    recorded_at      timestamptz  not null,
    state            bytea        not null,
    -- One per format: learners of two versions side by side (a rolling upgrade) each keep their own.
    primary key (study_id, study_sequence, format_version)
);

-- Snapshots hold UUIDs and doubles, which do not compress: skip PostgreSQL's attempt on every write.
alter table study_snapshot alter column state set storage external;

-- State as of a time: the study's last event recorded at or before it, found without scanning the study.
create index event_store_study_recorded on event_store (study_id, recorded_at, study_sequence);

-- recorded_at was the appending transaction's start (now()), which can precede the commit of the
-- transaction that held the append lock before it; the time of the insert itself, taken under that lock,
-- orders recorded_at like study_sequence, so "the last event recorded by then" is a prefix of the study.
alter table event_store alter column recorded_at set default clock_timestamp();
