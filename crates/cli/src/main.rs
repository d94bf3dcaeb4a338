//! `thutuc`: one binary for the whole platform. Subcommands parse their arguments, open the
//! configured store (SQLite or PostgreSQL, chosen once here) and call into the library crates.

mod calendar_cmd;
mod cli_audit;
mod config;
mod demo;
mod demo_feedback;
mod demo_tasks;
mod dev_cmd;
mod export_cmd;
mod import_cmd;
mod report_cmd;
mod search_cmd;
mod seed;
mod serve;
mod users;

use clap::{Parser, Subcommand};

/// Opens the store named by a URL and runs `$body` with it bound to `$s`: the one runtime
/// choice of backend; everything below is generic over `Store`.
#[macro_export]
macro_rules! with_store {
    ($url:expr, |$s:ident| $body:expr) => {{
        let url: &str = $url;
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let $s = thutuc_store_postgres::PgStore::connect(url)
                .await
                .map_err(|e| anyhow::anyhow!("{url}: {e}"))?;
            $body
        } else {
            $crate::serve::ensure_sqlite_dir(url)?;
            let $s = thutuc_store_sqlite::SqliteStore::connect(url)
                .await
                .map_err(|e| anyhow::anyhow!("{url}: {e}"))?;
            $body
        }
    }};
}

/// thutuc — danh mục và cải cách thủ tục hành chính / administrative-procedure catalogue and reform.
#[derive(Parser, Debug)]
#[command(name = "thutuc", version, about, long_about = None)]
struct Cli {
    /// Configuration file (default: ./thutuc.toml if present).
    #[arg(long, global = true)]
    config: Option<String>,
    /// Database URL (overrides configuration): sqlite://path or postgres://…
    #[arg(long, global = true, env = "THUTUC_DB")]
    db: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the web portal and the API.
    Serve {
        /// Listen address (default 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<String>,
    },
    /// Build a fresh demo database with real data and serve it.
    Demo {
        /// Listen address (default 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<String>,
        /// Build the database and exit without serving.
        #[arg(long)]
        no_serve: bool,
    },
    /// Create or upgrade the database schema and load the reference organisations.
    Migrate,
    /// Users and API tokens.
    #[command(subcommand)]
    User(users::UserCmd),
    /// Working-day calendar: Tết, lunar dates, holidays, deadline arithmetic.
    #[command(subcommand)]
    Calendar(calendar_cmd::CalendarCmd),
    /// Import procedures or decisions from a file.
    Import(import_cmd::ImportArgs),
    /// Export the catalogue: json, csv, xlsx (re-importable) or cpsv-jsonld (CPSV-AP 3.2.0).
    Export(export_cmd::ExportArgs),
    /// Developer tools: scale generator.
    #[command(subcommand)]
    Dev(dev_cmd::DevCmd),
    /// Audit log: verify the hash chain.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Search index: rebuild from the database.
    #[command(subcommand)]
    Search(search_cmd::SearchCmd),
    /// Statistics reports: procedures issued, amended, replaced, abolished by period.
    #[command(subcommand)]
    Report(report_cmd::ReportCmd),
}

/// Audit commands.
#[derive(Subcommand, Debug)]
enum AuditCmd {
    /// Check that no audit row was edited, removed or cut from the end.
    Verify,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("lỗi khởi động / cannot start runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("lỗi / error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<std::process::ExitCode> {
    let mut cfg = config::Config::load(cli.config.as_deref())?;
    if let Some(db) = cli.db {
        cfg.db = db;
    }
    match cli.command {
        Command::Serve { listen } => {
            if let Some(l) = listen {
                cfg.listen = l;
            }
            with_store!(&cfg.db.clone(), |s| serve::serve(s, &cfg, None).await)?;
        }
        Command::Demo { listen, no_serve } => {
            if let Some(l) = listen {
                cfg.listen = l;
            }
            demo::run(cfg, no_serve).await?;
        }
        Command::Migrate => {
            with_store!(&cfg.db.clone(), |s| seed::load_reference(&s).await)?;
            println!(
                "Đã tạo/cập nhật lược đồ và dữ liệu tổ chức / schema and organisations up to date: {}",
                cfg.db
            );
        }
        Command::User(cmd) => with_store!(&cfg.db.clone(), |s| users::run(&s, cmd).await)?,
        Command::Calendar(calendar_cmd::CalendarCmd::Import { file }) => {
            return with_store!(&cfg.db.clone(), |s| calendar_cmd::import(&s, &cfg, &file)
                .await);
        }
        Command::Calendar(cmd) => {
            return with_store!(&cfg.db.clone(), |s| calendar_cmd::run(&s, &cfg, cmd).await);
        }
        Command::Import(args) => {
            return with_store!(&cfg.db.clone(), |s| import_cmd::run(&s, &cfg, args).await);
        }
        Command::Export(args) => {
            return with_store!(&cfg.db.clone(), |s| export_cmd::run(&s, args).await);
        }
        Command::Dev(cmd) => return with_store!(&cfg.db.clone(), |s| dev_cmd::run(&s, cmd).await),
        Command::Audit(AuditCmd::Verify) => {
            let (ok, line) = with_store!(&cfg.db.clone(), |s| {
                let v = thutuc_web::pages::audit::verify(&s).await?;
                thutuc_web::pages::audit::verify_report(&v)
            });
            println!("{line}");
            return Ok(if ok {
                std::process::ExitCode::SUCCESS
            } else {
                std::process::ExitCode::FAILURE
            });
        }
        Command::Search(cmd) => {
            return with_store!(&cfg.db.clone(), |s| search_cmd::run(&s, cmd).await);
        }
        Command::Report(cmd) => {
            return with_store!(&cfg.db.clone(), |s| report_cmd::run(&s, &cfg, cmd).await);
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}
