//! The backend-neutral part of the feedback store: applying an action to an item in memory
//! (state machine, deadlines, answer approval rules). The SQL macro loads the row under lock,
//! calls [`apply`], then writes the row, the history entry and any side rows.

use chrono::{DateTime, Utc};
use thutuc_domain::feedback::deadline::Clock;
use thutuc_domain::feedback::state::next;
use thutuc_domain::feedback::{Classification, ClockOnTransfer, Event, FeedbackError, Status};
use thutuc_store::StoreError;
use thutuc_store::feedback::{FeedbackAction, FeedbackActor, FeedbackClock, FeedbackItem, vn_date};

/// What the SQL layer must do besides writing the item.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Effects {
    /// History detail.
    pub detail: String,
    /// Take the next register number for `current_org`, year of `now`.
    pub register: bool,
    /// The target agency must exist.
    pub check_org: Option<String>,
    /// The canonical item must exist and not be a duplicate itself.
    pub check_canonical: Option<i64>,
    /// Copy the approved answer to items marked duplicate of this one.
    pub answer_duplicates: bool,
}

/// Maps a domain error to the storage tier.
pub fn domain_err(e: FeedbackError) -> StoreError {
    match e {
        FeedbackError::Invalid(errs) => {
            let field = errs.first().map(|e| e.field).unwrap_or("input");
            StoreError::invalid(field, FeedbackError::Invalid(errs.clone()).to_string())
        }
        other => StoreError::Rule(other.to_string()),
    }
}

fn step(item: &mut FeedbackItem, event: &Event) -> Result<(), StoreError> {
    item.status = next(item.status, event).map_err(domain_err)?;
    Ok(())
}

/// True when the item counts as open (work pending with an agency).
pub fn is_open(item: &FeedbackItem) -> bool {
    item.status.is_open()
}

/// Recomputes the reply deadline from the stored clock facts as of `now`.
pub fn recompute_due(
    item: &mut FeedbackItem,
    clock: FeedbackClock<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut policy = clock.config.for_agency(&item.current_org).clone();
    if item.reopen_count > 0 {
        policy.on_transfer = ClockOnTransfer::Restart;
    }
    let facts = Clock {
        received: Some(item.received_on),
        last_transfer: item.transferred_on,
        pauses: item
            .pauses
            .iter()
            .map(|(s, e)| (*s, Some(*e)))
            .chain(item.paused_since.map(|s| (s, None)))
            .collect(),
        extension_days: item.extension_days,
    };
    item.due_on = policy
        .reply_due(clock.cal, &facts, vn_date(now))
        .map_err(domain_err)?;
    Ok(())
}

fn required_text(field: &'static str, v: &str) -> Result<String, StoreError> {
    let v = v.trim();
    if v.is_empty() {
        Err(StoreError::invalid(
            field,
            format!("{field}: không được để trống / is required"),
        ))
    } else {
        Ok(v.to_string())
    }
}

/// Applies `action` to `item` in memory.
pub fn apply(
    item: &mut FeedbackItem,
    actor: &FeedbackActor,
    action: &FeedbackAction,
    now: DateTime<Utc>,
    clock: FeedbackClock<'_>,
) -> Result<Effects, StoreError> {
    let today = vn_date(now);
    let mut fx = Effects::default();
    match action {
        FeedbackAction::Register => {
            step(item, &Event::Register)?;
            fx.register = true;
        }
        FeedbackAction::Classify {
            classification,
            content_kind,
            sector_id,
            reason,
        } => {
            step(item, &Event::Classify(*classification))?;
            item.classification = Some(*classification);
            item.content_kind = Some(*content_kind);
            item.feedback_type = Some(content_kind.feedback_type());
            if let Some(s) = sector_id.as_ref().filter(|s| !s.trim().is_empty()) {
                item.sector_id = Some(s.trim().to_string());
            }
            fx.detail = classification.as_str().to_string();
            match classification {
                Classification::NotAccepted => {
                    let reason = required_text("reason", reason.as_deref().unwrap_or(""))?;
                    step(
                        item,
                        &Event::Reject {
                            reason: reason.clone(),
                        },
                    )?;
                    item.reject_reason = Some(reason.clone());
                    fx.detail = format!("{}: {reason}", classification.as_str());
                }
                Classification::WithinCompetence => step(item, &Event::StartReview)?,
                Classification::Conduct | Classification::OutsideCompetence => {}
            }
        }
        FeedbackAction::Transfer { to_org, note } => {
            let to = required_text("to_org", to_org)?;
            if to == item.current_org {
                return Err(StoreError::invalid(
                    "to_org",
                    "không thể chuyển cho chính cơ quan đang xử lý / cannot transfer to the agency already handling it",
                ));
            }
            step(item, &Event::Transfer { to: to.clone() })?;
            let late = today > item.transfer_due_on;
            item.current_org = to.clone();
            item.transferred_on = Some(today);
            item.was_transferred = true;
            item.register_year = None;
            item.register_seq = None;
            item.assigned_to = None;
            item.paused_since = None;
            item.pauses.clear();
            item.escalation = None;
            let policy = clock.config.for_agency(&to);
            item.transfer_due_on = policy.transfer_due(clock.cal, today).map_err(domain_err)?;
            recompute_due(item, clock, now)?;
            fx.detail = if late {
                format!("chuyển quá hạn 05 ngày làm việc / transferred late; {note}")
            } else {
                note.trim().to_string()
            };
            fx.check_org = Some(to);
        }
        FeedbackAction::Assign { user_id } => {
            if !item.status.is_open() {
                return Err(StoreError::Rule(format!(
                    "không thể giao việc khi đã ở trạng thái {} / cannot assign a finished item",
                    item.status.label_vi()
                )));
            }
            item.assigned_to = Some(*user_id);
            fx.detail = user_id.to_string();
        }
        FeedbackAction::RequestInfo => {
            step(item, &Event::RequestInfo)?;
            item.paused_since = Some(today);
        }
        FeedbackAction::InfoReceived => {
            step(item, &Event::InfoReceived)?;
            if let Some(s) = item.paused_since.take() {
                item.pauses.push((s, today.max(s)));
            }
            recompute_due(item, clock, now)?;
        }
        FeedbackAction::Extend { days } => {
            let max = clock
                .config
                .for_agency(&item.current_org)
                .max_extension_days;
            if !item.status.is_open() || *days <= 0 || item.extension_days + days > max {
                return Err(StoreError::invalid(
                    "days",
                    format!(
                        "gia hạn phải là số ngày dương, tổng không quá {max} ngày làm việc, khi phản ánh còn đang xử lý / the extension must be positive, at most {max} working days in total, on an open item"
                    ),
                ));
            }
            item.extension_days += days;
            recompute_due(item, clock, now)?;
            fx.detail = format!("+{days}");
        }
        FeedbackAction::Evaluate {
            evaluation,
            outcome,
        } => {
            if !evaluation.is_complete() {
                return Err(StoreError::invalid(
                    "evaluation",
                    "cần đánh giá đủ 6 tiêu chí của Điều 14 / all six criteria of Art 14 must be evaluated",
                ));
            }
            step(item, &Event::Decide(*outcome))?;
            item.evaluation = Some(evaluation.clone());
            item.outcome = Some(*outcome);
            fx.detail = outcome.as_str().to_string();
        }
        FeedbackAction::DraftAnswer { text, is_public } => {
            if item.status != Status::Decided {
                return Err(StoreError::Rule(format!(
                    "chỉ soạn trả lời sau khi có kết quả xử lý (đang: {}) / an answer needs a decision first",
                    item.status.label_vi()
                )));
            }
            item.answer_text = Some(required_text("answer", text)?);
            item.answer_public = *is_public;
            item.answer_drafted_by = actor.user_id;
            item.answer_approved_by = None;
        }
        FeedbackAction::ApproveAnswer => {
            let drafter = item.answer_drafted_by;
            if item.answer_text.is_none() || drafter.is_none() {
                return Err(StoreError::Rule(
                    "chưa có dự thảo trả lời / there is no draft answer".into(),
                ));
            }
            if actor.user_id.is_none() || actor.user_id == drafter {
                return Err(StoreError::Rule(
                    "người duyệt không được là người soạn trả lời / the approver must not be the drafter".into(),
                ));
            }
            step(item, &Event::Answer)?;
            item.answer_approved_by = actor.user_id;
            item.answered_at = Some(now);
            item.answered_on = Some(today);
            if item.answer_public {
                item.is_public = true;
                item.published_at = Some(now);
            }
            fx.answer_duplicates = true;
        }
        FeedbackAction::Publish => {
            if item.answered_at.is_none() || item.answer_text.is_none() {
                return Err(StoreError::Rule(
                    "chỉ công khai phản ánh đã trả lời / only answered items can be published"
                        .into(),
                ));
            }
            item.is_public = true;
            item.published_at = Some(now);
        }
        FeedbackAction::Rate(r) => {
            step(item, &Event::Rate(*r))?;
            item.rating = Some(*r);
            fx.detail = r.as_str().to_string();
        }
        FeedbackAction::Reopen { reason } => {
            let reason = required_text("reason", reason)?;
            let since = item.answered_at.unwrap_or(item.updated_at);
            clock
                .config
                .for_agency(&item.current_org)
                .reopen_allowed(since, now)
                .map_err(domain_err)?;
            step(
                item,
                &Event::Reopen {
                    reason: reason.clone(),
                },
            )?;
            item.reopen_count += 1;
            item.transferred_on = Some(today);
            item.pauses.clear();
            item.paused_since = None;
            item.extension_days = 0;
            item.answered_at = None;
            item.answered_on = None;
            item.answer_approved_by = None;
            item.rating = None;
            item.is_public = false;
            item.published_at = None;
            item.escalation = None;
            recompute_due(item, clock, now)?;
            fx.detail = reason;
        }
        FeedbackAction::Close => step(item, &Event::Close)?,
        FeedbackAction::MarkDuplicate { of } => {
            if *of == item.id {
                return Err(StoreError::invalid(
                    "duplicate_of",
                    "một phản ánh không thể trùng với chính nó / an item cannot duplicate itself",
                ));
            }
            step(item, &Event::MarkDuplicate { of: *of })?;
            item.duplicate_of = Some(*of);
            fx.check_canonical = Some(*of);
            fx.detail = of.to_string();
        }
    }
    item.updated_at = now;
    Ok(fx)
}

/// Mails sent to senders and officers (enqueued in the outbox, in the same transaction as
/// the change that causes them; the dedupe key makes each logical mail unique).
pub mod mails {
    use thutuc_domain::feedback::TrackingCode;
    use thutuc_store::feedback::FeedbackItem;
    use thutuc_store::outbox::OutgoingMail;

    fn shown(code: &str) -> String {
        TrackingCode::parse(code)
            .map(|c| c.display())
            .unwrap_or_else(|_| code.to_string())
    }

    /// Receipt (giấy biên nhận) to the sender, when an e-mail was given.
    pub fn receipt(it: &FeedbackItem) -> Option<OutgoingMail> {
        let to = it.sender_email.clone()?;
        let code = shown(&it.tracking_code);
        Some(OutgoingMail {
            dedupe_key: format!("feedback:{}:receipt", it.tracking_code),
            to,
            subject: format!("Đã tiếp nhận phản ánh, kiến nghị {code}"),
            body_text: format!(
                "Kính gửi {},\n\nCơ quan đã tiếp nhận phản ánh, kiến nghị của Ông/Bà ngày {}.\nMã tra cứu: {code}\nHạn trả lời dự kiến: {}.\n\nÔng/Bà theo dõi kết quả tại trang /phan-anh/tra-cuu?ma={code}.\n\nThư này được gửi tự động, vui lòng không trả lời.\n",
                it.sender_name,
                it.received_on.format("%d/%m/%Y"),
                it.due_on.format("%d/%m/%Y")
            ),
            attachment: None,
        })
    }

    /// The approved answer, to the sender of `to_item` (the canonical item or a duplicate).
    pub fn answer(canonical: &FeedbackItem, to_item: &FeedbackItem) -> Option<OutgoingMail> {
        let to = to_item.sender_email.clone()?;
        let code = shown(&to_item.tracking_code);
        Some(OutgoingMail {
            dedupe_key: format!(
                "feedback:{}:answer:{}",
                to_item.tracking_code, canonical.reopen_count
            ),
            to,
            subject: format!("Trả lời phản ánh, kiến nghị {code}"),
            body_text: format!(
                "Kính gửi {},\n\nCơ quan trả lời phản ánh, kiến nghị {code} của Ông/Bà như sau:\n\n{}\n\nÔng/Bà có thể đánh giá mức độ hài lòng hoặc đề nghị xem xét lại tại /phan-anh/tra-cuu?ma={code}.\n",
                to_item.sender_name,
                canonical.answer_text.as_deref().unwrap_or_default()
            ),
            attachment: None,
        })
    }

    /// Not accepted, with the reason (Decree 20/2008 Art 9).
    pub fn rejected(it: &FeedbackItem) -> Option<OutgoingMail> {
        let to = it.sender_email.clone()?;
        let code = shown(&it.tracking_code);
        Some(OutgoingMail {
            dedupe_key: format!("feedback:{}:rejected:{}", it.tracking_code, it.reopen_count),
            to,
            subject: format!("Phản ánh, kiến nghị {code} không được tiếp nhận"),
            body_text: format!(
                "Kính gửi {},\n\nPhản ánh, kiến nghị {code} không thuộc phạm vi tiếp nhận. Lý do: {}\n",
                it.sender_name,
                it.reject_reason.as_deref().unwrap_or_default()
            ),
            attachment: None,
        })
    }

    /// Escalation of an overdue item to a leader or the Working Group.
    pub fn escalated(it: &FeedbackItem, level: &str, user_id: i64, to: &str) -> OutgoingMail {
        let who = if level == "working_group" {
            "Tổ công tác của Thủ tướng"
        } else {
            "lãnh đạo cơ quan"
        };
        OutgoingMail {
            dedupe_key: format!(
                "feedback:{}:escalate:{level}:{}:{user_id}",
                it.tracking_code, it.reopen_count
            ),
            to: to.to_string(),
            subject: format!(
                "Phản ánh {} quá hạn trả lời — chuyển {who}",
                shown(&it.tracking_code)
            ),
            body_text: format!(
                "Phản ánh, kiến nghị «{}» ({}) của cơ quan {} đã quá hạn trả lời (hạn {}).\nXem tại /can-bo/phan-anh/{}.\n",
                it.title,
                shown(&it.tracking_code),
                it.current_org,
                it.due_on.format("%d/%m/%Y"),
                it.id
            ),
            attachment: None,
        }
    }
}

/// The figures one item contributes to `feedback_daily` (migration 0009), independent of the
/// reference date. Keep in step with the backfill in `0009_feedback_daily.sql`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Figures {
    /// Always 1.
    pub received: i64,
    /// Not rejected, not a duplicate.
    pub accepted: i64,
    /// Rejected.
    pub rejected: i64,
    /// Transferred at least once.
    pub transferred: i64,
    /// Answered on or before the due date.
    pub on_time: i64,
    /// Answered after the due date.
    pub late: i64,
    /// Still open.
    pub open: i64,
    /// Rated satisfied or neutral.
    pub satisfied: i64,
    /// Rated dissatisfied.
    pub dissatisfied: i64,
    /// Reopened at least once.
    pub reopened: i64,
}

impl Figures {
    /// The figures of `item`.
    pub fn of(item: &FeedbackItem) -> Self {
        use thutuc_domain::feedback::Rating;
        let b = |v: bool| i64::from(v);
        Self {
            received: 1,
            accepted: b(!matches!(item.status, Status::Rejected | Status::Duplicate)),
            rejected: b(item.status == Status::Rejected),
            transferred: b(item.was_transferred),
            on_time: b(item.answered_on.is_some_and(|a| a <= item.due_on)),
            late: b(item.answered_on.is_some_and(|a| a > item.due_on)),
            open: b(item.status.is_open()),
            satisfied: b(matches!(
                item.rating,
                Some(Rating::Satisfied | Rating::Neutral)
            )),
            dissatisfied: b(item.rating == Some(Rating::Dissatisfied)),
            reopened: b(item.reopen_count > 0),
        }
    }

    /// `self - other`, field by field.
    pub fn minus(self, o: Self) -> Self {
        Self {
            received: self.received - o.received,
            accepted: self.accepted - o.accepted,
            rejected: self.rejected - o.rejected,
            transferred: self.transferred - o.transferred,
            on_time: self.on_time - o.on_time,
            late: self.late - o.late,
            open: self.open - o.open,
            satisfied: self.satisfied - o.satisfied,
            dissatisfied: self.dissatisfied - o.dissatisfied,
            reopened: self.reopened - o.reopened,
        }
    }

    /// True when every figure is zero.
    pub fn is_zero(self) -> bool {
        self == Self::default()
    }
}

/// A `feedback_daily` key: `(dim, day, org_id, val)`.
pub type DailyKey = (&'static str, chrono::NaiveDate, String, String);

/// The `feedback_daily` rows an item counts in.
pub fn daily_keys(item: &FeedbackItem) -> [DailyKey; 3] {
    let org = item.current_org.clone();
    let day = item.received_on;
    [
        ("agency", day, org.clone(), String::new()),
        (
            "sector",
            day,
            org.clone(),
            item.sector_id.clone().unwrap_or_default(),
        ),
        (
            "procedure",
            day,
            org,
            item.procedure_code.clone().unwrap_or_default(),
        ),
    ]
}

/// The changes to `feedback_daily` when an item goes from `old` to `new` (`None`: absent):
/// `(key, delta)` for every row whose figures move.
pub fn daily_deltas(
    old: Option<&FeedbackItem>,
    new: Option<&FeedbackItem>,
) -> Vec<(DailyKey, Figures)> {
    let mut out = Vec::new();
    let olds = old.map(|o| (daily_keys(o), Figures::of(o)));
    let news = new.map(|n| (daily_keys(n), Figures::of(n)));
    for d in 0..3 {
        match (&olds, &news) {
            (Some((ok, of)), Some((nk, nf))) if ok[d] == nk[d] => {
                let delta = nf.minus(*of);
                if !delta.is_zero() {
                    out.push((nk[d].clone(), delta));
                }
            }
            _ => {
                if let Some((ok, of)) = &olds {
                    out.push((ok[d].clone(), Figures::default().minus(*of)));
                }
                if let Some((nk, nf)) = &news {
                    out.push((nk[d].clone(), *nf));
                }
            }
        }
    }
    out
}
