-- Language-model answers recorded per team (ADR 0023, artifacts/README.md "Recorded answers"): a replay or a fork of
-- a study asks this table instead of the model. The key is a SHA-256 the caller derives from everything that fixes
-- the answer; the team is part of the primary key as well, so one team's lookup never sees another's record. The
-- prompt and the answer are blobs of the store. A record is never changed: the application role inserts and selects.
create table artifacts.recorded_answer (
    team        text not null check (team <> ''),
    key         text not null check (key ~ '^sha256:[0-9a-f]{64}$'),
    model       text not null,
    model_id    text not null,
    prompt_hash text not null references artifacts.blob (hash),
    answer_hash text not null references artifacts.blob (hash),
    tokens_in   bigint not null check (tokens_in >= 0),
    tokens_out  bigint not null check (tokens_out >= 0),
    recorded_at timestamptz not null default now(),
    primary key (team, key)
);
