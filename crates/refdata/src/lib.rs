//! Organisation reference data that thutuc loads on first run and in the demo.
//!
//! Everything is embedded at compile time, so the binary needs no data files at run time:
//! - `data/central.csv` (this crate): the Government, the ministries and ministry-level bodies
//!   after the 01/3/2025 restructuring, and the ministries merged away then, with successions;
//! - `data/admin-units/admin_units_2025_34provinces.csv`: the 34 provinces and 3,321 communes in
//!   force since 01/7/2025;
//! - `data/admin-units/admin_units_legacy_63provinces.csv.gz`: the historic 63 provinces,
//!   696 districts and ~10k communes, valid until 30/6/2025;
//! - `data/admin-units/converter_2025.json`: old→new successions of provinces and communes;
//! - `data/sectors.csv` (this crate): the fields (lĩnh vực) found in the real TTHC files.
//!
//! Ids keep old and new units apart: `P01`/`W00004` are current, `LP01`/`LD001`/`LW00004` are
//! historic, because the statistical codes of the two lists overlap.

mod central;
mod converter;
mod error;
mod matching;
mod sectors;
mod units;

use thutuc_domain::org::{Organisation, Sector, UnitSuccession};

pub use error::RefError;
pub use matching::{OrgIndex, issuer_from_decision_number, match_org};
pub use sectors::default_sectors;

/// The full organisation reference data set.
#[derive(Debug, Clone, PartialEq)]
pub struct RefData {
    /// Every organisation; a parent always precedes its children.
    pub orgs: Vec<Organisation>,
    /// Old→new successions (ministries merged on 01/3/2025, units merged on 01/7/2025).
    ///
    /// For one old unit, the main (or converter-default) successor comes first.
    pub successions: Vec<UnitSuccession>,
    /// Default managed fields (lĩnh vực).
    pub sectors: Vec<Sector>,
    /// Converter keys that matched no unit of the CSVs (reported, never fatal).
    pub unresolved_keys: Vec<String>,
}

impl RefData {
    /// A name/id index over [`RefData::orgs`] that also knows the successions, so that
    /// [`OrgIndex::match_current`] can map historic units to current ones.
    pub fn index(&self) -> OrgIndex<'_> {
        OrgIndex::new(&self.orgs).with_successions(&self.successions)
    }
}

/// Builds the organisation reference data from the embedded files.
///
/// Order of `orgs`: the Government and central bodies, the current provinces and communes,
/// then the historic provinces, districts and communes.
pub fn organisations() -> Result<RefData, RefError> {
    let central = central::load()?;
    let current = units::load_current()?;
    let legacy = units::load_legacy()?;
    let conv = converter::successions(&current.keys, &legacy.keys)?;

    let mut orgs = central.orgs;
    orgs.reserve(current.orgs.len() + legacy.orgs.len());
    orgs.extend(current.orgs);
    orgs.extend(legacy.orgs);
    let mut successions = central.successions;
    successions.extend(conv.successions);
    check(&orgs, &successions)?;
    Ok(RefData {
        orgs,
        successions,
        sectors: sectors::load()?,
        unresolved_keys: conv.unresolved,
    })
}

/// Checks that ids are unique, that every parent exists and comes first, and that every
/// succession names known organisations.
fn check(orgs: &[Organisation], successions: &[UnitSuccession]) -> Result<(), RefError> {
    let mut seen = std::collections::HashSet::with_capacity(orgs.len());
    for o in orgs {
        if let Some(p) = &o.parent
            && !seen.contains(p.as_str())
        {
            return Err(RefError::Data(format!(
                "{}: parent {p} missing or after its child",
                o.id
            )));
        }
        if !seen.insert(o.id.as_str()) {
            return Err(RefError::Data(format!(
                "duplicate organisation id {}",
                o.id
            )));
        }
    }
    match successions
        .iter()
        .find(|s| !seen.contains(s.old.as_str()) || !seen.contains(s.new.as_str()))
    {
        Some(s) => Err(RefError::Data(format!(
            "succession {} -> {} names an unknown id",
            s.old, s.new
        ))),
        None => Ok(()),
    }
}
