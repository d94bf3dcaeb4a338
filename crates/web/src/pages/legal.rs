//! The legal document page that procedures' legal bases link to (`/van-ban/{number}`).

use askama::Template;
use axum::extract::{Path, State};
use thutuc_store::Store;

use crate::pages::context::{Base, Ctx};
use crate::pages::error::{PageResult, html};
use crate::pages::fmt;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "legal.html")]
struct LegalPage {
    b: Base,
    number: String,
    doc: Option<thutuc_domain::legal::LegalDocument>,
    signed: String,
    effective: String,
}

/// `GET /van-ban/{*number}`: a legal document.
pub async fn legal<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path(number): Path<String>,
) -> PageResult {
    let n = thutuc_domain::codes::normalize_doc_number(&number).unwrap_or(number);
    let doc = match st.store.get_legal_doc(&n).await {
        Ok(d) => Some(d),
        Err(thutuc_store::StoreError::NotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let page = LegalPage {
        b: ctx.base(format!("{} {n}", ctx.lang.t("legal.title")), "search"),
        signed: doc
            .as_ref()
            .and_then(|d| d.signed_on)
            .map(fmt::date)
            .unwrap_or_default(),
        effective: doc
            .as_ref()
            .and_then(|d| d.effective_on)
            .map(fmt::date)
            .unwrap_or_default(),
        number: n,
        doc,
    };
    html(&page)
}
