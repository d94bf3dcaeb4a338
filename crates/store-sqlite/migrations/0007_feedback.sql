-- Feedback and recommendations (phản ánh, kiến nghị — PAKN, Decree 20/2008/NĐ-CP), issue 9.
-- Keep in step with the other backend's 0007_feedback.sql (schema-parity test). (SQLite dialect)
CREATE TABLE feedback_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tracking_code TEXT NOT NULL UNIQUE,
    rev INTEGER NOT NULL,
    status TEXT NOT NULL,
    is_open INTEGER NOT NULL,
    channel TEXT NOT NULL,
    sender_name TEXT NOT NULL,
    sender_address TEXT NOT NULL,
    sender_phone TEXT NOT NULL,
    sender_email TEXT,
    sender_kind TEXT NOT NULL,
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    procedure_code TEXT,
    legal_document TEXT,
    sector_id TEXT,
    content_kind TEXT,
    feedback_type TEXT,
    classification TEXT,
    reject_reason TEXT,
    receiving_org TEXT NOT NULL REFERENCES orgs(id),
    current_org TEXT NOT NULL REFERENCES orgs(id),
    register_year INTEGER,
    register_seq INTEGER,
    assigned_to INTEGER REFERENCES users(id),
    entered_by INTEGER REFERENCES users(id),
    received_at TEXT NOT NULL,
    received_on TEXT NOT NULL,
    transferred_on TEXT,
    was_transferred INTEGER NOT NULL,
    transfer_due_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    paused_since TEXT,
    pauses TEXT NOT NULL,
    extension_days INTEGER NOT NULL,
    evaluation TEXT,
    outcome TEXT,
    answer_text TEXT,
    answer_public INTEGER NOT NULL,
    answer_drafted_by INTEGER REFERENCES users(id),
    answer_approved_by INTEGER REFERENCES users(id),
    answered_at TEXT,
    answered_on TEXT,
    is_public INTEGER NOT NULL,
    published_at TEXT,
    rating TEXT,
    rated_at TEXT,
    reopen_count INTEGER NOT NULL,
    duplicate_of INTEGER REFERENCES feedback_items(id),
    escalation TEXT,
    escalation_rank INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX feedback_items_org_open_due ON feedback_items(current_org, is_open, due_on);
CREATE INDEX feedback_items_open_due ON feedback_items(is_open, due_on);
CREATE INDEX feedback_items_org_status_due ON feedback_items(current_org, status, due_on);
CREATE INDEX feedback_items_procedure ON feedback_items(procedure_code, received_on);
CREATE INDEX feedback_items_org_received ON feedback_items(current_org, received_on);
CREATE INDEX feedback_items_published ON feedback_items(is_public, published_at);
CREATE INDEX feedback_items_escalation ON feedback_items(escalation_rank, current_org);
CREATE INDEX feedback_items_duplicate ON feedback_items(duplicate_of);
-- Covering index for statistics over a period: a year is read from the index alone.
CREATE INDEX feedback_items_stats ON feedback_items(received_on, current_org, status, is_open, was_transferred, answered_on, due_on, rating, reopen_count, sector_id, procedure_code);

-- Register counters (sổ tiếp nhận): one row per agency and year, incremented in the same
-- transaction as the registration, so numbers have no gaps and no duplicates.
CREATE TABLE feedback_register (
    org_id TEXT NOT NULL REFERENCES orgs(id),
    year INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (org_id, year)
);

-- History (lịch sử xử lý): every action, including transfers between agencies.
CREATE TABLE feedback_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id INTEGER NOT NULL REFERENCES feedback_items(id),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    from_org TEXT NOT NULL,
    to_org TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX feedback_events_item ON feedback_events(item_id, id);
CREATE INDEX feedback_events_routing ON feedback_events(action, to_org);

CREATE TABLE feedback_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id INTEGER NOT NULL REFERENCES feedback_items(id),
    author TEXT NOT NULL,
    at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX feedback_notes_item ON feedback_notes(item_id, id);

-- Attachments as bytes in the database (type sniffed from magic bytes, size-limited).
CREATE TABLE feedback_attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id INTEGER NOT NULL REFERENCES feedback_items(id),
    filename TEXT NOT NULL,
    kind TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BLOB NOT NULL
);
CREATE INDEX feedback_attachments_item ON feedback_attachments(item_id);

-- MinHash band keys for duplicate suggestions.
CREATE TABLE feedback_dup_keys (
    band_key INTEGER NOT NULL,
    item_id INTEGER NOT NULL REFERENCES feedback_items(id),
    PRIMARY KEY (band_key, item_id)
);
CREATE INDEX feedback_dup_keys_item ON feedback_dup_keys(item_id);
