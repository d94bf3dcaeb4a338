//! The scale generator: a realistic national-scale catalogue built from the real records as
//! templates (their names, fields, agencies, channel and fee patterns), deterministic from a
//! seed, for benchmarks and load tests (`thutuc dev generate`).
//!
//! - **Procedures** ([`generate`]): template `i` is drawn at random; the code keeps the
//!   template's prefix digit with six new random digits (never a real code, never reused);
//!   owners are spread over the current ministries (40 %) and the 34 provinces (60 %);
//!   time limits and fees are the template's scaled by realistic factors. Written with
//!   `import_batch` in chunks of 1,000, valid from [`GenerateSpec::valid_from`].
//! - **Localisations**: provincial copies of central procedures carried out at provincial or
//!   commune level, with a local service code `<code>.<province eid>` and local overrides.
//! - **Versions**: `versions` amendments published by `decisions` publication decisions
//!   (one issuer each, dated one after another), created with `create_decision` and applied
//!   with `apply_decision`, so every amendment goes through the real publication path.

mod phases;
mod templates;
mod vary;

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use thutuc_domain::TthcCode;
use thutuc_domain::org::{OrgKind, Organisation, Sector};
use thutuc_store::{ImportItem, Store, StoreError};

pub use templates::{Template, real_records, templates};
pub use vary::Rng;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateSpec {
    /// Seed: the same seed and spec give the same catalogue.
    pub seed: u64,
    /// Procedures (N).
    pub procedures: usize,
    /// Provincial localisations (M).
    pub localisations: usize,
    /// Amended versions in total (K), beyond each procedure's first version.
    pub versions: usize,
    /// Publication decisions (D) that publish the amendments.
    pub decisions: usize,
    /// Valid-from of the first versions.
    pub valid_from: NaiveDate,
}

impl Default for GenerateSpec {
    fn default() -> Self {
        Self {
            seed: 2025,
            procedures: 1_000,
            localisations: 0,
            versions: 0,
            decisions: 0,
            valid_from: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default(),
        }
    }
}

/// What [`generate_into`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GenerateReport {
    /// Procedures created.
    pub procedures: usize,
    /// Localisations created.
    pub localisations: usize,
    /// Amended versions created.
    pub versions: usize,
    /// Decisions created and applied.
    pub decisions: usize,
}

/// Progress of [`generate_into`]: phase name, done, total.
pub type Progress<'a> = &'a mut dyn FnMut(&str, usize, usize);

/// Why generation stopped.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The store failed.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// The organisations are not loaded.
    #[error(
        "chưa có dữ liệu tổ chức (bộ, tỉnh); chạy `thutuc migrate` trước / reference organisations missing"
    )]
    NoOrganisations,
}

/// The current ministries (and ministry-level bodies) and provinces: the owners.
pub fn owners(orgs: &[Organisation]) -> (Vec<Organisation>, Vec<Organisation>) {
    let current = |o: &&Organisation| o.valid_to.is_none();
    let central = orgs
        .iter()
        .filter(current)
        .filter(|o| matches!(o.kind, OrgKind::Ministry | OrgKind::MinistryLevel))
        .cloned()
        .collect();
    let provinces = orgs
        .iter()
        .filter(current)
        .filter(|o| o.kind == OrgKind::Province)
        .cloned()
        .collect();
    (central, provinces)
}

/// The procedures of a catalogue (first versions), generated lazily.
pub struct Generator {
    rng: Rng,
    templates: Vec<Template>,
    central: Vec<Organisation>,
    provinces: Vec<Organisation>,
    used: HashSet<String>,
    left: usize,
    valid_from: NaiveDate,
}

impl Generator {
    /// A generator over the embedded templates and the given organisations.
    pub fn new(spec: &GenerateSpec, orgs: &[Organisation]) -> Self {
        let templates = templates();
        let (central, provinces) = owners(orgs);
        let used = templates.iter().map(|t| t.code.clone()).collect();
        Self {
            rng: Rng::new(spec.seed),
            templates,
            central,
            provinces,
            used,
            left: spec.procedures,
            valid_from: spec.valid_from,
        }
    }

    /// The templates in use.
    pub fn templates(&self) -> &[Template] {
        &self.templates
    }

    fn code(&mut self, prefix: char) -> Option<TthcCode> {
        for _ in 0..1_000 {
            let c = format!("{prefix}.{:06}", self.rng.below(1_000_000));
            if self.used.insert(c.clone()) {
                return TthcCode::parse(&c).ok();
            }
        }
        None
    }
}

impl Iterator for Generator {
    type Item = ImportItem;

    fn next(&mut self) -> Option<ImportItem> {
        if self.left == 0 || self.templates.is_empty() {
            return None;
        }
        self.left -= 1;
        let t = self.rng.below(self.templates.len());
        let prefix = self.templates[t].code.chars().next().unwrap_or('1');
        let code = self.code(prefix)?;
        let pool = if self.rng.below(10) < 4 || self.provinces.is_empty() {
            &self.central
        } else {
            &self.provinces
        };
        let owner = self.rng.pick(pool)?.clone();
        let tpl = &self.templates[t];
        let mut content = vary::derive(&tpl.content, &owner, &mut self.rng);
        content.sector_id = Some(Sector::id_for(&content.sector)).filter(|s| !s.is_empty());
        let symbol = if owner.kind == OrgKind::Province {
            "UBND"
        } else {
            owner.id.as_str()
        };
        let decision_no = format!("{}/QĐ-{symbol}", 1 + self.rng.below(4_000));
        Some(ImportItem {
            code,
            kind: tpl.kind,
            owner_org: owner.id,
            decision_no: Some(decision_no),
            content,
            list_only: false,
            valid_from: self.valid_from,
        })
    }
}

/// The procedures of a catalogue (first versions), deterministic from the seed.
pub fn generate(spec: &GenerateSpec, orgs: &[Organisation]) -> Generator {
    Generator::new(spec, orgs)
}

/// Builds the catalogue in `store` (which should not already hold generated codes).
pub async fn generate_into<S: Store>(
    store: &S,
    spec: &GenerateSpec,
    progress: Progress<'_>,
) -> Result<GenerateReport, GenerateError> {
    let orgs = store.all_orgs().await?;
    let mut gen_ = generate(spec, &orgs);
    if gen_.central.is_empty() && gen_.provinces.is_empty() {
        return Err(GenerateError::NoOrganisations);
    }
    let mut sectors: BTreeMap<String, Sector> = BTreeMap::new();
    for t in gen_.templates() {
        let id = Sector::id_for(&t.content.sector);
        if !id.is_empty() {
            sectors.entry(id.clone()).or_insert_with(|| Sector {
                id,
                name: t.content.sector.clone(),
                owner_org: None,
            });
        }
    }
    store
        .upsert_sectors(&sectors.into_values().collect::<Vec<_>>())
        .await?;
    let mut made: Vec<phases::Made> = Vec::with_capacity(spec.procedures);
    let mut report = GenerateReport::default();
    let central: HashSet<String> = gen_.central.iter().map(|o| o.id.clone()).collect();
    let mut chunk = Vec::with_capacity(1_000);
    loop {
        chunk.clear();
        chunk.extend(gen_.by_ref().take(1_000));
        if chunk.is_empty() {
            break;
        }
        store.import_batch(&chunk).await?;
        for it in &chunk {
            let local = it.content.levels.iter().any(|l| {
                matches!(
                    l,
                    thutuc_domain::procedure::Level::Province
                        | thutuc_domain::procedure::Level::Commune
                )
            });
            made.push(phases::Made {
                code: it.code.clone(),
                owner: it.owner_org.clone(),
                local: local && central.contains(&it.owner_org),
            });
        }
        report.procedures = made.len();
        progress("procedures", made.len(), spec.procedures);
    }
    let mut rng = Rng::new(spec.seed.wrapping_add(1));
    report.localisations =
        phases::localise(store, spec, &made, &gen_.provinces, &mut rng, progress).await?;
    let (v, d) = phases::publish(store, spec, &made, &orgs, &mut rng, progress).await?;
    report.versions = v;
    report.decisions = d;
    Ok(report)
}
