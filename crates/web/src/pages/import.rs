//! Upload with preview (nhập dữ liệu): an officer uploads a file in one of the importers'
//! formats, sees what it would do — each record to be created, amended (with the components
//! that change) or left alone, and every rejected record with its line, cell and reason — and
//! only then confirms. Nothing is written before the confirmation.
//!
//! The upload waits in the database (`StagingStore`: at most [`STAGED_PER_USER`] per user, for
//! [`STAGED_TTL`], taken once), bound to the user who sent it, so that the confirmation may
//! reach any app server. On
//! confirmation the plan is computed again: if the catalogue changed in between (a colleague
//! published a version of one of the procedures), the new preview is shown instead of
//! writing, so nobody's edit is overwritten unseen. The import itself is the API's
//! ([`crate::api::imports::run_import`]): same permission checks (the organisation subtree),
//! all or nothing unless "partial" is chosen, search index and page cache updated at once.
//! Every applied import is in the audit log with its counts.

use askama::Template;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use chrono::NaiveDate;
use serde::Deserialize;
use thutuc_domain::access::{Action, Role};
use thutuc_domain::text;
use thutuc_import::apply::{ImportSummary, PlannedRecord};
use thutuc_import::read::FORMATS;
use thutuc_store::Store;

use crate::api::feedback::multipart;
use crate::api::imports::{ImportQuery, run_import};
use crate::pages::audit::{entry, record};
use crate::pages::context::{Base, Ctx, MAX_UPLOAD_BYTES};
use crate::pages::error::{PageError, PageResult, html};
use crate::pages::fmt;
use crate::session::Viewer;
use crate::state::AppState;

/// Rows of the plan shown on the preview (the counts always cover every record).
pub const PREVIEW_ROWS: usize = 500;
/// Rejections shown.
pub const REJECTION_ROWS: usize = 1_000;

/// How long an upload waits for its confirmation.
pub const STAGED_TTL: chrono::Duration = chrono::Duration::minutes(30);
/// Most uploads waiting per user (the oldest is dropped first).
pub const STAGED_PER_USER: i64 = 4;

/// What is kept with a staged file: its name, the options, and the fingerprint of the preview
/// (plan and rejections) the user confirms.
#[derive(serde::Serialize, serde::Deserialize)]
struct StagedMeta {
    file_name: String,
    query: ImportQuery,
    preview: String,
}

/// SHA-256 of a preview's plan and rejections: equal fingerprints, same writes.
fn fingerprint(s: &ImportSummary) -> String {
    use sha2::Digest;
    let bytes = serde_json::to_vec(&(&s.plan, &s.rejected)).unwrap_or_default();
    hex::encode(sha2::Sha256::digest(bytes))
}

/// Keeps an upload until its confirmation; returns the form's token.
async fn stage<S: Store>(st: &AppState<S>, staged: &Staged) -> Result<String, PageError> {
    let meta = StagedMeta {
        file_name: staged.file_name.clone(),
        query: staged.query.clone(),
        preview: fingerprint(&staged.summary),
    };
    let now = chrono::Utc::now();
    let token = crate::session::random_token();
    st.store
        .stage_upload(
            &thutuc_store::StagedUpload {
                token: token.clone(),
                user_id: staged.user_id,
                created_at: now,
                meta: serde_json::to_string(&meta)
                    .map_err(|e| PageError::internal(format!("staged upload: {e}")))?,
                bytes: staged.bytes.clone(),
            },
            now - STAGED_TTL,
            STAGED_PER_USER,
        )
        .await?;
    Ok(token)
}

/// An upload waiting for its confirmation.
struct Staged {
    user_id: i64,
    file_name: String,
    query: ImportQuery,
    bytes: Vec<u8>,
    summary: ImportSummary,
}

/// The form's values (kept when the form is shown again with errors).
#[derive(Debug, Default, Clone)]
pub struct FormValues {
    /// Format.
    pub format: String,
    /// Owner organisation id ("" = from the data, administrators only).
    pub org: String,
    /// `YYYY-MM-DD`.
    pub valid_from: String,
    /// Commit the good records, report the rest.
    pub partial: bool,
}

/// One rejected record as shown.
pub struct RejectionRow {
    /// Line or row.
    pub line: usize,
    /// Cell (spreadsheets).
    pub cell: String,
    /// Code, if known.
    pub code: String,
    /// Field.
    pub field: String,
    /// Reason.
    pub reason: String,
}

/// One planned record as shown.
pub struct PlanRow {
    /// Line or row.
    pub line: usize,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Owner's name.
    pub owner: String,
    /// `create` / `update` / `unchanged`.
    pub action: &'static str,
    /// Changed components, joined.
    pub changed: String,
}

/// The counts.
pub struct Counts {
    /// Records read.
    pub read: usize,
    /// To create / created.
    pub created: usize,
    /// To amend / amended.
    pub updated: usize,
    /// Unchanged.
    pub unchanged: usize,
    /// Rejected.
    pub rejected: usize,
    /// Records with fields kept as text.
    pub problems: usize,
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    b: Base,
    /// `form`, `preview` or `done`.
    mode: &'static str,
    formats: Vec<(&'static str, &'static str)>,
    orgs: Vec<(String, String)>,
    may_match: bool,
    v: FormValues,
    errors: Vec<String>,
    file_name: String,
    token: String,
    counts: Counts,
    plan: Vec<PlanRow>,
    plan_more: usize,
    rejections: Vec<RejectionRow>,
    rejections_more: usize,
    /// The plan changed between the preview and the confirmation.
    changed_since: bool,
    /// The confirmation would write nothing (all rejected without "partial", or nothing new).
    writes_nothing: bool,
    blocked: bool,
    max_mb: usize,
}

fn format_label(f: &str) -> &'static str {
    match f {
        "portal-page" => "Trang chi tiết Cổng DVC quốc gia (JSON Lines) / portal detail pages",
        "portal-json" => "API Cổng DVC quốc gia (JSON Lines) / portal API JSON",
        "structured" => "Bảng cấu trúc từ tệp Word công bố (JSON Lines) / structured Word tables",
        "csdl-xlsx" => "Danh sách CSDL quốc gia (XLSX) / national database list",
        "json" => "Định dạng thutuc JSON Lines / thutuc JSON Lines",
        "csv" => "Định dạng thutuc CSV / thutuc CSV",
        "xlsx" => "Định dạng thutuc XLSX / thutuc XLSX",
        _ => "",
    }
}

/// The viewer, if they may import for their own organisation (403 otherwise).
fn importer<'a, S: Store>(st: &AppState<S>, ctx: &'a Ctx) -> Result<&'a Viewer, PageError> {
    let v = ctx.viewer()?;
    v.actor.may(st, Action::Import, &v.actor.org_id)?;
    Ok(v)
}

/// Organisations the viewer may import for: their subtree (administrators: every current
/// ministry-level body and province, plus "from the data").
fn org_choices<S: Store>(st: &AppState<S>, v: &Viewer) -> Vec<(String, String)> {
    let tree = st.tree();
    let mut ids: Vec<String> = if v.actor.role == Role::Admin {
        use thutuc_domain::org::OrgKind;
        tree.all()
            .filter(|o| {
                matches!(
                    o.kind,
                    OrgKind::Ministry
                        | OrgKind::MinistryLevel
                        | OrgKind::GovernmentAgency
                        | OrgKind::Province
                )
            })
            .map(|o| o.id.clone())
            .collect()
    } else {
        tree.subtree(&v.actor.org_id)
    };
    ids.retain(|id| tree.get(id).is_some_and(|o| o.valid_to.is_none()));
    let own = v.actor.org_id.clone();
    let mut out: Vec<(String, String)> = ids
        .into_iter()
        .filter_map(|id| tree.get(&id).map(|o| (id, o.name.clone())))
        .collect();
    out.sort_by_cached_key(|(id, name)| (*id != own, text::sort_key(name)));
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

fn blank(ctx: &Ctx, v: FormValues) -> ImportPage {
    ImportPage {
        b: ctx.base(ctx.lang.t("imp.title"), "workspace"),
        mode: "form",
        formats: FORMATS.iter().map(|f| (*f, format_label(f))).collect(),
        orgs: Vec::new(),
        may_match: false,
        v,
        errors: Vec::new(),
        file_name: String::new(),
        token: String::new(),
        counts: Counts {
            read: 0,
            created: 0,
            updated: 0,
            unchanged: 0,
            rejected: 0,
            problems: 0,
        },
        plan: Vec::new(),
        plan_more: 0,
        rejections: Vec::new(),
        rejections_more: 0,
        changed_since: false,
        writes_nothing: false,
        blocked: false,
        max_mb: MAX_UPLOAD_BYTES / (1024 * 1024),
    }
}

fn form_page<S: Store>(
    st: &AppState<S>,
    ctx: &Ctx,
    v: &Viewer,
    values: FormValues,
    errors: Vec<String>,
) -> PageResult {
    let mut p = blank(ctx, values);
    p.orgs = org_choices(st, v);
    p.may_match = v.actor.role == Role::Admin;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    p.errors = errors;
    let mut r = html(&p)?;
    *r.status_mut() = status;
    Ok(r)
}

fn today_iso() -> String {
    fmt::today_vn().format("%Y-%m-%d").to_string()
}

/// `GET /can-bo/nhap-du-lieu`.
pub async fn form<S: Store>(State(st): State<AppState<S>>, ctx: Ctx) -> PageResult {
    let v = importer(&st, &ctx)?;
    let values = FormValues {
        format: "portal-page".into(),
        org: v.actor.org_id.clone(),
        valid_from: today_iso(),
        partial: false,
    };
    form_page(&st, &ctx, v, values, Vec::new())
}

fn counts(s: &ImportSummary) -> Counts {
    Counts {
        read: s.read,
        created: s.created,
        updated: s.updated,
        unchanged: s.unchanged,
        rejected: s.rejected.len(),
        problems: s.problems.len(),
    }
}

fn rejection_rows(s: &ImportSummary) -> Vec<RejectionRow> {
    s.rejected
        .iter()
        .take(REJECTION_ROWS)
        .map(|r| RejectionRow {
            line: r.line,
            cell: r.column.clone().unwrap_or_default(),
            code: r.code.clone().unwrap_or_default(),
            field: r.field.clone(),
            reason: r.reason.clone(),
        })
        .collect()
}

fn plan_rows<S: Store>(st: &AppState<S>, plan: &[PlannedRecord]) -> Vec<PlanRow> {
    let tree = st.tree();
    plan.iter()
        .take(PREVIEW_ROWS)
        .map(|p| PlanRow {
            line: p.line,
            code: p.code.clone(),
            name: p.name.clone(),
            owner: tree
                .get(&p.owner)
                .map_or_else(|| p.owner.clone(), |o| o.name.clone()),
            action: p.action,
            changed: p.changed.join(", "),
        })
        .collect()
}

async fn preview_page<S: Store>(
    st: &AppState<S>,
    ctx: &Ctx,
    staged: Staged,
    changed_since: bool,
) -> PageResult {
    let s = &staged.summary;
    let mut p = blank(
        ctx,
        FormValues {
            format: staged.query.format.clone(),
            org: staged.query.org.clone().unwrap_or_default(),
            valid_from: staged
                .query
                .valid_from
                .map(|d| d.to_string())
                .unwrap_or_default(),
            partial: staged.query.partial,
        },
    );
    p.b.title = ctx.lang.t("imp.preview_title").to_string();
    p.mode = "preview";
    p.file_name = staged.file_name.clone();
    p.counts = counts(s);
    p.plan = plan_rows(st, &s.plan);
    p.plan_more = s.plan.len().saturating_sub(PREVIEW_ROWS);
    p.rejections = rejection_rows(s);
    p.rejections_more = s.rejected.len().saturating_sub(REJECTION_ROWS);
    p.changed_since = changed_since;
    p.blocked = !s.rejected.is_empty() && !staged.query.partial;
    p.writes_nothing = p.blocked || s.created + s.updated == 0;
    if !p.writes_nothing {
        p.token = stage(st, &staged).await?;
    }
    html(&p)
}

/// The uploaded file's name and bytes, and the options.
type Upload = (String, Vec<u8>, FormValues);

/// Reads the multipart form: the file and the options, or the errors to show.
fn read_form(headers: &HeaderMap, body: &[u8]) -> Result<Upload, (FormValues, Vec<String>)> {
    let mut values = FormValues::default();
    let Some(parts) = multipart::parse(headers, body) else {
        return Err((
            values,
            vec!["biểu mẫu không đọc được (cần multipart/form-data) / unreadable form".into()],
        ));
    };
    let mut file = None;
    for p in parts {
        let text = || String::from_utf8_lossy(&p.data).trim().to_string();
        match p.name.as_str() {
            "file" => {
                if let Some(name) = p.filename.clone() {
                    file = Some((name, p.data));
                }
            }
            "format" => values.format = text(),
            "org" => values.org = text(),
            "valid_from" => values.valid_from = text(),
            "partial" => values.partial = !text().is_empty(),
            _ => {}
        }
    }
    let mut errors = Vec::new();
    if !FORMATS.contains(&values.format.as_str()) {
        errors.push(format!(
            "chọn định dạng tệp (một trong {}) / choose a format",
            FORMATS.join(", ")
        ));
    }
    if !values.valid_from.is_empty()
        && NaiveDate::parse_from_str(&values.valid_from, "%Y-%m-%d").is_err()
    {
        errors.push(format!(
            "ngày có hiệu lực «{}» không hợp lệ (dd/mm/yyyy) / invalid date",
            values.valid_from
        ));
    }
    match file {
        Some((_, ref data)) if data.is_empty() => {
            errors.push("tệp đã chọn rỗng / the chosen file is empty".into())
        }
        None => errors.push("chưa chọn tệp để nhập / no file chosen".into()),
        _ => {}
    }
    if !errors.is_empty() {
        return Err((values, errors));
    }
    let (name, data) = file.unwrap_or_default();
    Ok((name, data, values))
}

/// `POST /can-bo/nhap-du-lieu`: the upload; answers with the preview (nothing is written).
pub async fn preview<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> PageResult {
    let v = importer(&st, &ctx)?;
    let body = multipart::read_body(body, MAX_UPLOAD_BYTES).await?;
    let (file_name, bytes, values) = match read_form(&headers, &body) {
        Ok(x) => x,
        Err((values, errors)) => return form_page(&st, &ctx, v, values, errors),
    };
    let query = ImportQuery {
        format: values.format.clone(),
        org: Some(values.org.clone()).filter(|o| !o.is_empty()),
        partial: values.partial,
        dry_run: true,
        valid_from: NaiveDate::parse_from_str(&values.valid_from, "%Y-%m-%d").ok(),
    };
    let summary = match run_import(&st, &v.actor, &query, &bytes).await {
        Ok(s) => s,
        Err(e) if e.status.is_client_error() && e.status != StatusCode::FORBIDDEN => {
            return form_page(&st, &ctx, v, values, vec![e.detail]);
        }
        Err(e) => return Err(e.into()),
    };
    let staged = Staged {
        user_id: v.user.id,
        file_name,
        query,
        bytes,
        summary,
    };
    preview_page(&st, &ctx, staged, false).await
}

/// The confirmation form.
#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    /// The staged upload's token.
    pub token: String,
}

/// `POST /can-bo/nhap-du-lieu/xac-nhan`: re-plans; writes only if the plan is unchanged.
pub async fn confirm<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    axum::Form(f): axum::Form<ConfirmForm>,
) -> PageResult {
    let v = importer(&st, &ctx)?;
    let taken = st
        .store
        .take_staged_upload(&f.token, v.user.id, chrono::Utc::now() - STAGED_TTL)
        .await?
        .ok_or_else(|| {
            PageError::not_found(
                "bản xem trước đã hết hạn hoặc đã được dùng; hãy tải tệp lên lại / the preview expired or was already used; upload the file again",
            )
        })?;
    let meta: StagedMeta = serde_json::from_str(&taken.meta)
        .map_err(|e| PageError::internal(format!("staged upload {}: {e}", f.token)))?;
    let (file_name, bytes) = (meta.file_name, taken.bytes);
    let again = run_import(&st, &v.actor, &meta.query, &bytes).await?;
    if fingerprint(&again) != meta.preview {
        let restaged = Staged {
            user_id: taken.user_id,
            file_name,
            query: meta.query,
            bytes,
            summary: again,
        };
        let mut r = preview_page(&st, &ctx, restaged, true).await?;
        *r.status_mut() = StatusCode::CONFLICT;
        return Ok(r);
    }
    let before = &again;
    let mut query = meta.query;
    query.dry_run = false;
    // Each batch the import writes stores this entry, with what the batch did, in its own
    // transaction (see `thutuc_store::audit_scope`). When no batch wrote anything (every
    // record rejected in a partial import), the attempt is recorded after.
    let request = serde_json::json!({
        "file": file_name,
        "format": query.format,
        "org": query.org,
        "partial": query.partial,
    });
    let e = entry(
        &v.actor.email,
        "import.apply",
        ("import", &file_name),
        None,
        Some(request.clone()),
    );
    let (done, left) =
        thutuc_store::audit_scope::audited(e, run_import(&st, &v.actor, &query, &bytes)).await;
    let done = done?;
    if left.is_some() {
        let mut after = thutuc_store::import_audit_after(Some(request), &[]);
        after["rejected"] = done.rejected.len().into();
        after["rolled_back"] = done.rolled_back.into();
        record(
            &st.store,
            &v.actor.email,
            "import.apply",
            ("import", &file_name),
            None,
            Some(after),
        )
        .await?;
    }
    let mut p = blank(&ctx, FormValues::default());
    p.b.title = ctx.lang.t("imp.done_title").to_string();
    p.mode = "done";
    p.file_name = file_name;
    p.counts = counts(&done);
    p.rejections = rejection_rows(&done);
    p.rejections_more = done.rejected.len().saturating_sub(REJECTION_ROWS);
    p.writes_nothing = done.rolled_back;
    // What was written, in file order (from the preview, which matched).
    p.plan = plan_rows(
        &st,
        &before
            .plan
            .iter()
            .filter(|r| r.action != "unchanged")
            .cloned()
            .collect::<Vec<_>>(),
    );
    Ok(html(&p)?.into_response())
}
