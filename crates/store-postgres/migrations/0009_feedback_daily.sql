-- Feedback statistics per day (issue 9): one row per received day, current agency and
-- dimension value, maintained in the same transaction as every change to an item that moves
-- a figure (intake, classify, transfer, answer, rate, reopen, merge). The statistics sum
-- these rows; only the figures that depend on the reference date (pending within term vs
-- overdue, answers given after it) are read from feedback_items, over the indexes below.
-- Keep in step with the other backend's 0009_feedback_daily.sql (schema-parity test).
CREATE TABLE feedback_daily (
    dim TEXT NOT NULL,            -- 'agency' (val = ''), 'sector' (val = sector_id or ''), 'procedure' (val = procedure_code or '')
    day DATE NOT NULL,              -- received_on
    org_id TEXT NOT NULL,         -- current_org
    val TEXT NOT NULL,
    received BIGINT NOT NULL,
    accepted BIGINT NOT NULL,
    rejected BIGINT NOT NULL,
    transferred BIGINT NOT NULL,
    answered_on_time BIGINT NOT NULL, -- answered_on <= due_on, whatever the reference date
    answered_late BIGINT NOT NULL,
    open_items BIGINT NOT NULL,
    satisfied BIGINT NOT NULL,
    dissatisfied BIGINT NOT NULL,
    reopened BIGINT NOT NULL,
    PRIMARY KEY (dim, day, org_id, val)
);

-- Backfill from the rows already stored (same definitions as thutuc_store_sql::feedback_logic::figures).
INSERT INTO feedback_daily (dim, day, org_id, val, received, accepted, rejected, transferred, answered_on_time, answered_late, open_items, satisfied, dissatisfied, reopened)
SELECT d.dim, i.received_on, i.current_org,
       CASE d.dim WHEN 'sector' THEN COALESCE(i.sector_id, '') WHEN 'procedure' THEN COALESCE(i.procedure_code, '') ELSE '' END,
       COUNT(*),
       SUM(CASE WHEN i.status NOT IN ('rejected', 'duplicate') THEN 1 ELSE 0 END),
       SUM(CASE WHEN i.status = 'rejected' THEN 1 ELSE 0 END),
       SUM(CASE WHEN i.was_transferred THEN 1 ELSE 0 END),
       SUM(CASE WHEN i.answered_on IS NOT NULL AND i.answered_on <= i.due_on THEN 1 ELSE 0 END),
       SUM(CASE WHEN i.answered_on IS NOT NULL AND i.answered_on > i.due_on THEN 1 ELSE 0 END),
       SUM(CASE WHEN i.is_open THEN 1 ELSE 0 END),
       SUM(CASE WHEN i.rating IN ('satisfied', 'neutral') THEN 1 ELSE 0 END),
       SUM(CASE WHEN i.rating = 'dissatisfied' THEN 1 ELSE 0 END),
       SUM(CASE WHEN i.reopen_count > 0 THEN 1 ELSE 0 END)
FROM feedback_items i
CROSS JOIN (SELECT 'agency' AS dim UNION ALL SELECT 'sector' UNION ALL SELECT 'procedure') d
GROUP BY d.dim, i.received_on, i.current_org,
       CASE d.dim WHEN 'sector' THEN COALESCE(i.sector_id, '') WHEN 'procedure' THEN COALESCE(i.procedure_code, '') ELSE '' END;

-- Time-dependent remainder of the statistics: open items of a period (overdue as of the
-- reference date) and answers given after the reference date, each read from an index alone.
CREATE INDEX feedback_items_open_received ON feedback_items(is_open, received_on, due_on, current_org, sector_id, procedure_code);
CREATE INDEX feedback_items_answered ON feedback_items(answered_on, received_on, due_on, is_open, current_org, sector_id, procedure_code);
