//! `thutuc export --format json|csv|xlsx|cpsv-jsonld [filters] [--output FILE]`: open data
//! out of the catalogue. Filters: `--org` (repeatable; the organisation and its whole
//! subtree, by id or name), `--sector` (id or name), `--level`, `--status`, `--kind`.
//! A file is written to a temporary name and renamed at the end, so a failed export leaves
//! nothing half-written; without `--output` the export goes to standard output.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use clap::Args;
use thutuc_domain::org::Sector;
use thutuc_domain::procedure::{Level, ProcedureKind};
use thutuc_export::cpsv::{CpsvOptions, export_cpsv};
use thutuc_export::own::{ExportFormat, ExportStats};
use thutuc_export::{ExportFilter, expand_subtree, export_csv, export_json, export_xlsx};
use thutuc_refdata::OrgIndex;
use thutuc_store::{ProcedureStatusFilter, Store};

/// Arguments of `thutuc export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// json, csv, xlsx or cpsv-jsonld.
    #[arg(long, short)]
    pub format: String,
    /// Output file (default: standard output).
    #[arg(long, short)]
    pub output: Option<String>,
    /// Owning organisation (id or name), with its subtree; repeatable.
    #[arg(long = "org")]
    pub orgs: Vec<String>,
    /// Sector (lĩnh vực): id or name.
    #[arg(long)]
    pub sector: Option<String>,
    /// Level: ministry, province, commune, other (or "Cấp tỉnh" …).
    #[arg(long)]
    pub level: Option<String>,
    /// in_force, abolished or has_draft.
    #[arg(long)]
    pub status: Option<String>,
    /// external or internal.
    #[arg(long)]
    pub kind: Option<String>,
    /// Base IRI of the CPSV-AP identifiers (default https://w3id.org/thutuc/id/).
    #[arg(long)]
    pub base_iri: Option<String>,
}

async fn filter<S: Store>(store: &S, args: &ExportArgs) -> anyhow::Result<ExportFilter> {
    let mut f = ExportFilter::default();
    if !args.orgs.is_empty() {
        let orgs = store.all_orgs().await?;
        let index = OrgIndex::new(&orgs);
        let mut roots = Vec::new();
        for q in &args.orgs {
            let o = index.find(q).ok_or_else(|| {
                anyhow::anyhow!("--org «{q}»: không tìm thấy tổ chức / unknown organisation")
            })?;
            roots.push(o.id.clone());
        }
        f.owner_orgs = Some(expand_subtree(&orgs, &roots));
    }
    if let Some(s) = &args.sector {
        let sectors = store.sectors().await?;
        f.sector = Some(
            sectors
                .iter()
                .find(|x| x.id == *s)
                .map_or_else(|| Sector::id_for(s), |x| x.id.clone()),
        );
    }
    if let Some(l) = &args.level {
        f.level =
            Some(Level::parse(l).ok_or_else(|| anyhow::anyhow!("--level «{l}» không hợp lệ"))?);
    }
    if let Some(s) = &args.status {
        f.status = Some(match s.as_str() {
            "in_force" => ProcedureStatusFilter::InForce,
            "abolished" => ProcedureStatusFilter::Abolished,
            "has_draft" => ProcedureStatusFilter::HasDraft,
            _ => anyhow::bail!("--status «{s}»: dùng in_force, abolished hoặc has_draft"),
        });
    }
    if let Some(k) = &args.kind {
        f.kind = Some(
            ProcedureKind::parse(k)
                .ok_or_else(|| anyhow::anyhow!("--kind «{k}»: dùng external hoặc internal"))?,
        );
    }
    Ok(f)
}

async fn write<S: Store, W: Write>(
    store: &S,
    format: ExportFormat,
    f: &ExportFilter,
    args: &ExportArgs,
    w: W,
) -> anyhow::Result<ExportStats> {
    Ok(match format {
        ExportFormat::Json => export_json(store, f, w).await?,
        ExportFormat::Csv => export_csv(store, f, w).await?,
        ExportFormat::Xlsx => export_xlsx(store, f, w).await?,
        ExportFormat::CpsvJsonld => {
            let mut opts = CpsvOptions::default();
            if let Some(b) = &args.base_iri {
                opts.base = if b.ends_with('/') {
                    b.clone()
                } else {
                    format!("{b}/")
                };
            }
            export_cpsv(store, f, &opts, w).await?
        }
    })
}

fn broken_pipe(e: &anyhow::Error) -> bool {
    matches!(
        e.downcast_ref::<thutuc_export::ExportError>(),
        Some(thutuc_export::ExportError::Io(io)) if io.kind() == std::io::ErrorKind::BrokenPipe
    )
}

/// Runs an export.
pub async fn run<S: Store>(store: &S, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let format = ExportFormat::parse(&args.format).ok_or_else(|| {
        anyhow::anyhow!(
            "định dạng «{}» không hỗ trợ; dùng json, csv, xlsx hoặc cpsv-jsonld / unknown format",
            args.format
        )
    })?;
    let f = filter(store, &args).await?;
    let started = std::time::Instant::now();
    let stats = match &args.output {
        Some(path) => {
            let tmp = format!("{path}.part");
            let file = std::fs::File::create(&tmp).map_err(|e| anyhow::anyhow!("{tmp}: {e}"))?;
            match write(store, format, &f, &args, BufWriter::new(file)).await {
                Ok(s) => {
                    std::fs::rename(&tmp, path).map_err(|e| anyhow::anyhow!("{path}: {e}"))?;
                    s
                }
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(e);
                }
            }
        }
        None => {
            let out = std::io::stdout();
            match write(store, format, &f, &args, BufWriter::new(out.lock())).await {
                Ok(s) => s,
                // `thutuc export … | head`: the reader stopped, which is not an error.
                Err(e) if broken_pipe(&e) => return Ok(ExitCode::SUCCESS),
                Err(e) => return Err(e),
            }
        }
    };
    eprintln!(
        "đã xuất {} thủ tục ({}) trong {:.1} s / exported {} procedures{}",
        stats.records,
        format.as_str(),
        started.elapsed().as_secs_f64(),
        stats.records,
        args.output
            .as_deref()
            .map(|p| format!(" to {p}"))
            .unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}
