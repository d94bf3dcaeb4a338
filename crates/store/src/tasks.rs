//! Directing and urging (chỉ đạo, đôn đốc): working groups, meetings, directives and tasks with
//! their progress, extension and deadline history. Every lifecycle step goes through
//! [`TaskStore::update_task`] with the task's `rev` (optimistic concurrency) and is applied by
//! the domain state machine inside one transaction, together with its history row and the
//! notifications it causes. Permission checks happen before, in the web layer.

use async_trait::async_trait;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thutuc_domain::calendar::{Calendar, TaskStatus};
use thutuc_domain::tasks::{
    DeadlineChange, Directive, ExtensionRequest, Meeting, MemberChange, Occurrence, OrgTally, Task,
    TaskError, TaskFact, WorkingGroup,
};

use crate::{Page, StoreResult};

/// A stored task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRecord {
    /// Id.
    pub id: i64,
    /// Revision for optimistic concurrency.
    pub rev: i64,
    /// The task.
    #[serde(flatten)]
    pub task: Task,
    /// Who created it.
    pub created_by: String,
}

/// A stored meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingRecord {
    /// Id.
    pub id: i64,
    /// The meeting.
    #[serde(flatten)]
    pub meeting: Meeting,
}

/// A stored directive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectiveRecord {
    /// Id.
    pub id: i64,
    /// The directive.
    #[serde(flatten)]
    pub directive: Directive,
}

/// A stored extension request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionRecord {
    /// Id.
    pub id: i64,
    /// Task id.
    pub task_id: i64,
    /// The request and its decision.
    #[serde(flatten)]
    pub request: ExtensionRequest,
    /// Who asked.
    pub requested_by: String,
    /// Who decided.
    pub decided_by: Option<String>,
    /// The decision's note.
    pub note: String,
}

/// One entry of a task's history (progress reports, submissions, returns, cancellations…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskEvent {
    /// `progress`, `submitted`, `accepted`, `returned`, `cancelled`, `extension_requested`,
    /// `extension_approved`, `extension_refused`, `deadline_changed`.
    pub kind: String,
    /// Date of the step.
    pub on: NaiveDate,
    /// Progress percent after the step.
    pub percent: u8,
    /// Text (progress note, evidence, reason).
    pub note: String,
    /// Attachment names or links.
    pub attachments: Vec<String>,
    /// Who.
    pub by: String,
}

/// A file uploaded with a progress update.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TaskFile {
    /// File name as uploaded.
    pub name: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// A stored progress file (its bytes separately).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskFileMeta {
    /// Id.
    pub id: i64,
    /// The task.
    pub task_id: i64,
    /// File name as uploaded.
    pub name: String,
    /// Type sniffed from the contents.
    pub kind: thutuc_domain::feedback::attachment::AttachmentKind,
    /// Size in bytes.
    pub size: i64,
}

/// Largest progress file (same limit as feedback attachments).
pub const TASK_FILE_MAX_BYTES: usize = thutuc_domain::feedback::attachment::DEFAULT_MAX_BYTES;
/// Most files with one progress update.
pub const TASK_FILES_PER_STEP: usize = 5;

/// A lifecycle step requested by a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum TaskChange {
    /// Cập nhật tiến độ.
    Progress {
        /// 0–100.
        percent: u8,
        /// What was done.
        note: String,
        /// Attachment names or links.
        attachments: Vec<String>,
        /// Files uploaded with the update (workspace form): checked by type and size, stored
        /// in the same transaction as the step, and listed in the step's attachments as
        /// `tep:{id}:{name}`. Not part of the JSON API (which takes names or links).
        #[serde(skip)]
        files: Vec<TaskFile>,
    },
    /// Báo cáo hoàn thành with evidence.
    Submit {
        /// Evidence (e.g. the number of the document issued).
        evidence: String,
    },
    /// Công nhận hoàn thành.
    Accept,
    /// Trả lại with a reason.
    Return {
        /// Why.
        reason: String,
    },
    /// Hủy with a reason.
    Cancel {
        /// Why.
        reason: String,
    },
    /// Đề nghị gia hạn.
    RequestExtension {
        /// Requested deadline.
        deadline: NaiveDate,
        /// Why.
        reason: String,
    },
    /// Quyết định gia hạn.
    DecideExtension {
        /// The request's id.
        extension_id: i64,
        /// Approve (the deadline changes) or refuse.
        approve: bool,
        /// Note.
        note: String,
    },
    /// The assigner corrects the deadline directly.
    ChangeDeadline {
        /// New deadline.
        deadline: NaiveDate,
        /// Why.
        reason: String,
    },
}

/// Filter for task lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskFilter {
    /// Tasks this organisation leads or coordinates, or (with `subtree`) any below it.
    pub org: Option<String>,
    /// Include the organisation's subtree.
    pub subtree: bool,
    /// Status as of `as_of`.
    pub status: Option<TaskStatus>,
    /// Evaluation date for `status` (required with it; defaults to today in the web layer).
    pub as_of: Option<NaiveDate>,
    /// Deadline on or after.
    pub deadline_from: Option<NaiveDate>,
    /// Deadline on or before.
    pub deadline_to: Option<NaiveDate>,
    /// Source directive.
    pub directive_id: Option<i64>,
    /// Sub-tasks of this task.
    pub parent_id: Option<i64>,
    /// Page size (default 50, at most 500).
    pub limit: Option<i64>,
    /// Offset.
    pub offset: Option<i64>,
}

/// Late or overdue tasks of one organisation sharing a deadline and a completion date (`None`:
/// still open at the evaluation date), for the delay in working days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateGroup {
    /// Lead organisation.
    pub lead_org: String,
    /// Deadline.
    pub deadline: NaiveDate,
    /// Completion date, if completed by the evaluation date.
    pub done: Option<NaiveDate>,
    /// Tasks in the group.
    pub count: i64,
}

/// Tallies counted by the database (same population as `thutuc_domain::tasks::tally`), with the
/// late groups from which the working-day delays are added by [`TallyCounts::with_delays`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyCounts {
    /// Per organisation, `delay_days` still 0.
    pub tallies: Vec<OrgTally>,
    /// Late and overdue groups.
    pub late: Vec<LateGroup>,
}

impl TallyCounts {
    /// Adds the delays in working days (to the completion, or to `eval` for open tasks).
    pub fn with_delays(
        mut self,
        cal: &Calendar,
        eval: NaiveDate,
    ) -> Result<Vec<OrgTally>, TaskError> {
        let mut by_org: std::collections::HashMap<&str, i64> = std::collections::HashMap::new();
        for g in &self.late {
            let days = cal
                .working_days_between(g.deadline, g.done.unwrap_or(eval))?
                .max(0);
            *by_org.entry(g.lead_org.as_str()).or_default() += days * g.count;
        }
        for t in &mut self.tallies {
            t.delay_days = by_org.get(t.org.as_str()).copied().unwrap_or(0);
        }
        Ok(self.tallies)
    }
}

/// Directing and urging storage.
#[async_trait]
pub trait TaskStore: Send + Sync {
    /// Creates or replaces a working group and its members.
    async fn upsert_working_group(&self, g: &WorkingGroup) -> StoreResult<()>;
    /// All working groups.
    async fn working_groups(&self) -> StoreResult<Vec<WorkingGroup>>;
    /// Applies one membership change to a group in one transaction (the group row is locked,
    /// the domain checks the result; nothing is deleted) and returns the group as stored.
    /// `NotFound` for an unknown group, `Invalid` for a refused change.
    async fn change_group_member(
        &self,
        code: &str,
        change: &MemberChange,
    ) -> StoreResult<WorkingGroup>;
    /// Records a meeting.
    async fn create_meeting(&self, m: &Meeting) -> StoreResult<MeetingRecord>;
    /// Meetings, newest first (only public ones with `public_only`).
    async fn meetings(&self, public_only: bool) -> StoreResult<Vec<MeetingRecord>>;
    /// Records a directive (the number is unique: `Conflict` otherwise).
    async fn create_directive(&self, d: &Directive) -> StoreResult<DirectiveRecord>;
    /// One directive.
    async fn get_directive(&self, id: i64) -> StoreResult<DirectiveRecord>;
    /// Directives, newest first.
    async fn directives(&self, public_only: bool) -> StoreResult<Vec<DirectiveRecord>>;
    /// Creates tasks in one transaction (all or nothing), validating each and notifying the
    /// lead organisations.
    async fn create_tasks(&self, tasks: &[Task], by: &str) -> StoreResult<Vec<TaskRecord>>;
    /// Creates the instances of a recurring duty that do not exist yet (by instance key);
    /// returns how many were created. Running it twice creates nothing new.
    async fn materialise_recurring(
        &self,
        template: &Task,
        occurrences: &[Occurrence],
        by: &str,
    ) -> StoreResult<usize>;
    /// One task.
    async fn get_task(&self, id: i64) -> StoreResult<TaskRecord>;
    /// Applies a lifecycle step if `expected_rev` is current (`Conflict` otherwise); domain
    /// refusals arrive as `Rule`/`Invalid`.
    async fn update_task(
        &self,
        id: i64,
        expected_rev: i64,
        change: &TaskChange,
        by: &str,
        on: NaiveDate,
    ) -> StoreResult<TaskRecord>;
    /// A filtered, paginated list ordered by deadline then id.
    async fn list_tasks(&self, f: &TaskFilter) -> StoreResult<Page<TaskRecord>>;
    /// A task's history, oldest first.
    async fn task_events(&self, id: i64) -> StoreResult<Vec<TaskEvent>>;
    /// A progress file of a task, with its bytes.
    async fn task_file(&self, task_id: i64, file_id: i64) -> StoreResult<(TaskFileMeta, Vec<u8>)>;
    /// Every deadline change of a task, oldest first.
    async fn deadline_history(&self, id: i64) -> StoreResult<Vec<DeadlineChange>>;
    /// Extension requests of a task, oldest first.
    async fn extensions(&self, id: i64) -> StoreResult<Vec<ExtensionRecord>>;
    /// Facts for tallies of `[from, to]` on `as_of`: non-cancelled tasks assigned by the
    /// evaluation date and not completed before `from`, optionally within an org's subtree.
    async fn task_facts(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        as_of: NaiveDate,
        org: Option<&str>,
    ) -> StoreResult<Vec<TaskFact>>;
    /// The tallies of `[from, to]` on `as_of` counted in the database (one aggregate over two
    /// index ranges), optionally within an organisation's subtree.
    async fn task_tallies(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        as_of: NaiveDate,
        org: Option<&str>,
    ) -> StoreResult<TallyCounts>;
    /// Open tasks that can need a reminder on `today`: state open, assigned by `today`, and
    /// deadline on or before `horizon` (the caller passes `today` + the largest "before"
    /// step); overdue ones included.
    async fn reminder_candidates(
        &self,
        today: NaiveDate,
        horizon: NaiveDate,
    ) -> StoreResult<Vec<TaskRecord>>;
    /// Enqueues reminder mail and notifications in one transaction (dedupe keys make it
    /// idempotent); returns how many rows were new.
    async fn enqueue_reminders(
        &self,
        mails: &[crate::outbox::OutgoingMail],
        notes: &[crate::outbox::NewNotification],
    ) -> StoreResult<usize>;
}
