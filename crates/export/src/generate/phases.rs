//! The later phases of [`super::generate_into`]: provincial localisations of central
//! procedures, and amendments published through real publication decisions.

use std::collections::{BTreeMap, HashSet};

use chrono::Duration;
use thutuc_domain::TthcCode;
use thutuc_domain::decision::{DecisionEntry, IssuerKind, PublicationDecision};
use thutuc_domain::org::{OrgKind, Organisation};
use thutuc_domain::version::ChangeKind;
use thutuc_store::{ApplyRequest, LocalOverrides, Localisation, Store};

use super::vary::{self, Rng};
use super::{GenerateError, GenerateSpec, Progress};

/// What later phases need to know about a generated procedure.
pub(super) struct Made {
    pub(super) code: TthcCode,
    pub(super) owner: String,
    pub(super) local: bool,
}

/// Creates up to `spec.localisations` provincial copies of local-level central procedures.
pub(super) async fn localise<S: Store>(
    store: &S,
    spec: &GenerateSpec,
    made: &[Made],
    provinces: &[Organisation],
    rng: &mut Rng,
    progress: Progress<'_>,
) -> Result<usize, GenerateError> {
    let pool: Vec<&Made> = made.iter().filter(|m| m.local).collect();
    let mut seen = HashSet::new();
    let mut done = 0;
    let mut attempts = 0;
    while done < spec.localisations && !pool.is_empty() && attempts < spec.localisations * 10 {
        attempts += 1;
        let (Some(m), Some(p)) = (rng.pick(&pool), rng.pick(provinces)) else {
            break;
        };
        if !seen.insert((m.code.clone(), p.id.clone())) {
            continue;
        }
        let eid = p
            .eid
            .clone()
            .unwrap_or_else(|| format!("000.00.00.H{}", p.admin_code.as_deref().unwrap_or("00")));
        let mut overrides = LocalOverrides {
            receiving_address: Some(format!("Trung tâm Phục vụ hành chính công {}", p.name)),
            ..Default::default()
        };
        if rng.below(3) == 0 {
            overrides.notes = format!(
                "Phí, lệ phí theo Nghị quyết của Hội đồng nhân dân {}.",
                p.name
            );
        }
        store
            .upsert_localisation(&Localisation {
                code: m.code.clone(),
                org_id: p.id.clone(),
                local_code: Some(format!("{}.{eid}", m.code)),
                overrides,
                central_seq: 1,
                drifted: false,
                rev: 0,
            })
            .await?;
        done += 1;
        if done.is_multiple_of(500) || done == spec.localisations {
            progress("localisations", done, spec.localisations);
        }
    }
    Ok(done)
}

/// Publishes `spec.versions` amendments through `spec.decisions` decisions.
pub(super) async fn publish<S: Store>(
    store: &S,
    spec: &GenerateSpec,
    made: &[Made],
    orgs: &[Organisation],
    rng: &mut Rng,
    progress: Progress<'_>,
) -> Result<(usize, usize), GenerateError> {
    if spec.versions == 0 || made.is_empty() {
        return Ok((0, 0));
    }
    let decisions = spec.decisions.max(1);
    let mut by_owner: BTreeMap<&str, Vec<&TthcCode>> = BTreeMap::new();
    for m in made {
        by_owner.entry(m.owner.as_str()).or_default().push(&m.code);
    }
    let owners: Vec<&str> = by_owner.keys().copied().collect();
    let kinds: BTreeMap<&str, OrgKind> = orgs.iter().map(|o| (o.id.as_str(), o.kind)).collect();
    let step = (1_800 / decisions as i64).max(1);
    let start = spec.valid_from + Duration::days(30);
    let (mut versions, mut applied) = (0, 0);
    for d in 0..decisions {
        let want = (spec.versions - versions).div_ceil(decisions - d);
        let Some(owner) = rng.pick(&owners).copied() else {
            break;
        };
        let pool = &by_owner[owner];
        let province = kinds.get(owner) == Some(&OrgKind::Province);
        let symbol = if province { "UBND" } else { owner };
        let signed = start + Duration::days(step * d as i64);
        let doc = if province {
            format!("{}/{}/NQ-HĐND", d + 1, signed.format("%Y"))
        } else {
            format!("{}/{}/TT-{symbol}", d + 1, signed.format("%Y"))
        };
        let mut chosen = HashSet::new();
        let mut entries = Vec::new();
        for _ in 0..want.min(pool.len()) * 3 {
            if entries.len() >= want.min(pool.len()) {
                break;
            }
            let Some(code) = rng.pick(pool).copied() else {
                break;
            };
            if !chosen.insert(code.clone()) {
                continue;
            }
            let cur = store.current_version(code).await?;
            let content = vary::amend(&cur.content, &doc, rng);
            entries.push(DecisionEntry {
                kind: ChangeKind::Amended,
                code: code.clone(),
                name: content.name.clone(),
                legal_document: Some(doc.clone()),
                effective_date: None,
                changed_components: vec![],
                internal: false,
                replaces: None,
                content: Some(content),
            });
        }
        if entries.is_empty() {
            continue;
        }
        let number = format!("{}/QĐ-{symbol}-G{}", 1_000 + d, spec.seed);
        let n = entries.len();
        let decision = PublicationDecision {
            number: number.clone(),
            title: format!("Quyết định {number} công bố thủ tục hành chính được sửa đổi, bổ sung"),
            signed_on: signed,
            effective_on: signed + Duration::days(20),
            issuer_org: owner.to_string(),
            issuer_kind: if province {
                IssuerKind::Province
            } else {
                IssuerKind::Ministry
            },
            shortened: false,
            applies_central: None,
            entries,
        };
        let rec = store.create_decision(&decision, "generator").await?;
        store
            .apply_decision(&ApplyRequest {
                number,
                expected_rev: rec.rev,
                applied_on: signed + Duration::days(2),
                timeliness: None,
                dry_run: false,
            })
            .await?;
        versions += n;
        applied += 1;
        progress("decisions", applied, decisions);
    }
    Ok((versions, applied))
}
