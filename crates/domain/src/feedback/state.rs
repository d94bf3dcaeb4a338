//! The state machine (domain guide §8, after Decree 20/2008, DIGIT PGR and FixMyStreet):
//!
//! ```text
//! Received → Registered → Classified → {Rejected | Transferred | InReview}
//! InReview ⇄ Collecting;  InReview → Decided → Answered → Rated → Closed
//! Answered|Rated|Rejected → Reopened → InReview (within the reopen window)
//! any open → Duplicate (of a canonical item)
//! ```
//! A transferred item is registered again by the receiving agency (Transferred → Registered).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::classify::{Classification, Outcome};
use super::error::FeedbackError;
use super::intake::str_enum;

str_enum! {
    /// Status (trạng thái) of a feedback item.
    Status {
        /// Đã tiếp nhận.
        Received = "received" / "Đã tiếp nhận",
        /// Đã vào sổ.
        Registered = "registered" / "Đã vào sổ",
        /// Đã phân loại.
        Classified = "classified" / "Đã phân loại",
        /// Không tiếp nhận (reason told to the sender).
        Rejected = "rejected" / "Không tiếp nhận",
        /// Đã chuyển cơ quan có thẩm quyền.
        Transferred = "transferred" / "Đã chuyển xử lý",
        /// Đang xem xét.
        InReview = "in_review" / "Đang xem xét",
        /// Đang thu thập thông tin (clock paused while waiting for the sender).
        Collecting = "collecting" / "Đang thu thập thông tin",
        /// Đã có kết quả xử lý.
        Decided = "decided" / "Đã có kết quả xử lý",
        /// Đã trả lời.
        Answered = "answered" / "Đã trả lời",
        /// Đã đánh giá.
        Rated = "rated" / "Người gửi đã đánh giá",
        /// Đã đóng.
        Closed = "closed" / "Đã đóng",
        /// Mở lại.
        Reopened = "reopened" / "Mở lại",
        /// Trùng với phản ánh khác.
        Duplicate = "duplicate" / "Trùng lặp",
    }
}

impl Status {
    /// Open items still need work by an agency and count against its deadline.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            Self::Rejected | Self::Answered | Self::Rated | Self::Closed | Self::Duplicate
        )
    }
    /// Public state type (`open|closed|resolved`) as in Open311.
    pub fn state_type(self) -> &'static str {
        match self {
            Self::Answered | Self::Rated => "resolved",
            Self::Closed | Self::Rejected | Self::Duplicate => "closed",
            _ => "open",
        }
    }
    /// True when the clock is paused (waiting for the sender).
    pub fn is_paused(self) -> bool {
        self == Self::Collecting
    }
}

str_enum! {
    /// Satisfaction rating (mức độ hài lòng).
    Rating {
        /// Hài lòng.
        Satisfied = "satisfied" / "Hài lòng",
        /// Chấp nhận được.
        Neutral = "neutral" / "Chấp nhận được",
        /// Không hài lòng.
        Dissatisfied = "dissatisfied" / "Không hài lòng",
    }
}

/// Something that happens to an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// Vào sổ by the (receiving) agency.
    Register,
    /// Phân loại.
    Classify(Classification),
    /// Không tiếp nhận, with the reason.
    Reject {
        /// Reason told to the sender.
        reason: String,
    },
    /// Chuyển to another agency.
    Transfer {
        /// Target agency id.
        to: String,
    },
    /// Bắt đầu xem xét.
    StartReview,
    /// Yêu cầu bổ sung thông tin (pauses the clock).
    RequestInfo,
    /// Đã nhận thông tin bổ sung (resumes the clock).
    InfoReceived,
    /// Kết luận.
    Decide(Outcome),
    /// Trả lời (after a leader's approval).
    Answer,
    /// Người gửi đánh giá.
    Rate(Rating),
    /// Đóng.
    Close,
    /// Mở lại, with the reason (the window is checked by [`super::deadline::reopen_allowed`]).
    Reopen {
        /// Reason given by the sender.
        reason: String,
    },
    /// Đánh dấu trùng.
    MarkDuplicate {
        /// Canonical item id.
        of: i64,
    },
}

impl Event {
    /// Stable identifier of the event.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Register => "register",
            Self::Classify(_) => "classify",
            Self::Reject { .. } => "reject",
            Self::Transfer { .. } => "transfer",
            Self::StartReview => "start_review",
            Self::RequestInfo => "request_info",
            Self::InfoReceived => "info_received",
            Self::Decide(_) => "decide",
            Self::Answer => "answer",
            Self::Rate(_) => "rate",
            Self::Close => "close",
            Self::Reopen { .. } => "reopen",
            Self::MarkDuplicate { .. } => "mark_duplicate",
        }
    }
}

/// The next status after `event`, or why it is not allowed.
pub fn next(from: Status, event: &Event) -> Result<Status, FeedbackError> {
    use Status as S;
    let to = match (from, event) {
        (S::Received | S::Transferred, Event::Register) => Some(S::Registered),
        (S::Registered, Event::Classify(_)) => Some(S::Classified),
        (S::Classified, Event::Reject { .. }) => Some(S::Rejected),
        (S::Classified | S::InReview | S::Collecting, Event::Transfer { .. }) => {
            Some(S::Transferred)
        }
        (S::Classified | S::Reopened, Event::StartReview) => Some(S::InReview),
        (S::InReview, Event::RequestInfo) => Some(S::Collecting),
        (S::Collecting, Event::InfoReceived) => Some(S::InReview),
        (S::InReview, Event::Decide(_)) => Some(S::Decided),
        (S::Decided, Event::Answer) => Some(S::Answered),
        (S::Answered, Event::Rate(_)) => Some(S::Rated),
        (S::Answered | S::Rated | S::Rejected, Event::Close) => Some(S::Closed),
        (S::Answered | S::Rated | S::Rejected, Event::Reopen { .. }) => Some(S::Reopened),
        (s, Event::MarkDuplicate { .. }) if s.is_open() => Some(S::Duplicate),
        _ => None,
    };
    to.ok_or(FeedbackError::Transition {
        from: from.as_str(),
        event: event.as_str(),
    })
}

/// One entry of an item's history (lịch sử xử lý).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    /// When.
    pub at: DateTime<Utc>,
    /// From status.
    pub from: Status,
    /// To status.
    pub to: Status,
    /// The event.
    pub event: Event,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn run(events: &[Event]) -> Result<Status, FeedbackError> {
        events.iter().try_fold(Status::Received, next)
    }

    #[test]
    fn the_full_lifecycle() {
        let s = run(&[
            Event::Register,
            Event::Classify(Classification::WithinCompetence),
            Event::StartReview,
            Event::RequestInfo,
            Event::InfoReceived,
            Event::Decide(Outcome::Amend),
            Event::Answer,
            Event::Rate(Rating::Satisfied),
            Event::Close,
        ]);
        assert_eq!(s, Ok(Status::Closed));
    }

    #[test]
    fn transfer_then_register_again() {
        let s = run(&[
            Event::Register,
            Event::Classify(Classification::OutsideCompetence),
            Event::Transfer { to: "BTP".into() },
            Event::Register,
        ]);
        assert_eq!(s, Ok(Status::Registered));
    }

    #[test]
    fn no_answer_before_a_decision() {
        let r = run(&[Event::Register, Event::Answer]);
        assert!(matches!(
            r,
            Err(FeedbackError::Transition {
                from: "registered",
                event: "answer"
            })
        ));
        assert!(next(Status::Closed, &Event::MarkDuplicate { of: 1 }).is_err());
        assert_eq!(
            next(Status::InReview, &Event::MarkDuplicate { of: 1 }),
            Ok(Status::Duplicate)
        );
    }

    #[test]
    fn reopen_goes_back_to_review() {
        let s = next(
            Status::Answered,
            &Event::Reopen {
                reason: "chưa rõ".into(),
            },
        );
        assert_eq!(s, Ok(Status::Reopened));
        assert_eq!(
            next(Status::Reopened, &Event::StartReview),
            Ok(Status::InReview)
        );
    }

    fn event() -> impl Strategy<Value = Event> {
        prop_oneof![
            Just(Event::Register),
            Just(Event::Classify(Classification::WithinCompetence)),
            Just(Event::Reject { reason: "x".into() }),
            Just(Event::Transfer { to: "A".into() }),
            Just(Event::StartReview),
            Just(Event::RequestInfo),
            Just(Event::InfoReceived),
            Just(Event::Decide(Outcome::NoChange)),
            Just(Event::Answer),
            Just(Event::Rate(Rating::Neutral)),
            Just(Event::Close),
            Just(Event::Reopen { reason: "x".into() }),
            Just(Event::MarkDuplicate { of: 1 }),
        ]
    }

    proptest! {
        #[test]
        fn closed_and_duplicate_are_terminal(events in proptest::collection::vec(event(), 0..30)) {
            let mut s = Status::Received;
            for e in &events {
                let was = s;
                if let Ok(n) = next(s, e) {
                    prop_assert!(!matches!(was, Status::Closed | Status::Duplicate));
                    s = n;
                }
            }
        }
    }
}
