-- Review comments on draft versions (SQLite dialect). Append-only.
-- Keep in step with store-postgres/migrations/0008_comments.sql (schema-parity test).
CREATE TABLE version_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL,
    seq INTEGER NOT NULL,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    FOREIGN KEY (code, seq) REFERENCES procedure_versions(code, seq)
);
CREATE INDEX version_comments_version ON version_comments(code, seq, id);
