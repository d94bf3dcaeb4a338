-- Outbox mail, in-app notifications and report subscriptions (PostgreSQL dialect).
-- Keep in step with store-sqlite/migrations/0005_outbox.sql (schema-parity test).
CREATE TABLE outbox_mail (
    id BIGSERIAL PRIMARY KEY,
    dedupe_key TEXT NOT NULL UNIQUE,
    message_id TEXT NOT NULL,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    attachment_name TEXT,
    attachment_type TEXT,
    attachment BYTEA,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    lease_until TIMESTAMPTZ,
    claim_token TEXT,
    last_error TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    sent_at TIMESTAMPTZ
);
CREATE INDEX outbox_mail_due ON outbox_mail(status, next_attempt_at);

CREATE TABLE notifications (
    id BIGSERIAL PRIMARY KEY,
    dedupe_key TEXT NOT NULL UNIQUE,
    user_id BIGINT REFERENCES users(id),
    org_id TEXT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_org ON notifications(org_id, id);

CREATE TABLE notification_reads (
    notification_id BIGINT NOT NULL REFERENCES notifications(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    read_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (notification_id, user_id)
);

CREATE TABLE report_subscriptions (
    user_id BIGINT NOT NULL REFERENCES users(id),
    scope TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, scope)
);
