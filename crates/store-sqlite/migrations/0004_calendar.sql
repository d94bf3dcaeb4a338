-- Working-day calendar rows entered or imported by officers (notices of the Ministry of Home
-- Affairs / MOLISA). They override the embedded notices and the computed rules for their date.
-- Rows are never deleted: a withdrawn row keeps its history with active = 0.
CREATE TABLE calendar_days (
    day TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name_vi TEXT NOT NULL,
    source TEXT NOT NULL,
    active INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
