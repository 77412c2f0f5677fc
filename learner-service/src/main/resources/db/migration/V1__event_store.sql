-- The event store: append-only, one row per event, written only by the learner.
-- global_position orders every event ever stored; study_sequence orders one study's stream (1, 2, ...).
-- Both are assigned by the appender under a transaction-scoped advisory lock, so they are gap-free and
-- a reader following global_position never sees a lower position commit after a higher one
-- (docs/adr/0004-event-store-schema-and-ordering.md).
create table event_store (
    global_position  bigint       primary key,
    event_id         uuid         not null,
    study_id         text         not null,
    study_sequence   bigint       not null,
    team             text         not null,
    event_type       text         not null,
    schema_version   integer      not null,
    occurred_at      timestamptz  not null,
    recorded_at      timestamptz  not null default now(),
    causation_id     uuid,
    correlation_id   uuid         not null,
    producer         text         not null,
    -- The envelope exactly as it was received (text, not jsonb, which would reorder keys): replay and
    -- export hand back the same bytes.
    envelope         text         not null,
    constraint event_store_event_id_unique unique (event_id),
    constraint event_store_study_sequence_unique unique (study_id, study_sequence),
    constraint event_store_positive_positions check (global_position > 0 and study_sequence > 0)
);

create index event_store_team_study on event_store (team, study_id);

-- Stored events are never rewritten or removed: the database itself refuses, whoever asks.
create function event_store_refuse_change() returns trigger
    language plpgsql as
$$
begin
    raise exception 'event_store is append-only: % refused', tg_op
        using errcode = 'restrict_violation';
end
$$;

create trigger event_store_no_update_or_delete
    before update or delete on event_store
    for each row execute function event_store_refuse_change();

create trigger event_store_no_truncate
    before truncate on event_store
    for each statement execute function event_store_refuse_change();
