//! Reference data in the database: organisations (central bodies, 34 provinces and 3,321
//! communes, historic units with successions) and fields, from `thutuc-refdata` (embedded).

use thutuc_store::Store;

/// Loads (upserts) the reference organisations, successions and fields.
pub async fn load_reference<S: Store>(s: &S) -> anyhow::Result<()> {
    let data =
        thutuc_refdata::organisations().map_err(|e| anyhow::anyhow!("dữ liệu tham chiếu: {e}"))?;
    s.upsert_orgs(&data.orgs).await?;
    s.upsert_successions(&data.successions).await?;
    s.upsert_sectors(&data.sectors).await?;
    Ok(())
}

/// Loads the reference data when the database has no organisations yet (first run).
pub async fn ensure_reference<S: Store>(s: &S) -> anyhow::Result<()> {
    if s.get_org("CP").await.is_err() {
        tracing::info!("cơ sở dữ liệu mới: nạp dữ liệu tổ chức / loading reference organisations");
        load_reference(s).await?;
    }
    Ok(())
}
