-- Statistics fact table (issue 7), PostgreSQL dialect. Keep in step with
-- store-sqlite/migrations/0012_stats_entries.sql (schema-parity test).
--
-- One row per applied decision entry with every attribute a report counts by, pre-joined from
-- decision_entries, decisions, stats_spans, procedures and stats_replacements. Maintained by
-- StatsStore::refresh_stats together with stats_spans (same trigger: procedures.updated_at),
-- and filled in signing-date order so that a month of entries is one contiguous range of the
-- table: a monthly report reads it with one index range and no joins.
CREATE TABLE stats_entries (
    number TEXT NOT NULL,
    line BIGINT NOT NULL,
    signed_on DATE NOT NULL,
    effective_on DATE NOT NULL,
    issuer_org TEXT NOT NULL,
    issuer_kind TEXT NOT NULL,
    applies_central TEXT,
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    owner_org TEXT,
    sector_id TEXT,
    sector TEXT,
    level TEXT,
    internal BOOLEAN,
    complete BOOLEAN,
    first_version BOOLEAN,
    old_code TEXT,
    PRIMARY KEY (number, line)
);
CREATE INDEX stats_entries_signed ON stats_entries(signed_on, number, line);
CREATE INDEX stats_entries_effective ON stats_entries(effective_on, number, line);
CREATE INDEX stats_entries_code ON stats_entries(code);

-- The procedures.updated_at each procedure was mirrored at: a refresh re-mirrors a procedure
-- touched near its watermark (the margin for late commits) only if it moved since.
CREATE TABLE stats_mirrored (
    code TEXT PRIMARY KEY,
    updated_at TIMESTAMPTZ NOT NULL
);

-- A month's starts and ends of versions (stock at a date, flows) are read from the index
-- alone: covering indexes keep them in date order (the table is in code order).
DROP INDEX stats_spans_from;
DROP INDEX stats_spans_to;
CREATE INDEX stats_spans_from ON stats_spans(valid_from, owner_org, sector_id, level, internal, first_version, code, decision_no, change_kind);
CREATE INDEX stats_spans_to ON stats_spans(valid_to, owner_org, sector_id, level, internal, last_version, status, code, seq);

-- Snapshot cells that fell to 0 are deleted after every adjustment: find them without a scan.
CREATE INDEX stats_stock_zero ON stats_stock(as_of) WHERE n = 0;

-- A full rebuild is claimed by one server at a time (a lease renewed by each of its short
-- transactions); the others wait for it instead of rebuilding alongside.
ALTER TABLE stats_state ADD COLUMN rebuild_by TEXT;
ALTER TABLE stats_state ADD COLUMN rebuild_until TIMESTAMPTZ;

-- The existing mirror has no entries yet: the next refresh rebuilds it from scratch.
UPDATE stats_state SET watermark = NULL, max_seen = NULL, snap_upto = NULL WHERE id = 1;
