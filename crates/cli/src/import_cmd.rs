//! `thutuc import FORMAT FILE`: parse a file, match organisations, write all or nothing
//! (or the good records with `--partial`), and print a summary with every rejection.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Args;
use thutuc_import::apply::{ImportOptions, ImportSummary, import_records};
use thutuc_import::{Format, ParsedRecord, Rejection};
use thutuc_store::{ApplyRequest, Store};

use crate::config::Config;

/// Arguments of `thutuc import`.
#[derive(Args, Debug)]
pub struct ImportArgs {
    /// portal-page, portal-json, structured, csdl-xlsx, decisions, or thutuc's own json, csv, xlsx.
    pub format: String,
    /// The file (.jsonl, .jsonl.gz, .xlsx).
    pub file: String,
    /// Commit the good records and report the rejected ones (default: all or nothing).
    #[arg(long)]
    pub partial: bool,
    /// Owning organisation for every record (default: matched from the data).
    #[arg(long)]
    pub org: Option<String>,
    /// Valid-from date of new versions (default: today, Vietnam time).
    #[arg(long)]
    pub valid_from: Option<String>,
    /// Parse and report only.
    #[arg(long)]
    pub dry_run: bool,
    /// For decisions: apply each decision after storing it.
    #[arg(long)]
    pub apply: bool,
}

/// Today in Vietnam (UTC+7).
pub fn today_vn() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()
}

/// Reads every record of a file in the given format, with a progress line on terminals.
pub fn read_file(
    format: Format,
    file: &str,
) -> anyhow::Result<Vec<Result<ParsedRecord, Rejection>>> {
    let bar = if std::io::stderr().is_terminal() {
        Some(indicatif::ProgressBar::new_spinner())
    } else {
        None
    };
    let tick = |n: usize| {
        if let Some(b) = &bar
            && n.is_multiple_of(100)
        {
            b.set_message(format!("{file}: {n} bản ghi"));
            b.tick();
        }
    };
    let mut out = Vec::new();
    match format {
        Format::CsdlXlsx => out = thutuc_import::read_csdl_xlsx(file)?,
        Format::PortalPage => {
            for r in thutuc_import::read_portal_pages(thutuc_import::open(file)?) {
                out.push(r);
                tick(out.len());
            }
        }
        Format::PortalJson => {
            for r in thutuc_import::read_portal_json(thutuc_import::open(file)?) {
                out.push(r);
                tick(out.len());
            }
        }
        Format::Structured => {
            for r in thutuc_import::read_structured(thutuc_import::open(file)?) {
                out.push(r);
                tick(out.len());
            }
        }
        Format::Decisions => anyhow::bail!("decisions are read by read_decisions"),
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(out)
}

fn print_summary(file: &str, s: &ImportSummary) {
    for r in &s.rejected {
        let col = r
            .column
            .as_deref()
            .map(|c| format!(", ô {c}"))
            .unwrap_or_default();
        eprintln!(
            "  {file}: dòng {}{col}, mã {}, trường «{}»: {}",
            r.line,
            r.code.as_deref().unwrap_or("-"),
            r.field,
            r.reason
        );
    }
    if !s.problems.is_empty() {
        let n: usize = s.problems.values().sum();
        eprintln!(
            "  {file}: {n} trường giữ nguyên văn bản gốc vì chưa phân tích được, ở {} thủ tục / fields kept as source text",
            s.problems.len()
        );
    }
    println!("{file}: {}", s.line());
}

/// Imports `records`: each batch written stores an `import.apply` audit entry (author
/// `cli:` and the operating-system user) in its own transaction, with what it did.
async fn import_audited<S: Store>(
    store: &S,
    records: Vec<Result<ParsedRecord, Rejection>>,
    opts: &ImportOptions,
    args: &ImportArgs,
) -> anyhow::Result<ImportSummary> {
    let e = crate::cli_audit::entry(
        "import.apply",
        ("import", &args.file),
        serde_json::json!({
            "file": args.file,
            "format": args.format,
            "org": args.org,
            "partial": args.partial,
        }),
    );
    let (out, _) =
        thutuc_store::audit_scope::audited(e, import_records(store, records, opts)).await;
    Ok(out?)
}

/// Runs an import.
pub async fn run<S: Store>(store: &S, cfg: &Config, args: ImportArgs) -> anyhow::Result<ExitCode> {
    crate::seed::ensure_reference(store).await?;
    let valid_from = match &args.valid_from {
        Some(v) => chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map_err(|_| anyhow::anyhow!("--valid-from «{v}» phải có dạng YYYY-MM-DD"))?,
        None => today_vn(),
    };
    if let Some(own) = thutuc_import::own::OwnFormat::parse(&args.format) {
        let records = thutuc_import::own::read_own(own, &args.file)?;
        let opts = ImportOptions {
            partial: args.partial,
            owner: args.org.clone(),
            valid_from,
            dry_run: args.dry_run,
            scope: None,
        };
        let summary = import_audited(store, records, &opts, &args).await?;
        print_summary(&args.file, &summary);
        return Ok(if summary.rejected.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        });
    }
    let format = Format::parse(&args.format)?;
    if format == Format::Decisions {
        return import_decisions(store, cfg, &args).await;
    }
    let records = read_file(format, &args.file)?;
    let opts = ImportOptions {
        partial: args.partial,
        owner: args.org.clone(),
        valid_from,
        dry_run: args.dry_run,
        scope: None,
    };
    let summary = import_audited(store, records, &opts, &args).await?;
    print_summary(&args.file, &summary);
    Ok(if summary.rejected.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

async fn import_decisions<S: Store>(
    store: &S,
    cfg: &Config,
    args: &ImportArgs,
) -> anyhow::Result<ExitCode> {
    let mut ok = Vec::new();
    let mut rejected = Vec::new();
    for r in thutuc_import::read_decisions(thutuc_import::open(&args.file)?) {
        match r {
            Ok(d) => ok.push(d),
            Err(e) => rejected.push(e),
        }
    }
    let summary = ImportSummary {
        read: ok.len() + rejected.len(),
        rejected,
        ..Default::default()
    };
    if !summary.rejected.is_empty() && !args.partial {
        print_summary(
            &args.file,
            &ImportSummary {
                rolled_back: true,
                ..summary
            },
        );
        return Ok(ExitCode::from(2));
    }
    let cal = cfg.calendar()?;
    let (mut created, mut unchanged) = (0, 0);
    for pd in ok {
        if args.dry_run {
            continue;
        }
        match store.get_decision(&pd.decision.number).await {
            Ok(_) => {
                unchanged += 1;
                continue;
            }
            Err(thutuc_store::StoreError::NotFound(_)) => {}
            Err(e) => return Err(e.into()),
        }
        let source = serde_json::json!({ "file": args.file, "line": pd.line });
        let entry = |action: &str| {
            crate::cli_audit::entry(action, ("decision", &pd.decision.number), source.clone())
        };
        let create = async {
            store
                .create_decision(&pd.decision, "import")
                .await
                .map_err(|e| anyhow::anyhow!("{}: dòng {}: {e}", args.file, pd.line))
        };
        let rec = crate::cli_audit::audited(store, entry("decision.create"), create).await?;
        created += 1;
        if args.apply {
            let t = pd.decision.timeliness(&cfg.publication, &|d, n| {
                cal.add_working_days(d, n).unwrap_or(d)
            });
            let apply = async {
                store
                    .apply_decision(&ApplyRequest {
                        number: pd.decision.number.clone(),
                        expected_rev: rec.rev,
                        applied_on: today_vn(),
                        timeliness: Some(t),
                        dry_run: false,
                    })
                    .await
                    .map_err(|e| anyhow::anyhow!("{}: dòng {}: {e}", args.file, pd.line))
            };
            crate::cli_audit::audited(store, entry("decision.apply"), apply).await?;
        }
    }
    print_summary(
        &args.file,
        &ImportSummary {
            created,
            unchanged,
            ..summary
        },
    );
    Ok(ExitCode::SUCCESS)
}
