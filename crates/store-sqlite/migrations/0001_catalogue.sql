-- thutuc catalogue schema, SQLite dialect. Keep in step with store-postgres/migrations
-- (the schema-parity test compares table and column names).
CREATE TABLE orgs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    eid TEXT,
    admin_code TEXT,
    parent TEXT REFERENCES orgs(id) DEFERRABLE INITIALLY DEFERRED,
    valid_from TEXT,
    valid_to TEXT,
    sort_key TEXT NOT NULL
);
CREATE INDEX orgs_parent ON orgs(parent);
CREATE INDEX orgs_eid ON orgs(eid);

CREATE TABLE unit_successions (
    old_id TEXT NOT NULL REFERENCES orgs(id),
    new_id TEXT NOT NULL REFERENCES orgs(id),
    partial INTEGER NOT NULL,
    effective TEXT NOT NULL,
    PRIMARY KEY (old_id, new_id)
);

CREATE TABLE sectors (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    owner_org TEXT REFERENCES orgs(id)
);

CREATE TABLE procedures (
    code TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    owner_org TEXT NOT NULL REFERENCES orgs(id),
    abolished INTEGER NOT NULL DEFAULT 0,
    current_seq INTEGER,
    draft_seq INTEGER,
    name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    sector TEXT NOT NULL,
    sector_id TEXT NOT NULL,
    levels TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX procedures_owner ON procedures(owner_org, sort_key);
CREATE INDEX procedures_sector ON procedures(sector_id, sort_key);
CREATE INDEX procedures_sort ON procedures(sort_key, code);
CREATE INDEX procedures_updated ON procedures(updated_at);

CREATE TABLE procedure_versions (
    code TEXT NOT NULL REFERENCES procedures(code),
    seq INTEGER NOT NULL,
    status TEXT NOT NULL,
    valid_from TEXT,
    valid_to TEXT,
    decision_no TEXT,
    change_kind TEXT,
    changed_components TEXT NOT NULL,
    name TEXT NOT NULL,
    content TEXT NOT NULL,
    rev INTEGER NOT NULL,
    owner_org TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (code, seq)
);
CREATE UNIQUE INDEX procedure_versions_one_open_draft ON procedure_versions(code) WHERE status IN ('draft', 'in_review');

CREATE TABLE localisations (
    code TEXT NOT NULL REFERENCES procedures(code),
    org_id TEXT NOT NULL REFERENCES orgs(id),
    local_code TEXT,
    overrides TEXT NOT NULL,
    central_seq INTEGER NOT NULL,
    rev INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (code, org_id)
);

CREATE TABLE legal_documents (
    number TEXT PRIMARY KEY,
    doc_type TEXT NOT NULL,
    title TEXT NOT NULL,
    issuer TEXT NOT NULL,
    signed_on TEXT,
    effective_on TEXT,
    search_key TEXT NOT NULL
);

CREATE TABLE decisions (
    number TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    issuer_org TEXT NOT NULL REFERENCES orgs(id),
    issuer_kind TEXT NOT NULL,
    shortened INTEGER NOT NULL,
    applies_central TEXT,
    status TEXT NOT NULL,
    rev INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    applied_on TEXT,
    late INTEGER,
    timeliness TEXT
);
CREATE INDEX decisions_signed ON decisions(signed_on);
CREATE INDEX decisions_issuer ON decisions(issuer_org, signed_on);

CREATE TABLE decision_entries (
    number TEXT NOT NULL REFERENCES decisions(number),
    line INTEGER NOT NULL,
    code TEXT NOT NULL,
    kind TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    seq INTEGER,
    PRIMARY KEY (number, line)
);
CREATE INDEX decision_entries_code ON decision_entries(code);
CREATE INDEX decision_entries_effective ON decision_entries(effective_on);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
