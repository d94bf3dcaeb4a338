//! `thutuc dev …`: developer tools. `thutuc dev generate --procedures N --localisations M
//! --versions K --decisions D [--seed S]` builds a national-scale catalogue from the real
//! records as templates (see `thutuc_export::generate`), for benchmarks and load tests.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use thutuc_export::generate::{GenerateSpec, generate_into};
use thutuc_store::Store;

/// Developer subcommands.
#[derive(Subcommand, Debug)]
pub enum DevCmd {
    /// Generate a realistic catalogue (deterministic from the seed).
    Generate(GenerateArgs),
}

/// Arguments of `thutuc dev generate`.
#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// Procedures to create (N).
    #[arg(long, default_value_t = 1_000)]
    pub procedures: usize,
    /// Provincial localisations of central procedures (M).
    #[arg(long, default_value_t = 0)]
    pub localisations: usize,
    /// Amended versions in total (K), beyond each procedure's first.
    #[arg(long, default_value_t = 0)]
    pub versions: usize,
    /// Publication decisions publishing the amendments (D; default K/50, at least 1).
    #[arg(long)]
    pub decisions: Option<usize>,
    /// Seed.
    #[arg(long, default_value_t = 2025)]
    pub seed: u64,
    /// Valid-from of the first versions (YYYY-MM-DD, default 2020-01-01).
    #[arg(long)]
    pub valid_from: Option<String>,
}

/// Runs a developer subcommand.
pub async fn run<S: Store>(store: &S, cmd: DevCmd) -> anyhow::Result<ExitCode> {
    let DevCmd::Generate(a) = cmd;
    if store.get_org("CP").await.is_err() {
        let data = thutuc_refdata::organisations()
            .map_err(|e| anyhow::anyhow!("dữ liệu tham chiếu: {e}"))?;
        store.upsert_orgs(&data.orgs).await?;
        store.upsert_successions(&data.successions).await?;
        store.upsert_sectors(&data.sectors).await?;
    }
    let mut spec = GenerateSpec {
        seed: a.seed,
        procedures: a.procedures,
        localisations: a.localisations,
        versions: a.versions,
        decisions: a.decisions.unwrap_or((a.versions / 50).max(1)),
        ..Default::default()
    };
    if let Some(v) = &a.valid_from {
        spec.valid_from = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map_err(|_| anyhow::anyhow!("--valid-from «{v}» phải có dạng YYYY-MM-DD"))?;
    }
    let started = std::time::Instant::now();
    let bar = std::io::stderr()
        .is_terminal()
        .then(indicatif::ProgressBar::new_spinner);
    let mut last = String::new();
    let mut progress = |phase: &str, done: usize, total: usize| {
        let line = format!("{phase}: {done}/{total}");
        match &bar {
            Some(b) => {
                b.set_message(line);
                b.tick();
            }
            None if phase != last || done == total || done.is_multiple_of(10_000) => {
                eprintln!("{line}");
                last = phase.to_string();
            }
            None => {}
        }
    };
    let report = generate_into(store, &spec, &mut progress).await?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    println!(
        "đã tạo / generated: {} thủ tục, {} bản địa phương, {} phiên bản sửa đổi qua {} quyết định, trong {:.1} s (seed {})",
        report.procedures,
        report.localisations,
        report.versions,
        report.decisions,
        started.elapsed().as_secs_f64(),
        spec.seed
    );
    Ok(ExitCode::SUCCESS)
}
