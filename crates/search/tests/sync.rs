//! Catch-up from the store's change log and full rebuilds, against an in-memory fake of
//! `ProcedureStore` (only the reads the index uses are implemented).

use std::collections::BTreeMap;
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Duration, TimeZone, Utc};
use thutuc_domain::TthcCode;
use thutuc_domain::procedure::{ProcedureContent, ProcedureKind};
use thutuc_domain::version::{Procedure, ProcedureVersion, VersionStatus};
use thutuc_search::{DocStatus, SearchIndex, SearchRequest};
use thutuc_store::*;

/// A procedure, its current version (if any) and when its row last changed.
type Row = (Procedure, Option<ProcedureVersion>, DateTime<Utc>);

#[derive(Default)]
struct FakeStore {
    rows: Mutex<BTreeMap<String, Row>>,
    locs: Mutex<Vec<Localisation>>,
}

fn t(s: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_750_000_000 + s, 0)
        .single()
        .expect("time")
}

fn code(c: &str) -> TthcCode {
    TthcCode::parse(c).expect("code")
}

impl FakeStore {
    fn put(&self, c: &str, name: &str, status: Option<VersionStatus>, at: DateTime<Utc>) {
        let procedure = Procedure {
            code: code(c),
            kind: ProcedureKind::External,
            owner_org: "bo-tu-phap".into(),
            abolished: status == Some(VersionStatus::Abolished),
        };
        let version = status.map(|status| ProcedureVersion {
            code: code(c),
            seq: 1,
            status,
            valid_from: None,
            valid_to: None,
            decision_no: None,
            change_kind: None,
            changed_components: vec![],
            content: ProcedureContent {
                name: name.into(),
                sector: "Hộ tịch".into(),
                ..Default::default()
            },
            rev: 1,
            owner_org: "bo-tu-phap".into(),
        });
        self.rows
            .lock()
            .expect("lock")
            .insert(c.into(), (procedure, version, at));
    }
}

fn unsupported<T>() -> StoreResult<T> {
    Err(StoreError::Other("not used by the search index".into()))
}

#[async_trait]
impl ProcedureStore for FakeStore {
    async fn create_draft(&self, _: NewDraft) -> StoreResult<ProcedureVersion> {
        unsupported()
    }
    async fn update_draft(
        &self,
        _: &TthcCode,
        _: i64,
        _: i64,
        _: ProcedureContent,
    ) -> StoreResult<ProcedureVersion> {
        unsupported()
    }
    async fn set_draft_status(
        &self,
        _: &TthcCode,
        _: i64,
        _: i64,
        _: VersionStatus,
    ) -> StoreResult<ProcedureVersion> {
        unsupported()
    }
    async fn get_procedure(&self, c: &TthcCode) -> StoreResult<Procedure> {
        let rows = self.rows.lock().expect("lock");
        rows.get(c.as_str())
            .map(|r| r.0.clone())
            .ok_or_else(|| StoreError::NotFound(c.to_string()))
    }
    async fn current_version(&self, c: &TthcCode) -> StoreResult<ProcedureVersion> {
        let rows = self.rows.lock().expect("lock");
        rows.get(c.as_str())
            .and_then(|r| r.1.clone())
            .ok_or_else(|| StoreError::NotFound(c.to_string()))
    }
    async fn version(&self, _: &TthcCode, _: i64) -> StoreResult<ProcedureVersion> {
        unsupported()
    }
    async fn versions(&self, _: &TthcCode) -> StoreResult<Vec<VersionSummary>> {
        unsupported()
    }
    async fn list_procedures(&self, f: &ProcedureFilter) -> StoreResult<Page<ProcedureSummary>> {
        let rows = self.rows.lock().expect("lock");
        let items = rows
            .values()
            .skip(f.offset as usize)
            .take(f.limit as usize)
            .map(|(p, v, _)| ProcedureSummary {
                code: p.code.clone(),
                name: v
                    .as_ref()
                    .map(|v| v.content.name.clone())
                    .unwrap_or_default(),
                kind: p.kind,
                owner_org: p.owner_org.clone(),
                sector: String::new(),
                levels: vec![],
                abolished: p.abolished,
                current_seq: v.as_ref().map(|v| v.seq),
                draft_seq: None,
            })
            .collect();
        Ok(Page {
            items,
            total: rows.len() as i64,
            limit: f.limit,
            offset: f.offset,
        })
    }
    async fn import_batch(&self, _: &[ImportItem]) -> StoreResult<Vec<ImportOutcome>> {
        unsupported()
    }
    async fn upsert_localisation(&self, _: &Localisation) -> StoreResult<Localisation> {
        unsupported()
    }
    async fn localisations(&self, c: &TthcCode) -> StoreResult<Vec<Localisation>> {
        let locs = self.locs.lock().expect("lock");
        Ok(locs.iter().filter(|l| &l.code == c).cloned().collect())
    }
    async fn catalogue_counts(&self) -> StoreResult<CatalogueCounts> {
        unsupported()
    }
    async fn changed_since(&self, since: DateTime<Utc>) -> StoreResult<Vec<ChangedProcedure>> {
        let rows = self.rows.lock().expect("lock");
        Ok(rows
            .values()
            .filter(|r| r.2 >= since)
            .map(|(p, v, at)| ChangedProcedure {
                code: p.code.clone(),
                current_seq: v.as_ref().map(|v| v.seq),
                updated_at: *at,
            })
            .collect())
    }
}

fn hits(idx: &SearchIndex, q: &str) -> Vec<(String, DocStatus)> {
    idx.search(&SearchRequest::new(q, 10))
        .expect("search")
        .hits
        .into_iter()
        .map(|h| (h.code, h.status))
        .collect()
}

#[tokio::test]
async fn catch_up_indexes_publications_and_marks_abolitions() {
    let store = FakeStore::default();
    let idx = SearchIndex::in_memory().expect("index");
    store.put(
        "1.000001",
        "Đăng ký khai sinh",
        Some(VersionStatus::Published),
        t(10),
    );
    store.put("1.000002", "Đăng ký khai tử", None, t(11));
    let r = idx.sync_since(&store, t(0)).await.expect("sync");
    assert_eq!((r.upserted, r.removed, r.watermark), (1, 1, t(11)));
    assert_eq!(
        hits(&idx, "khai sinh"),
        [("1.000001".into(), DocStatus::InForce)]
    );

    // Overlapping windows re-read rows already applied: they are skipped.
    let again = idx
        .sync_since(&store, r.watermark - Duration::seconds(5))
        .await
        .expect("sync");
    assert_eq!((again.upserted, again.skipped), (0, 2));

    store.put(
        "1.000001",
        "Đăng ký khai sinh",
        Some(VersionStatus::Abolished),
        t(20),
    );
    let r = idx.sync_since(&store, r.watermark).await.expect("sync");
    assert_eq!(r.upserted, 1);
    assert_eq!(
        hits(&idx, "khai sinh"),
        [("1.000001".into(), DocStatus::Abolished)]
    );
}

#[tokio::test]
async fn localisations_make_local_codes_and_provinces_searchable() {
    let store = FakeStore::default();
    store.put(
        "1.000001",
        "Đăng ký khai sinh",
        Some(VersionStatus::Published),
        t(1),
    );
    store.locs.lock().expect("lock").push(Localisation {
        code: code("1.000001"),
        org_id: "tinh-ha-noi".into(),
        local_code: Some("1.000001.000.00.00.H26".into()),
        overrides: LocalOverrides::default(),
        central_seq: 1,
        drifted: false,
        rev: 1,
    });
    let idx = SearchIndex::in_memory().expect("index");
    idx.sync_since(&store, t(0)).await.expect("sync");
    assert_eq!(hits(&idx, "1.000001.000.00.00.H26").len(), 1);
    let mut req = SearchRequest::new("khai sinh", 10);
    req.filters.provinces = vec!["tinh-ha-noi".into()];
    let r = idx.search(&req).expect("search");
    assert_eq!(r.total, 1);
    assert_eq!(r.facets.provinces[0].value, "tinh-ha-noi");
}

#[tokio::test]
async fn a_rebuild_replaces_the_index_and_reports_progress() {
    let store = FakeStore::default();
    for i in 0..1_203 {
        store.put(
            &format!("2.{i:06}"),
            &format!("Thủ tục số {i}"),
            Some(VersionStatus::Published),
            t(i),
        );
    }
    store.put("3.000001", "Dự thảo chưa công bố", None, t(1));
    let idx = SearchIndex::in_memory().expect("index");
    idx.upsert(&thutuc_search::IndexDoc::from_content(
        "9.999999",
        ProcedureKind::External,
        "x",
        &ProcedureContent {
            name: "Stale".into(),
            ..Default::default()
        },
        DocStatus::InForce,
    ))
    .expect("upsert");
    idx.commit().expect("commit");
    let calls = Mutex::new(Vec::new());
    let n = idx
        .rebuild(&store, |done, total| {
            calls.lock().expect("lock").push((done, total))
        })
        .await
        .expect("rebuild");
    assert_eq!(n, 1_203);
    assert_eq!(idx.num_docs(), 1_203);
    assert!(hits(&idx, "stale").is_empty());
    let calls = calls.into_inner().expect("lock");
    assert_eq!(calls.last(), Some(&(1_204, 1_204)));
    assert_eq!(calls.len(), 3);
}
