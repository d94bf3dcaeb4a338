//! The report as data, with its definitions.
//!
//! **Change counts** (`national`, `local`): the number of *distinct procedures* with a change
//! of a bucket in the period, by the chosen reference date (signing by default, or the entry's
//! effective date). Buckets: new (mới ban hành), amended-supplemented (sửa đổi, bổ sung),
//! replaced (thay thế), abolished (bãi bỏ) — **annulled (hủy bỏ) entries are counted with
//! abolished**, and shown again in `annulled_included`. A procedure changed twice in one
//! bucket and period is counted once and classified by its last change (reference date, then
//! decision number, then annex line), so every breakdown partitions the total:
//! total = Σ by agency = Σ by level = Σ by field = Σ external/internal.
//!
//! **Central vs local**: entries of decisions with `applies_central` set are local
//! re-publications; they are excluded from `national` and counted in `local`, where the
//! distinct key is (issuing province, procedure): 34 provinces re-publishing one change are
//! 34 local re-publications and no national change.
//!
//! **Stock** ([`StockSection`]) is by validity, whatever the reference date: a procedure is
//! in force on day D when one of its public versions has `valid_from ≤ D ≤ valid_to` (open
//! end = still in force). `start` is the stock at the end of the day before the period,
//! `end` at the end of its last day, and
//! `end = start + entered − exited` holds exactly, where *entered* are procedures whose first
//! version starts in the period (new, replacing with a new code, or imported) and *exited*
//! those whose last version ends the day before a day in the period (abolished, annulled, or
//! replaced by a new code — the old code leaves, the new one enters). A replacement keeping
//! its code changes nothing in the stock.
//!
//! **Levels** are a set; a procedure at several levels is in the `multiple` bucket.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thutuc_store::{DateBasis, FlowFact, FlowKind};

/// A change bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    /// Mới ban hành.
    New,
    /// Sửa đổi, bổ sung.
    Amended,
    /// Thay thế.
    Replaced,
    /// Bãi bỏ (and hủy bỏ).
    Abolished,
}

impl Bucket {
    /// All buckets in report order.
    pub const ALL: [Bucket; 4] = [Self::New, Self::Amended, Self::Replaced, Self::Abolished];
    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Amended => "amended",
            Self::Replaced => "replaced",
            Self::Abolished => "abolished",
        }
    }
}

/// Counts per bucket.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Mới ban hành.
    pub new: i64,
    /// Sửa đổi, bổ sung.
    pub amended: i64,
    /// Thay thế.
    pub replaced: i64,
    /// Bãi bỏ + hủy bỏ.
    pub abolished: i64,
    /// Of `abolished`, how many were annulled (hủy bỏ).
    pub annulled_included: i64,
}

impl Counts {
    /// The count of one bucket.
    pub fn get(&self, b: Bucket) -> i64 {
        match b {
            Bucket::New => self.new,
            Bucket::Amended => self.amended,
            Bucket::Replaced => self.replaced,
            Bucket::Abolished => self.abolished,
        }
    }
    /// Adds one to a bucket.
    pub fn add(&mut self, b: Bucket, annulled: bool) {
        match b {
            Bucket::New => self.new += 1,
            Bucket::Amended => self.amended += 1,
            Bucket::Replaced => self.replaced += 1,
            Bucket::Abolished => {
                self.abolished += 1;
                if annulled {
                    self.annulled_included += 1;
                }
            }
        }
    }
    /// Sum of the four buckets (changes, not procedures: one procedure may be in two).
    pub fn total(&self) -> i64 {
        self.new + self.amended + self.replaced + self.abolished
    }
}

/// One breakdown row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Key (organisation id, level id, field id, `external`/`internal`).
    pub key: String,
    /// Label.
    pub label: String,
    /// Counts.
    pub counts: Counts,
}

/// One counted change: what a number is made of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountedItem {
    /// Bucket.
    pub bucket: Bucket,
    /// Annulled rather than abolished.
    pub annulled: bool,
    /// Decision number.
    pub decision_no: String,
    /// Procedure code.
    pub code: String,
    /// Reference date (signing or effective).
    pub date: NaiveDate,
    /// Issuing organisation.
    pub issuer_org: String,
    /// Agency row (issuer rolled up).
    pub agency: String,
    /// Level bucket.
    pub level: String,
    /// Field id.
    pub sector_id: String,
    /// Internal procedure.
    pub internal: bool,
    /// The published version passes the completeness check.
    pub complete: bool,
    /// For replacements with a new code: the code replaced.
    pub replaces: Option<String>,
}

/// Counts with their breakdowns and items.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChangeSection {
    /// Totals.
    pub total: Counts,
    /// By agency (issuer rolled up).
    pub by_agency: Vec<Row>,
    /// By level bucket.
    pub by_level: Vec<Row>,
    /// By field.
    pub by_sector: Vec<Row>,
    /// External vs internal.
    pub by_kind: Vec<Row>,
    /// Counted items (one per counted procedure and bucket).
    pub items: Vec<CountedItem>,
}

/// One stock row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StockRow {
    /// Key.
    pub key: String,
    /// Label.
    pub label: String,
    /// In force at the start.
    pub start: i64,
    /// Entered.
    pub entered: i64,
    /// Exited.
    pub exited: i64,
    /// In force at the end.
    pub end: i64,
    /// `end − start − entered + exited`: procedures whose field or level changed by an
    /// amendment (always 0 by agency and by external/internal, which never change).
    pub reclassified: i64,
}

/// Stock in force and its flows (validity view; see the module docs).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StockSection {
    /// Day the start stock is taken (end of the day before the period).
    pub start_date: Option<NaiveDate>,
    /// Day the end stock is taken.
    pub end_date: Option<NaiveDate>,
    /// In force at the start.
    pub start: i64,
    /// In force at the end.
    pub end: i64,
    /// Entered (sum of the three kinds below).
    pub entered: i64,
    /// New procedures.
    pub entered_new: i64,
    /// Replacing procedures with a new code.
    pub entered_replacing: i64,
    /// Started without a decision entry (imported history).
    pub entered_other: i64,
    /// Exited (sum of the four kinds below).
    pub exited: i64,
    /// Abolished.
    pub exited_abolished: i64,
    /// Annulled.
    pub exited_annulled: i64,
    /// Replaced by a new code.
    pub exited_replaced: i64,
    /// Ended without a recorded entry.
    pub exited_other: i64,
    /// By owning agency (rolled up).
    pub by_agency: Vec<StockRow>,
    /// By level (of the version in force).
    pub by_level: Vec<StockRow>,
    /// By field (of the version in force).
    pub by_sector: Vec<StockRow>,
    /// External vs internal.
    pub by_kind: Vec<StockRow>,
    /// Every entry and exit, for drill-down.
    pub flows: Vec<FlowFact>,
    /// Owner organisation → agency row it is counted under.
    pub agency_of: std::collections::BTreeMap<String, String>,
}

impl StockSection {
    /// True when `end = start + entered − exited`.
    pub fn identity_holds(&self) -> bool {
        self.end == self.start + self.entered - self.exited
    }
    /// Flows of one kind.
    pub fn flows_of(&self, kind: FlowKind) -> impl Iterator<Item = &FlowFact> {
        self.flows.iter().filter(move |f| f.kind == kind)
    }
}

/// Compliance of one decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionCheck {
    /// Number.
    pub number: String,
    /// Issuer.
    pub issuer_org: String,
    /// Agency row.
    pub agency: String,
    /// Signed.
    pub signed_on: NaiveDate,
    /// Local re-publication.
    pub local: bool,
    /// Stored lateness against the publication deadline (`None` when not recorded).
    pub late: Option<bool>,
    /// Posting deadline (working days after signing).
    pub posting_deadline: NaiveDate,
    /// Posting date (the day the decision was applied in thutuc).
    pub posted_on: Option<NaiveDate>,
    /// Posted within the deadline.
    pub posted_on_time: Option<bool>,
}

/// Compliance figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Compliance {
    /// Decisions (central and local) in the period.
    pub decisions: i64,
    /// Published on time (stored timeliness).
    pub on_time: i64,
    /// Published late.
    pub late: i64,
    /// Timeliness not recorded.
    pub unknown: i64,
    /// Posted to the national database within 10/5/2 working days.
    pub posted_on_time: i64,
    /// Posted late.
    pub posted_late: i64,
    /// Procedures published in the period (national new/amended/replaced).
    pub published: i64,
    /// Of those, passing the completeness check.
    pub complete: i64,
    /// `complete / published`, when anything was published.
    pub complete_share: Option<f64>,
    /// Per decision.
    pub items: Vec<DecisionCheck>,
}

/// A monthly point of a trend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// `YYYY-MM`.
    pub month: String,
    /// National counts in that month.
    pub counts: Counts,
}

/// Report metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportMeta {
    /// `monthly`, `quarterly`, `half_year`, `yearly`, `range`.
    pub kind: String,
    /// Period key.
    pub period: String,
    /// Period label in Vietnamese.
    pub period_label: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Reference date.
    pub basis: DateBasis,
    /// Statement of the reference date, printed on every report.
    pub basis_note: String,
    /// Organisation scope (`None` = national).
    pub scope: Option<String>,
    /// Scope name.
    pub scope_name: String,
    /// SHA-256 of the inputs.
    pub inputs_hash: String,
}

/// A computed report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Metadata.
    pub meta: ReportMeta,
    /// Central decisions.
    pub national: ChangeSection,
    /// Local re-publications (not in national counts).
    pub local: ChangeSection,
    /// Stock in force.
    pub stock: StockSection,
    /// Compliance.
    pub compliance: Compliance,
    /// National counts per month of the period.
    pub trend: Vec<TrendPoint>,
    /// Labels of organisations, fields and levels used.
    pub labels: std::collections::BTreeMap<String, String>,
}
