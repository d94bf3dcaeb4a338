//! Legal parameters as configuration with provenance. Every number here comes from a legal
//! text (cited) or is marked "not confirmed" in the domain guide, and can be overridden in
//! `thutuc.toml` without a code change.

use serde::{Deserialize, Serialize};

/// A number of days, its unit and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayRule {
    /// The number of days.
    pub days: i64,
    /// Whether the days are working days (true) or calendar days.
    pub working_days: bool,
    /// Legal source, e.g. "Nghị định 63/2010/NĐ-CP Điều 15 (sửa đổi bởi 92/2017/NĐ-CP)".
    pub source: String,
    /// True when the domain guide marks the rule as not confirmed.
    #[serde(default)]
    pub unconfirmed: bool,
}

/// Deadlines for publishing and posting procedures (Decree 63/2010 Art 13–15 and 24, as amended).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationRules {
    /// Ministries publish at least this long before the document takes effect.
    pub ministry_lead: DayRule,
    /// Provinces and other bodies publish at least this long before it takes effect.
    pub province_lead: DayRule,
    /// Shortened-procedure documents effective on signing: publish at most this long after.
    pub shortened_after: DayRule,
    /// Posting to the national database after a minister signs.
    pub posting_ministry: DayRule,
    /// Posting after a provincial chair signs.
    pub posting_province: DayRule,
    /// Posting for shortened procedure.
    pub posting_shortened: DayRule,
}

impl Default for PublicationRules {
    fn default() -> Self {
        let pub_src = "Nghị định 63/2010/NĐ-CP Điều 15, sửa đổi bởi Nghị định 92/2017/NĐ-CP";
        let post_src = "Nghị định 63/2010/NĐ-CP Điều 24, sửa đổi bởi Nghị định 92/2017/NĐ-CP";
        Self {
            ministry_lead: DayRule {
                days: 20,
                working_days: false,
                source: pub_src.into(),
                unconfirmed: true,
            },
            province_lead: DayRule {
                days: 5,
                working_days: false,
                source: pub_src.into(),
                unconfirmed: true,
            },
            shortened_after: DayRule {
                days: 3,
                working_days: false,
                source: pub_src.into(),
                unconfirmed: true,
            },
            posting_ministry: DayRule {
                days: 10,
                working_days: true,
                source: post_src.into(),
                unconfirmed: false,
            },
            posting_province: DayRule {
                days: 5,
                working_days: true,
                source: post_src.into(),
                unconfirmed: false,
            },
            posting_shortened: DayRule {
                days: 2,
                working_days: true,
                source: post_src.into(),
                unconfirmed: false,
            },
        }
    }
}
