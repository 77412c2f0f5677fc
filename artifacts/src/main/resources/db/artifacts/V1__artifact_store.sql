-- The content-addressed artifact store (docs/adr/0018-content-addressed-artifact-store.md, artifacts/README.md).
-- Every row is named by a hash of its content, so a row, once written, is never updated: the application role may
-- only insert and select (R__artifacts_application_role_grants.sql). Run by Flyway as the owner role, with its own
-- history table in this schema (flyway.schemas=artifacts), apart from a service's other migrations.

create schema if not exists artifacts;

-- Pieces of blobs, at most 1 MiB each, named by the SHA-256 of their bytes; shared by every blob that has them.
create table artifacts.chunk (
    hash    text primary key check (hash ~ '^sha256:[0-9a-f]{64}$'),
    content bytea not null check (octet_length(content) between 1 and 1048576)
);

-- A file's content. Present only once all its chunks are: the row is inserted last, in the transaction that
-- wrote the chunks, so a blob a crash interrupted is never seen.
create table artifacts.blob (
    hash        text primary key check (hash ~ '^sha256:[0-9a-f]{64}$'),
    size        bigint not null check (size >= 0),
    chunk_count integer not null check (chunk_count >= 0),
    stored_at   timestamptz not null default now()
);

create table artifacts.blob_chunk (
    blob_hash  text not null references artifacts.blob (hash),
    ordinal    integer not null check (ordinal >= 0),
    chunk_hash text not null references artifacts.chunk (hash),
    primary key (blob_hash, ordinal)
);

-- A tree: its hash is over (path, mode, blob) of its entries (artifacts/README.md, "Tree hash").
create table artifacts.tree (
    hash        text primary key check (hash ~ '^sha256:[0-9a-f]{64}$'),
    entry_count integer not null check (entry_count >= 0),
    total_bytes bigint not null check (total_bytes >= 0),
    stored_at   timestamptz not null default now()
);

create table artifacts.tree_entry (
    tree_hash text not null references artifacts.tree (hash),
    path      text not null check (path <> '' and octet_length(path) <= 1024),
    mode      text not null check (mode in ('100644', '100755', '120000')),
    blob_hash text not null references artifacts.blob (hash),
    size      bigint not null check (size >= 0),
    primary key (tree_hash, path)
);

create index tree_entry_blob on artifacts.tree_entry (blob_hash);

-- Which team may read which tree. Content is shared between teams; ownership is not.
create table artifacts.tree_owner (
    team       text not null check (team <> ''),
    tree_hash  text not null references artifacts.tree (hash),
    granted_at timestamptz not null default now(),
    primary key (team, tree_hash)
);
