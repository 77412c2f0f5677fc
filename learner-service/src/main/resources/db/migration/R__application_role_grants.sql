-- What the learner's application role may do (docs/adr/0016-database-roles.md). Flyway runs every migration as the
-- owner role, which owns the tables; the learner reads and writes as the application role, ${app_role} (the
-- datasource's user, placeholder app_role). That role may only insert into and read the event store: it cannot
-- update, delete or truncate a stored event, nor switch off the triggers that refuse those (only the table's owner
-- can alter it). The derived tables and the admission reservations are its to maintain.
--
-- Repeatable: applied again whenever this file or the role's name changes. Grants only add; when the application
-- role changes, revoke what the previous one held by hand. A new table gets its line here.
grant select, insert on table event_store to "${app_role}";
grant select, insert, update, delete on table study_summary, team_quota, study_snapshot, admission_reservation
    to "${app_role}";
