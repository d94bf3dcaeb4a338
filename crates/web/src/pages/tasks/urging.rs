//! The urging letter (văn bản đôn đốc) for one organisation: its open overdue tasks as of today,
//! with their source, deadline and working days overdue, as a DOCX official letter in the Decree
//! 30/2020 layout (`GET /can-bo/nhiem-vu/don-doc/{org}`, DOCX by default, `?format=pdf` for the
//! PDF in the same layout). The number is left blank for the clerk (văn thư) to fill in when the
//! letter is signed and registered.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use chrono::Datelike;
use thutuc_domain::calendar::TaskStatus;
use thutuc_reports::output::letter::{OfficialLetter, render_letter};
use thutuc_reports::output::letter_pdf::render_letter_pdf;
use thutuc_reports::tables::{Cell, Table};
use thutuc_store::{Store, TaskFilter};

use crate::api::tasks as api;
use crate::pages::context::Ctx;
use crate::pages::error::{PageError, PageResult};
use crate::state::AppState;

/// Builds the letter for `org` as seen by the signed-in user (tasks of the whole subtree).
pub async fn build<S: Store>(
    st: &AppState<S>,
    actor: &crate::auth::Actor,
    org: &str,
) -> Result<OfficialLetter, PageError> {
    let tree = st.tree();
    let target = tree
        .get(org)
        .ok_or_else(|| PageError::not_found(format!("cơ quan {org}")))?
        .clone();
    if !api::is_national(actor) && !tree.is_within(org, &actor.org_id) {
        return Err(crate::error::WebError::forbidden(format!(
            "{} không đôn đốc được {org} / may not urge {org}",
            actor.org_id
        ))
        .into());
    }
    let today = api::today_vn();
    let page = st
        .store
        .list_tasks(&TaskFilter {
            org: Some(org.to_string()),
            subtree: true,
            status: Some(TaskStatus::OpenOverdue),
            as_of: Some(today),
            limit: Some(500),
            ..TaskFilter::default()
        })
        .await?;
    let cal = st.calendar.get();
    let mut rows = Vec::new();
    for r in page
        .items
        .iter()
        .filter(|r| tree.is_within(&r.task.lead_org, org))
    {
        let source = match r.task.directive_id {
            Some(id) => st
                .store
                .get_directive(id)
                .await
                .map(|d| d.directive.number)
                .unwrap_or_default(),
            None => String::new(),
        };
        let late = thutuc_domain::tasks::delay_working_days(&r.task, &cal, today).unwrap_or(0);
        rows.push(vec![
            Cell::Int(i64::try_from(rows.len() + 1).unwrap_or(0)),
            Cell::Text(r.task.title.clone()),
            Cell::Text(format!("{source} {}", r.task.clause).trim().to_string()),
            Cell::Text(r.task.deadline.format("%d/%m/%Y").to_string()),
            Cell::Int(late),
        ]);
    }
    let issuer = tree
        .get(&actor.org_id)
        .map(|o| o.name.clone())
        .unwrap_or_default();
    let n = rows.len();
    Ok(OfficialLetter {
        parent_body: String::new(),
        issuing_body: issuer.to_uppercase(),
        number_symbol: format!("Số:        /{}", actor.org_id),
        place_date: format!(
            "Hà Nội, ngày {} tháng {} năm {}",
            today.day(),
            today.month(),
            today.year()
        ),
        subject: "V/v đôn đốc thực hiện nhiệm vụ quá hạn".into(),
        to: vec![target.name.clone()],
        paragraphs: vec![format!(
            "Theo dõi trên hệ thống, đến ngày {}, {} còn {n} nhiệm vụ được giao đã quá thời hạn hoàn thành nhưng chưa báo cáo kết quả (chi tiết tại danh sách dưới đây; số ngày quá hạn tính theo ngày làm việc).",
            today.format("%d/%m/%Y"),
            target.name
        )],
        table: Some(Table {
            id: "overdue".into(),
            title: "Danh sách nhiệm vụ quá hạn".into(),
            columns: vec![
                "STT".into(),
                "Nhiệm vụ".into(),
                "Văn bản giao".into(),
                "Thời hạn".into(),
                "Số ngày quá hạn".into(),
            ],
            rows,
            has_total: false,
        }),
        closing: vec![format!(
            "Đề nghị {} khẩn trương chỉ đạo hoàn thành các nhiệm vụ trên, báo cáo kết quả trên hệ thống; trường hợp cần điều chỉnh thời hạn, đề nghị có văn bản đề nghị gia hạn nêu rõ lý do.",
            target.name
        )],
        signer_title: "TL. THỦ TRƯỞNG CƠ QUAN".into(),
        signer_name: String::new(),
        recipients: vec![
            "Như trên".into(),
            "Tổ công tác của Thủ tướng Chính phủ (để b/c)".into(),
            "Lưu: VT".into(),
        ],
    })
}

/// `?format=docx|pdf` of the letter route (DOCX when absent).
#[derive(Debug, Default, serde::Deserialize)]
pub struct LetterQuery {
    /// `docx` (default) or `pdf`.
    pub format: Option<String>,
}

/// `GET /can-bo/nhiem-vu/don-doc/{org}[?format=pdf]`: the letter as DOCX or PDF.
pub async fn letter<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path(org): Path<String>,
    Query(q): Query<LetterQuery>,
) -> PageResult {
    let pdf = match q.format.as_deref().unwrap_or("docx") {
        "" | "docx" => false,
        "pdf" => true,
        other => {
            return Err(crate::error::WebError::bad_request(format!(
                "định dạng «{other}» không hỗ trợ, chọn docx hoặc pdf / unsupported format «{other}», use docx or pdf"
            ))
            .into());
        }
    };
    let v = ctx.viewer()?;
    let l = build(&st, &v.actor, &org).await?;
    let (bytes, mime, ext) = if pdf {
        (render_letter_pdf(&l), "application/pdf", "pdf")
    } else {
        (
            render_letter(&l),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        )
    };
    let bytes = bytes.map_err(|e| PageError::internal(e.to_string()))?;
    let name = format!("attachment; filename=\"van-ban-don-doc-{org}.{ext}\"");
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, name),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        bytes,
    )
        .into_response())
}
