//! Feedback and recommendations on administrative regulations (phản ánh, kiến nghị — PAKN),
//! governed by Decree 20/2008/NĐ-CP as amended by Decree 48/2013/NĐ-CP. Pure: intake
//! validation, tracking codes and register numbers, the state machine, classification
//! (Art 5, Art 9), evaluation (Art 14), configurable deadline policy, status and escalation,
//! PII redaction for public pages, duplicate similarity and the Decision 766 indicators.

pub mod attachment;
pub mod classify;
pub mod code;
pub mod deadline;
mod error;
pub mod indicators;
pub mod intake;
pub mod redact;
pub mod similar;
pub mod state;

pub use attachment::{AttachmentKind, sniff};
pub use classify::{
    Classification, ContentKind, Criterion, Evaluation, FeedbackType, Outcome, Verdict,
};
pub use code::{RegisterNumber, TrackingCode};
pub use deadline::{
    ClockOnTransfer, DeadlineConfig, DeadlinePolicy, EscalationLevel, EscalationStep,
    FeedbackTimeliness,
};
pub use error::{FeedbackError, FieldError};
pub use indicators::{FeedbackIndicators, IndicatorCounts};
pub use intake::{Channel, Email, NewFeedback, Phone, RawFeedback, Sender, SenderKind};
pub use state::{Event, Rating, Status};
