//! Old→new successions of 01/7/2025 from `converter_2025.json` (package vietnamadminunits):
//! provinces, communes merged whole, and communes split between several new communes.
//!
//! The converter speaks in normalised name keys; they are resolved to ids through the `*Key`
//! columns of the two CSVs ([`crate::units::Keys`]). A key that resolves to nothing is
//! reported in [`Successions::unresolved`], never fatal.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use thutuc_domain::org::UnitSuccession;

use crate::RefError;
use crate::units::{Keys, REFORM_DAY};

const FILE: &str = "converter_2025.json";
const JSON: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/admin-units/converter_2025.json"
));

/// The converter file. Maps are ordered so the output is deterministic.
#[derive(Debug, Deserialize)]
struct Converter {
    /// New province key → old province keys.
    #[serde(rename = "DICT_PROVINCE")]
    province: BTreeMap<String, Vec<String>>,
    /// New province key → new ward key → old `province_district_ward` keys (whole merges).
    #[serde(rename = "DICT_PROVINCE_WARD_NO_DIVIDED")]
    no_divided: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// New province key → old `province_district_ward` key → candidate new wards (splits).
    #[serde(rename = "DICT_PROVINCE_WARD_DIVIDED")]
    divided: BTreeMap<String, BTreeMap<String, Vec<Candidate>>>,
}

/// One new ward that received part of a split old ward.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Candidate {
    new_ward_key: String,
    is_default_new_ward: bool,
}

/// Successions resolved from the converter, and the keys that could not be resolved.
pub(crate) struct Successions {
    pub(crate) successions: Vec<UnitSuccession>,
    pub(crate) unresolved: Vec<String>,
}

/// Resolves the converter against the current and legacy keys.
pub(crate) fn successions(current: &Keys, legacy: &Keys) -> Result<Successions, RefError> {
    let conv: Converter =
        serde_json::from_slice(JSON).map_err(|source| RefError::Json { file: FILE, source })?;
    let mut out = Successions {
        successions: Vec::new(),
        unresolved: Vec::new(),
    };

    // Provinces: an old province is partial when it went to more than one new province.
    let mut fan_out: HashMap<&str, usize> = HashMap::new();
    for olds in conv.province.values() {
        for old in olds {
            *fan_out.entry(old.as_str()).or_default() += 1;
        }
    }
    for (new_key, olds) in &conv.province {
        let Some(new) = resolve(&current.provinces, new_key, &mut out.unresolved) else {
            continue;
        };
        for old_key in olds {
            if let Some(old) = resolve(&legacy.provinces, old_key, &mut out.unresolved) {
                let partial = fan_out.get(old_key.as_str()).is_some_and(|n| *n > 1);
                out.push(old, new, partial);
            }
        }
    }

    for (prov, wards) in &conv.no_divided {
        for (ward, olds) in wards {
            let Some(new) = resolve(
                &current.units,
                &format!("{prov}_{ward}"),
                &mut out.unresolved,
            ) else {
                continue;
            };
            for old_key in olds {
                if let Some(old) = resolve(&legacy.units, old_key, &mut out.unresolved) {
                    out.push(old, new, false);
                }
            }
        }
    }

    for (prov, splits) in &conv.divided {
        for (old_key, candidates) in splits {
            let Some(old) = resolve(&legacy.units, old_key, &mut out.unresolved) else {
                continue;
            };
            // The converter's default ward first: consumers that need one answer take it.
            let ordered = candidates
                .iter()
                .filter(|c| c.is_default_new_ward)
                .chain(candidates.iter().filter(|c| !c.is_default_new_ward));
            for c in ordered {
                let key = format!("{prov}_{}", c.new_ward_key);
                if let Some(new) = resolve(&current.units, &key, &mut out.unresolved) {
                    out.push(old, new, true);
                }
            }
        }
    }
    Ok(out)
}

impl Successions {
    /// Records one succession effective on the reform day.
    fn push(&mut self, old: &str, new: &str, partial: bool) {
        self.successions.push(UnitSuccession {
            old: old.to_string(),
            new: new.to_string(),
            partial,
            effective: REFORM_DAY,
        });
    }
}

/// Looks a key up, recording it when it resolves to nothing.
fn resolve<'m>(
    map: &'m HashMap<String, String>,
    key: &str,
    unresolved: &mut Vec<String>,
) -> Option<&'m str> {
    let found = map.get(key).map(String::as_str);
    if found.is_none() {
        unresolved.push(key.to_string());
    }
    found
}
