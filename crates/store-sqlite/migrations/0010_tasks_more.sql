-- Directing and urging (issue 8), second round. Keep in step with
-- store-postgres/migrations/0010_tasks_more.sql (schema-parity test).

-- The coordinating organisations of each task, one row per (organisation, task), so that
-- "tasks an organisation leads, coordinates or assigned" reads three index ranges instead of
-- scanning every task for `coordinating LIKE '%,X,%'`. Written with the task (same
-- transaction); `tasks.coordinating` stays the task's own copy.
CREATE TABLE task_coordinators (
    org_id TEXT NOT NULL,
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    PRIMARY KEY (org_id, task_id)
);
WITH RECURSIVE split(task_id, rest, org) AS (
    SELECT id, substr(coordinating, 2), '' FROM tasks WHERE coordinating <> ','
    UNION ALL
    SELECT task_id, substr(rest, instr(rest, ',') + 1), substr(rest, 1, instr(rest, ',') - 1)
    FROM split WHERE instr(rest, ',') > 0
)
INSERT INTO task_coordinators (org_id, task_id)
SELECT DISTINCT org, task_id FROM split WHERE org <> '';

-- Tasks an organisation assigned.
CREATE INDEX tasks_assigner ON tasks(assigner_org, deadline);

-- The dashboard's two ranges (completed since the period start; not completed) read only this
-- index: with the state added, the `completed_on IS NULL AND state <> 'cancelled'` range no
-- longer looks up each of its ~18,000 rows in the table. Replaces 0006's tasks_completed.
DROP INDEX tasks_completed;
CREATE INDEX tasks_completed_state ON tasks(completed_on, lead_org, assigned_on, deadline, state);

-- Working-group membership is ended, never deleted: the first and last day of membership.
ALTER TABLE working_group_members ADD COLUMN since TEXT;
ALTER TABLE working_group_members ADD COLUMN ended_on TEXT;
