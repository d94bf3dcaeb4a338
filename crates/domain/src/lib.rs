//! thutuc's pure domain: procedures (thủ tục hành chính) and their versions, diffs and
//! completeness, publication decisions, organisations, codes, legal parameters and the
//! Vietnamese working-day calendar. No database, HTTP or file I/O lives here.

pub mod access;
pub mod calendar;
pub mod codes;
pub mod completeness;
pub mod decision;
pub mod diff;
pub mod feedback;
pub mod legal;
pub mod org;
pub mod params;
pub mod procedure;
pub mod tasks;
pub mod text;
pub mod version;

pub use codes::{AgencyEid, CodeError, ProcedureRef, TthcCode};
pub use procedure::ProcedureContent;
