//! `/api/v1` handlers, grouped by resource. Handlers are thin: parse, check permission,
//! call the store, shape the view.

pub mod audit;
pub mod calendar;
pub mod decisions;
pub mod export;
pub mod feedback;
pub mod imports;
pub mod orgs;
pub mod procedures;
pub mod stats;
pub mod system;
pub mod tasks;
