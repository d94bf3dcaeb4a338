//! The scale generator: deterministic from its seed, writes what the spec asks for, and its
//! output exports like any catalogue.

use thutuc_export::generate::{GenerateSpec, generate, generate_into};
use thutuc_export::{ExportFilter, export_json};
use thutuc_store::{CatalogueCounts, OrgStore, ProcedureStore, Store};

async fn fresh() -> (thutuc_store_sqlite::SqliteStore, tempfile::TempDir) {
    let (s, dir) = thutuc_store_tests::sqlite().await;
    let data = thutuc_refdata::organisations().expect("refdata");
    s.upsert_orgs(&data.orgs).await.expect("orgs");
    (s, dir)
}

fn spec() -> GenerateSpec {
    GenerateSpec {
        seed: 42,
        procedures: 1_500,
        localisations: 60,
        versions: 90,
        decisions: 6,
        ..Default::default()
    }
}

async fn build<S: Store>(s: &S) -> (Vec<u8>, CatalogueCounts) {
    let mut phases = Vec::new();
    let report = generate_into(s, &spec(), &mut |p, d, t| {
        phases.push((p.to_string(), d, t))
    })
    .await
    .expect("generate");
    assert_eq!(report.procedures, 1_500);
    assert_eq!(report.localisations, 60);
    assert_eq!(report.versions, 90);
    assert_eq!(report.decisions, 6);
    assert!(phases.iter().any(|(p, d, t)| p == "procedures" && d == t));
    let mut out = Vec::new();
    export_json(s, &ExportFilter::default(), &mut out)
        .await
        .expect("export");
    (out, s.catalogue_counts().await.expect("counts"))
}

#[tokio::test]
async fn the_same_seed_builds_the_same_catalogue() {
    let (a, _da) = fresh().await;
    let (b, _db) = fresh().await;
    let (ea, ca) = build(&a).await;
    let (eb, cb) = build(&b).await;
    assert!(ea == eb, "exports differ");
    assert_eq!(ca, cb);
    assert_eq!(ca.procedures, 1_500);
    assert_eq!(ca.versions, 1_590);
    assert_eq!(ca.localisations, 60);
    assert_eq!(ca.decisions, 6);
}

#[test]
fn generated_procedures_have_valid_new_codes_and_real_owners() {
    let orgs = thutuc_refdata::organisations().expect("refdata").orgs;
    let items: Vec<_> = generate(
        &GenerateSpec {
            procedures: 5_000,
            ..spec()
        },
        &orgs,
    )
    .collect();
    assert_eq!(items.len(), 5_000);
    let real: std::collections::HashSet<String> = thutuc_export::generate::templates()
        .into_iter()
        .map(|t| t.code)
        .collect();
    let mut codes = std::collections::HashSet::new();
    for it in &items {
        assert!(codes.insert(it.code.clone()), "duplicate {}", it.code);
        assert!(!real.contains(it.code.as_str()), "real code reused");
        assert!(
            orgs.iter()
                .any(|o| o.id == it.owner_org && o.valid_to.is_none())
        );
        assert!(!it.content.name.is_empty());
    }
    let provincial = items
        .iter()
        .filter(|i| i.owner_org.starts_with('P'))
        .count();
    assert!(
        (2_500..3_500).contains(&provincial),
        "{provincial} provincial"
    );
}

#[tokio::test]
async fn localised_procedures_carry_a_local_service_code() {
    let (a, _da) = fresh().await;
    build(&a).await;
    let page = a
        .list_procedures(&thutuc_store::ProcedureFilter {
            limit: 500,
            ..Default::default()
        })
        .await
        .expect("list");
    let mut found = 0;
    for p in &page.items {
        for l in a.localisations(&p.code).await.expect("locs") {
            found += 1;
            let code = l.local_code.expect("local code");
            assert!(code.starts_with(p.code.as_str()), "{code}");
        }
    }
    assert!(found > 0);
    let _ = a.get_org("CP").await.expect("orgs loaded");
}
