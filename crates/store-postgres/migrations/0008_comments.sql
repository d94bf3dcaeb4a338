-- Review comments on draft versions (PostgreSQL dialect). Append-only.
-- Keep in step with store-sqlite/migrations/0008_comments.sql (schema-parity test).
CREATE TABLE version_comments (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL,
    seq BIGINT NOT NULL,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (code, seq) REFERENCES procedure_versions(code, seq)
);
CREATE INDEX version_comments_version ON version_comments(code, seq, id);
