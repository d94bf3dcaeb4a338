-- Files uploaded with task progress updates (issue 8). Keep in step with
-- store-sqlite/migrations/0011_task_files.sql (schema-parity test). Written in the same
-- transaction as the progress step that lists them (`tep:{id}:{name}` in its attachments);
-- never deleted.
CREATE TABLE task_files (
    id BIGSERIAL PRIMARY KEY,
    task_id BIGINT NOT NULL REFERENCES tasks(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    by_user TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);
CREATE INDEX task_files_task ON task_files(task_id);
