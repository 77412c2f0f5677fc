-- Places held for admitted studies (docs/adr/0015-the-learner-admits-studies.md). The learner admits a study
-- against its team's quotas under a per-team advisory lock and keeps a row here until the study's StudyCreated is
-- stored (the recording transaction deletes it: the study then counts as active) or until expires_at, when a
-- gateway admitted and never published. Not derived from the store: a rebuild leaves it alone.
create table admission_reservation (
    study_id               text         primary key,
    team                   text         not null,
    requested_experiments  integer      not null,
    reserved_at            timestamptz  not null,
    expires_at             timestamptz  not null
);

-- A team's live places, counted by every admission of the team.
create index admission_reservation_team on admission_reservation (team, expires_at);
