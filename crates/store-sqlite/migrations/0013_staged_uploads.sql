-- Uploads waiting for their confirmation (workspace import preview, issue 6), SQLite dialect.
-- Keep in step with store-postgres/migrations/0013_staged_uploads.sql (schema-parity test).
-- In the database rather than one server's memory, so that the confirmation may reach any
-- app server; taken at most once, deleted when taken or expired.
CREATE TABLE staged_uploads (
    token TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    meta TEXT NOT NULL,
    bytes BLOB NOT NULL
);
CREATE INDEX staged_uploads_user ON staged_uploads(user_id, created_at);
CREATE INDEX staged_uploads_created ON staged_uploads(created_at);
