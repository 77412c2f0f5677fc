-- The two roles of docs/adr/0016-database-roles.md, for docker-compose.yml's PostgreSQL (run once, by the image's
-- entrypoint, as POSTGRES_USER in POSTGRES_DB). The learner migrates as seedloop_owner and runs as seedloop_app,
-- which may only insert into and read the event store. Passwords for a machine of your own only.
create role seedloop_owner login password 'seedloop_owner';
create role seedloop_app login password 'seedloop_app';
alter database seedloop owner to seedloop_owner;
revoke create on schema public from public;
grant usage, create on schema public to seedloop_owner;
grant usage on schema public to seedloop_app;
