-- Statistics mirror, monthly stock snapshots and frozen report editions (issue 7), SQLite
-- dialect. Keep in step with store-postgres/migrations/0003_reports.sql (schema-parity test).

-- One row per public version, with the attributes statistics group by (parsed once from the
-- version's content). Maintained by StatsStore::refresh_stats from procedures.updated_at.
CREATE TABLE stats_spans (
    code TEXT NOT NULL,
    seq INTEGER NOT NULL,
    owner_org TEXT NOT NULL,
    sector_id TEXT NOT NULL,
    sector TEXT NOT NULL,
    level TEXT NOT NULL,
    internal INTEGER NOT NULL,
    complete INTEGER NOT NULL,
    first_version INTEGER NOT NULL,
    last_version INTEGER NOT NULL,
    status TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    decision_no TEXT,
    change_kind TEXT,
    PRIMARY KEY (code, seq)
);
CREATE INDEX stats_spans_from ON stats_spans(valid_from);
CREATE INDEX stats_spans_to ON stats_spans(valid_to);
CREATE INDEX stats_spans_owner ON stats_spans(owner_org, valid_from);

-- Replacements with a new code, read from decision bodies (the old code's end has no entry).
CREATE TABLE stats_replacements (
    number TEXT NOT NULL,
    new_code TEXT NOT NULL,
    old_code TEXT NOT NULL,
    PRIMARY KEY (number, new_code)
);
CREATE INDEX stats_replacements_old ON stats_replacements(old_code);

-- Procedures in force at the end of as_of (the last day of a month), per group.
CREATE TABLE stats_stock (
    as_of TEXT NOT NULL,
    owner_org TEXT NOT NULL,
    sector_id TEXT NOT NULL,
    level TEXT NOT NULL,
    internal INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (as_of, owner_org, sector_id, level, internal)
);

-- Refresh bookkeeping, one row: when the last refresh started, the newest procedures.updated_at
-- it saw (an unchanged value lets a report skip the write transaction), and the last snapshot.
CREATE TABLE stats_state (
    id INTEGER PRIMARY KEY,
    watermark TEXT,
    max_seen TEXT,
    snap_upto TEXT
);
INSERT INTO stats_state (id, watermark, max_seen, snap_upto) VALUES (1, NULL, NULL, NULL);

CREATE INDEX decisions_effective ON decisions(effective_on);

CREATE TABLE report_editions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_kind TEXT NOT NULL,
    period TEXT NOT NULL,
    scope TEXT NOT NULL,
    basis TEXT NOT NULL,
    edition_no INTEGER NOT NULL,
    inputs_hash TEXT NOT NULL,
    body TEXT NOT NULL,
    changelog TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (report_kind, period, scope, basis, edition_no)
);
