-- Directing and urging (issue 8): working groups, meetings, directives, tasks and their history.
-- Keep in step with store-postgres/migrations/0006_tasks.sql (schema-parity test).
CREATE TABLE working_groups (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    parent TEXT REFERENCES working_groups(code),
    org_id TEXT NOT NULL REFERENCES orgs(id),
    valid_from TEXT NOT NULL
);

CREATE TABLE working_group_members (
    group_code TEXT NOT NULL REFERENCES working_groups(code),
    seq INTEGER NOT NULL,
    person TEXT NOT NULL,
    position TEXT NOT NULL,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    role TEXT NOT NULL,
    PRIMARY KEY (group_code, seq)
);

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    group_code TEXT NOT NULL REFERENCES working_groups(code),
    meeting_date TEXT NOT NULL,
    format TEXT NOT NULL,
    participants TEXT NOT NULL,
    agenda TEXT NOT NULL,
    minutes TEXT NOT NULL,
    conclusions TEXT NOT NULL,
    public INTEGER NOT NULL
);
CREATE INDEX meetings_date ON meetings(meeting_date);

CREATE TABLE directives (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    number TEXT NOT NULL UNIQUE,
    issued_on TEXT NOT NULL,
    issuer_org TEXT NOT NULL REFERENCES orgs(id),
    title TEXT NOT NULL,
    public INTEGER NOT NULL,
    meeting_id INTEGER REFERENCES meetings(id)
);

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rev INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    directive_id INTEGER REFERENCES directives(id),
    clause TEXT NOT NULL,
    assigner_org TEXT NOT NULL REFERENCES orgs(id),
    lead_org TEXT NOT NULL REFERENCES orgs(id),
    coordinating TEXT NOT NULL,
    assigned_on TEXT NOT NULL,
    deadline TEXT NOT NULL,
    instance_key TEXT UNIQUE,
    output_kind TEXT NOT NULL,
    priority TEXT NOT NULL,
    parent_id INTEGER REFERENCES tasks(id),
    progress INTEGER NOT NULL,
    state TEXT NOT NULL,
    submitted_on TEXT,
    evidence TEXT,
    completed_on TEXT,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX tasks_lead ON tasks(lead_org, assigned_on);
CREATE INDEX tasks_state_deadline ON tasks(state, deadline);
CREATE INDEX tasks_deadline ON tasks(deadline);
CREATE INDEX tasks_assigned ON tasks(assigned_on);
-- Covers the dashboard's read of tasks completed in a period (no table lookups).
CREATE INDEX tasks_completed ON tasks(completed_on, lead_org, assigned_on, deadline);
CREATE INDEX tasks_directive ON tasks(directive_id);
CREATE INDEX tasks_parent ON tasks(parent_id);

CREATE TABLE task_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    kind TEXT NOT NULL,
    event_on TEXT NOT NULL,
    percent INTEGER NOT NULL,
    note TEXT NOT NULL,
    attachments TEXT NOT NULL,
    by_user TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX task_events_task ON task_events(task_id, id);

CREATE TABLE task_deadline_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    old_deadline TEXT NOT NULL,
    new_deadline TEXT NOT NULL,
    by_user TEXT NOT NULL,
    reason TEXT NOT NULL,
    changed_on TEXT NOT NULL
);
CREATE INDEX task_deadline_changes_task ON task_deadline_changes(task_id, id);

CREATE TABLE task_extensions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    requested_deadline TEXT NOT NULL,
    reason TEXT NOT NULL,
    requested_on TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    decision TEXT NOT NULL,
    decided_by TEXT,
    note TEXT NOT NULL
);
CREATE INDEX task_extensions_task ON task_extensions(task_id, id);
