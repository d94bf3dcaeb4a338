//! Serves the portal and API on a SQLite database for load tests, generating a national-scale
//! catalogue first when the database is empty (the generator of `thutuc dev generate`).
//!
//! `cargo run --release -p thutuc-e2e --example portal_bench -- /tmp/bench.db 100000 127.0.0.1:8092`
//! then load it with `wrk` on 127.0.0.1 only (see the report in docs/benchmarks.md).

use std::net::SocketAddr;

use thutuc_store::{OrgStore, ProcedureStore};
use thutuc_store_sqlite::SqliteStore;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let db = args.get(1).map_or("/tmp/thutuc-bench.db", String::as_str);
    let n: usize = args.get(2).and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let listen = args.get(3).map_or("127.0.0.1:8092", String::as_str);
    let store = SqliteStore::connect(db).await?;
    if store.get_org("CP").await.is_err() {
        let data = thutuc_refdata::organisations()?;
        store.upsert_orgs(&data.orgs).await?;
        store.upsert_successions(&data.successions).await?;
        store.upsert_sectors(&data.sectors).await?;
    }
    if store.catalogue_counts().await?.procedures == 0 {
        let started = std::time::Instant::now();
        let spec = thutuc_export::generate::GenerateSpec {
            procedures: n,
            versions: n / 50,
            decisions: (n / 2500).max(1),
            ..Default::default()
        };
        let report =
            thutuc_export::generate::generate_into(&store, &spec, &mut |_, _, _| {}).await?;
        eprintln!(
            "generated {} procedures in {:.1?}",
            report.procedures,
            started.elapsed()
        );
    }
    let state = thutuc_web::AppState::new(
        store,
        thutuc_domain::params::PublicationRules::default(),
        thutuc_domain::calendar::Calendar::default_vn()?,
    )
    .await?;
    let indexed = state.reindex().await?;
    eprintln!("indexed {indexed} procedures");
    let app = thutuc_web::router(state);
    let listener = tokio::net::TcpListener::bind(listen).await?;
    eprintln!("serving on http://{listen}/");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await?;
    Ok(())
}
