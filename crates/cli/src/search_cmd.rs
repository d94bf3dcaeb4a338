//! `thutuc search reindex`: rebuilds the search index from the database with a progress bar.
//! Servers build their own in-memory index at start and keep it in step with the database's
//! change log; this command rebuilds an on-disk copy (and measures the rebuild).

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Subcommand;
use thutuc_store::Store;

/// Search commands.
#[derive(Subcommand, Debug)]
pub enum SearchCmd {
    /// Rebuild the index from the database.
    Reindex {
        /// Directory of the on-disk index (replaced).
        #[arg(long, default_value = "thutuc-data/search-index")]
        dir: String,
    },
}

/// Runs a search command.
pub async fn run<S: Store>(store: &S, cmd: SearchCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        SearchCmd::Reindex { dir } => {
            let path = std::path::PathBuf::from(&dir);
            if path.exists() {
                std::fs::remove_dir_all(&path).map_err(|e| anyhow::anyhow!("{dir}: {e}"))?;
            }
            std::fs::create_dir_all(&path).map_err(|e| anyhow::anyhow!("{dir}: {e}"))?;
            let index = thutuc_search::SearchIndex::open(thutuc_search::SearchConfig {
                dir: Some(path),
                ..Default::default()
            })?;
            let bar = std::io::stderr().is_terminal().then(|| {
                let b = indicatif::ProgressBar::new(0);
                b.set_style(
                    indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} thủ tục ({eta})")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                b
            });
            let started = std::time::Instant::now();
            let n = index
                .rebuild(store, |done, total| match &bar {
                    Some(b) => {
                        b.set_length(total);
                        b.set_position(done);
                    }
                    None if done % 10_000 == 0 || done == total => eprintln!("{done}/{total}"),
                    None => {}
                })
                .await?;
            if let Some(b) = bar {
                b.finish_and_clear();
            }
            println!(
                "Đã lập chỉ mục {n} thủ tục trong {:.1} s / indexed {n} procedures; {} MB tại {dir}",
                started.elapsed().as_secs_f64(),
                index.size_bytes().unwrap_or(0) / 1_000_000
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
