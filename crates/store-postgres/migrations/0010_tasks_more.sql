-- Directing and urging (issue 8), second round. Keep in step with
-- store-sqlite/migrations/0010_tasks_more.sql (schema-parity test).

-- The coordinating organisations of each task, one row per (organisation, task), so that
-- "tasks an organisation leads, coordinates or assigned" reads three index ranges instead of
-- scanning every task for `coordinating LIKE '%,X,%'`. Written with the task (same
-- transaction); `tasks.coordinating` stays the task's own copy.
CREATE TABLE task_coordinators (
    org_id TEXT NOT NULL,
    task_id BIGINT NOT NULL REFERENCES tasks(id),
    PRIMARY KEY (org_id, task_id)
);
INSERT INTO task_coordinators (org_id, task_id)
SELECT DISTINCT o, t.id
FROM tasks t, unnest(string_to_array(trim(both ',' from t.coordinating), ',')) AS o
WHERE o <> '';

-- Tasks an organisation assigned.
CREATE INDEX tasks_assigner ON tasks(assigner_org, deadline);

-- The dashboard's two ranges (completed since the period start; not completed) read only this
-- index: with the state added, the `completed_on IS NULL AND state <> 'cancelled'` range no
-- longer looks up each of its ~18,000 rows in the table. Replaces 0006's tasks_completed.
DROP INDEX tasks_completed;
CREATE INDEX tasks_completed_state ON tasks(completed_on, lead_org, assigned_on, deadline, state);

-- Working-group membership is ended, never deleted: the first and last day of membership.
ALTER TABLE working_group_members ADD COLUMN since DATE;
ALTER TABLE working_group_members ADD COLUMN ended_on DATE;
