//! `thutuc report`: statistics reports as files. `monthly --month YYYY-MM`, or `period
//! --period 2025-Q1|2025-H1|2025|FROM..TO`, for the whole country or one organisation
//! subtree, in xlsx, csv, json, html (print to PDF) or docx. `--freeze` also records the
//! report as an edition (a correction gets a new edition with its changelog).

use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use thutuc_reports::output::{Format, render};
use thutuc_reports::service::{ReportEnv, ReportRequest, build};
use thutuc_reports::template::{DocumentParams, ReportTemplate};
use thutuc_reports::{DateBasis, Period, edition};
use thutuc_store::{EditionOutcome, Store};

use crate::config::Config;

/// Report commands.
#[derive(Subcommand, Debug)]
pub enum ReportCmd {
    /// Monthly report (the previous month by default).
    Monthly {
        /// Month, YYYY-MM.
        #[arg(long)]
        month: Option<String>,
        #[command(flatten)]
        common: ReportArgs,
    },
    /// Quarterly (YYYY-Qn), six-monthly (YYYY-Hn), yearly (YYYY) or date-range (FROM..TO) report.
    Period {
        /// The period.
        #[arg(long)]
        period: String,
        #[command(flatten)]
        common: ReportArgs,
    },
}

/// Options shared by every report.
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Organisation id (with its subtree); national when absent.
    #[arg(long)]
    pub org: Option<String>,
    /// Output format: xlsx, csv, json, html, docx (PDF: print the html).
    #[arg(long, default_value = "xlsx")]
    pub format: String,
    /// Output file.
    #[arg(long)]
    pub out: String,
    /// Reference date: signed (default) or effective.
    #[arg(long, default_value = "signed")]
    pub date: String,
    /// Template JSON (headings, texts, recipients); the built-in Vietnamese one by default.
    #[arg(long)]
    pub template: Option<String>,
    /// Place printed in the document's date line.
    #[arg(long, default_value = "Hà Nội")]
    pub place: String,
    /// Also freeze the report as an edition.
    #[arg(long)]
    pub freeze: bool,
}

/// Runs a report command.
pub async fn run<S: Store>(store: &S, cfg: &Config, cmd: ReportCmd) -> anyhow::Result<ExitCode> {
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    let (period, a) = match cmd {
        ReportCmd::Monthly { month, common } => {
            let p = match month {
                Some(m) if m.len() == 7 => Period::parse(&m)?,
                Some(m) => anyhow::bail!("--month «{m}»: dùng YYYY-MM"),
                None => Period::previous_month(today),
            };
            (p, common)
        }
        ReportCmd::Period { period, common } => (Period::parse(&period)?, common),
    };
    let format = Format::parse(&a.format).ok_or_else(|| {
        anyhow::anyhow!(
            "--format «{}»: dùng xlsx, csv, json, html hoặc docx",
            a.format
        )
    })?;
    let basis = DateBasis::parse(&a.date)
        .ok_or_else(|| anyhow::anyhow!("--date «{}»: dùng signed hoặc effective", a.date))?;
    let template = match &a.template {
        Some(f) => ReportTemplate::parse(
            &std::fs::read_to_string(f).map_err(|e| anyhow::anyhow!("{f}: {e}"))?,
        )?,
        None => ReportTemplate::default_vi()?,
    };
    let env = ReportEnv::load(
        store,
        Arc::new(cfg.publication.clone()),
        Arc::new(cfg.calendar()?),
    )
    .await?;
    let req = ReportRequest {
        period,
        basis,
        scope: a.org.clone(),
    };
    let report = build(store, &env, &req, today).await?;
    let doc = DocumentParams {
        place: a.place.clone(),
        date: today,
        number: "      ".into(),
        issuer_symbol: a.org.clone().unwrap_or_else(|| "VPCP".into()),
    };
    let bytes = render(&report, &template, &doc, format)?;
    // Write to a temporary file and rename, so a failure never leaves half a report.
    let tmp = format!("{}.part", a.out);
    std::fs::write(&tmp, &bytes).map_err(|e| anyhow::anyhow!("{tmp}: {e}"))?;
    std::fs::rename(&tmp, &a.out).map_err(|e| anyhow::anyhow!("{}: {e}", a.out))?;
    let n = &report.national.total;
    println!(
        "{} — {}: mới {}, sửa đổi {}, thay thế {}, bãi bỏ {}; đang có hiệu lực {} → {} ({})",
        report.meta.period_label,
        report.meta.scope_name,
        n.new,
        n.amended,
        n.replaced,
        n.abolished,
        report.stock.start,
        report.stock.end,
        a.out
    );
    if a.freeze {
        match edition::freeze(store, &env, &req, today, "manual").await? {
            EditionOutcome::Created(e) => println!(
                "Đã lưu ấn bản {} / edition {} frozen",
                e.edition_no, e.edition_no
            ),
            EditionOutcome::Unchanged(e) => println!(
                "Ấn bản {} không đổi / edition {} unchanged",
                e.edition_no, e.edition_no
            ),
        }
    }
    Ok(ExitCode::SUCCESS)
}
