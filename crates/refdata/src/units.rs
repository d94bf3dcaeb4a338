//! Administrative units from `data/admin-units/`: the 34 provinces and 3,321 communes in force
//! since 01/7/2025, and the historic 63 provinces, 696 districts and ~10k communes valid until
//! 30/6/2025. Also the maps from the converter's normalised keys to our ids.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use chrono::NaiveDate;
use serde::Deserialize;
use thutuc_domain::org::{OrgKind, Organisation};
use thutuc_domain::text;

use crate::RefError;

const CURRENT_FILE: &str = "admin_units_2025_34provinces.csv";
const CURRENT_CSV: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/admin-units/admin_units_2025_34provinces.csv"
));
const LEGACY_FILE: &str = "admin_units_legacy_63provinces.csv.gz";
const LEGACY_CSV_GZ: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/admin-units/admin_units_legacy_63provinces.csv.gz"
));

/// First day of the two-level local government (Law 72/2025/QH15).
pub(crate) const REFORM_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2025, 7, 1) {
    Some(d) => d,
    None => panic!("invalid reform date"),
};
/// Last day of the three-level local government.
const LAST_LEGACY_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2025, 6, 30) {
    Some(d) => d,
    None => panic!("invalid legacy date"),
};

/// The converter's normalised keys resolved to organisation ids.
#[derive(Debug, Default)]
pub(crate) struct Keys {
    /// `provinceKey` → province id.
    pub(crate) provinces: HashMap<String, String>,
    /// `province_ward` (current) or `province_district_ward` (legacy) → unit id. A legacy
    /// district without communes is keyed with an empty ward part and maps to the district.
    pub(crate) units: HashMap<String, String>,
}

/// Units of one list plus their keys.
pub(crate) struct Units {
    pub(crate) orgs: Vec<Organisation>,
    pub(crate) keys: Keys,
}

/// The columns we use from the current CSV.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CurrentRow {
    province: String,
    ward: String,
    province_code: String,
    ward_code: String,
    province_key: String,
    ward_key: String,
}

/// The columns we use from the legacy CSV.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LegacyRow {
    province: String,
    district: String,
    ward: String,
    province_code: String,
    district_code: String,
    ward_code: String,
    province_key: String,
    district_key: String,
    ward_key: String,
}

/// The 34 provinces and 3,321 communes in force since 01/7/2025.
pub(crate) fn load_current() -> Result<Units, RefError> {
    let rows: Vec<CurrentRow> = read_csv(CURRENT_FILE, CURRENT_CSV)?;
    let mut provinces = BTreeMap::new();
    let mut communes = BTreeMap::new();
    let mut keys = Keys::default();
    for r in &rows {
        let (pc, wc) = (
            code(CURRENT_FILE, &r.province_code)?,
            code(CURRENT_FILE, &r.ward_code)?,
        );
        let pid = format!("P{pc}");
        let wid = format!("W{wc}");
        provinces
            .entry(pc)
            .or_insert_with(|| unit(&pid, &r.province, OrgKind::Province, pc, "CP"));
        communes.insert((pc, wc), unit(&wid, &r.ward, OrgKind::Commune, wc, &pid));
        keys.provinces.insert(r.province_key.clone(), pid);
        keys.units
            .insert(format!("{}_{}", r.province_key, r.ward_key), wid);
    }
    let mut orgs: Vec<Organisation> = provinces
        .into_values()
        .chain(communes.into_values())
        .collect();
    for o in &mut orgs {
        o.valid_from = Some(REFORM_DAY);
    }
    Ok(Units { orgs, keys })
}

/// The 63 provinces, 696 districts and ~10k communes valid until 30/6/2025.
///
/// Rows with an empty `wardCode` are island districts without communes: they yield the
/// district only.
pub(crate) fn load_legacy() -> Result<Units, RefError> {
    let mut csv_bytes = Vec::with_capacity(7 << 20);
    flate2::read::GzDecoder::new(LEGACY_CSV_GZ)
        .read_to_end(&mut csv_bytes)
        .map_err(|e| RefError::Csv {
            file: LEGACY_FILE,
            source: e.into(),
        })?;
    let rows: Vec<LegacyRow> = read_csv(LEGACY_FILE, &csv_bytes)?;
    let mut provinces = BTreeMap::new();
    let mut districts = BTreeMap::new();
    let mut communes = BTreeMap::new();
    let mut keys = Keys::default();
    for r in &rows {
        let pc = code(LEGACY_FILE, &r.province_code)?;
        let dc = code(LEGACY_FILE, &r.district_code)?;
        let (pid, did) = (format!("LP{pc}"), format!("LD{dc}"));
        provinces
            .entry(pc)
            .or_insert_with(|| unit(&pid, &r.province, OrgKind::Province, pc, "CP"));
        districts
            .entry((pc, dc))
            .or_insert_with(|| unit(&did, &r.district, OrgKind::District, dc, &pid));
        keys.provinces.insert(r.province_key.clone(), pid);
        let key = format!("{}_{}_{}", r.province_key, r.district_key, r.ward_key);
        let wc = r.ward_code.trim();
        if wc.is_empty() {
            keys.units.insert(key, did);
            continue;
        }
        let wid = format!("LW{wc}");
        communes.insert(
            (pc, dc, wc),
            unit(&wid, &r.ward, OrgKind::Commune, wc, &did),
        );
        keys.units.insert(key, wid);
    }
    let mut orgs: Vec<Organisation> = provinces
        .into_values()
        .chain(districts.into_values())
        .chain(communes.into_values())
        .collect();
    for o in &mut orgs {
        o.valid_to = Some(LAST_LEGACY_DAY);
    }
    Ok(Units { orgs, keys })
}

/// Deserialises every row of a CSV file.
fn read_csv<T: serde::de::DeserializeOwned>(
    file: &'static str,
    bytes: &[u8],
) -> Result<Vec<T>, RefError> {
    csv::Reader::from_reader(bytes)
        .deserialize()
        .collect::<Result<_, _>>()
        .map_err(|source| RefError::Csv { file, source })
}

/// A statistical code: digits only, kept as a zero-padded string.
fn code<'a>(file: &str, s: &'a str) -> Result<&'a str, RefError> {
    let s = s.trim();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RefError::Data(format!("{file}: bad unit code {s:?}")));
    }
    Ok(s)
}

/// An administrative unit without validity dates (the callers set them).
fn unit(id: &str, name: &str, kind: OrgKind, admin_code: &str, parent: &str) -> Organisation {
    Organisation {
        id: id.to_string(),
        name: text::clean_inline(name),
        kind,
        eid: None,
        admin_code: Some(admin_code.to_string()),
        parent: Some(parent.to_string()),
        valid_from: None,
        valid_to: None,
    }
}
