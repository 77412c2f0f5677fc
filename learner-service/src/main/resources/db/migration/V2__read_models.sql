-- Read models: derived from event_store by the learner in the same transaction as each append, so they
-- are never behind the store. Unlike event_store they are updated in place, and they can be rebuilt from
-- it at any time (the learner fills in missing rows at start-up).

-- One row per study once its StudyCreated is stored: what a study list shows.
create table study_summary (
    study_id         text              primary key,
    team             text              not null,
    name             text              not null,
    -- created, running, paused, completed or halted
    status           text              not null,
    created_at       timestamptz       not null,
    created_by       text,
    max_experiments  integer           not null,
    budget_used      integer           not null,
    champion_value   double precision,
    -- study_sequence of the latest event folded in
    last_sequence    bigint            not null,
    updated_at       timestamptz       not null
);

-- A team's studies, newest first.
create index study_summary_team_created on study_summary (team, created_at desc);

-- A team's quotas as last set (TeamQuotaSet); no row means never set.
create table team_quota (
    team                     text         primary key,
    max_concurrent_studies   integer      not null,
    max_experiments_per_day  integer      not null,
    set_by                   text         not null,
    set_at                   timestamptz  not null
);

-- A team's experiments started since a time (the daily quota), without scanning all its events.
create index event_store_team_type_time on event_store (team, event_type, occurred_at);
