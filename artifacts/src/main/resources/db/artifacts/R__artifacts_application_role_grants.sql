-- What the application role (${app_role}, Flyway placeholder app_role) may do in the artifact store: read and add,
-- nothing else. Content-addressed rows are never updated or deleted by a service; only the owner role could (a
-- future garbage collector of unreferenced chunks runs as the owner). Repeatable: applied again when this file or
-- the role's name changes. Grants only add. A new table gets its line here.
grant usage on schema artifacts to "${app_role}";
grant select, insert on table artifacts.chunk, artifacts.blob, artifacts.blob_chunk, artifacts.tree,
    artifacts.tree_entry, artifacts.tree_owner, artifacts.recorded_answer to "${app_role}";
