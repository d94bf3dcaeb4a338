//! The HTML portal (public pages) and the officer workspace, rendered on the server with
//! askama and enhanced with htmx. Handlers reuse the API's store calls and helpers; every page
//! passes through [`context::page_layer`] (language, session, CSRF, error pages).

pub mod account;
pub mod admin;
pub mod approve;
pub mod audit;
pub mod caches;
pub mod calendar;
pub mod comments;
pub mod context;
pub mod decisions;
pub mod draft_form;
pub mod draft_rows;
pub mod drafts;
pub mod error;
pub mod feedback;
pub mod fmt;
pub mod home;
pub mod import;
pub mod legal;
pub mod notifications;
pub mod org_admin;
pub mod orgs;
pub mod procedure;
pub mod record;
pub mod search;
pub mod security;
pub mod statics;
pub mod stats;
pub mod tasks;
pub mod workspace;

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderMap, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use thutuc_store::Store;

use crate::error::WebError;
use crate::session::PagesConfig;
use crate::state::AppState;

/// The portal and workspace routes, with their middleware, ready to merge.
pub fn router<S: Store>(state: AppState<S>, cfg: PagesConfig) -> Router {
    let cfg = Arc::new(cfg);
    Router::new()
        .route("/", get(home::home::<S>))
        .route("/goi-y", get(search::suggest::<S>))
        .route("/tim-kiem", get(search::results::<S>))
        .route("/thu-tuc/{code}", get(procedure::current::<S>))
        .route(
            "/thu-tuc/{code}/phien-ban/{seq}",
            get(procedure::version::<S>),
        )
        .route("/thu-tuc/{code}/so-sanh", get(procedure::compare::<S>))
        .route("/van-ban/{*number}", get(legal::legal::<S>))
        .route("/quyet-dinh", get(decisions::list::<S>))
        .route("/quyet-dinh/{*number}", get(decisions::show::<S>))
        .route("/co-quan", get(orgs::list::<S>))
        .route("/co-quan/{id}", get(orgs::show::<S>))
        .route("/lich", get(calendar::page::<S>))
        .route("/static/{file}", get(statics::serve))
        .route(
            "/dang-nhap",
            get(account::login_form).post(account::login::<S>),
        )
        .route("/dang-xuat", post(account::logout::<S>))
        .route("/can-bo", get(workspace::home::<S>))
        .route("/can-bo/phien", get(account::sessions::<S>))
        .route(
            "/can-bo/phien/dang-xuat-khac",
            post(account::end_others::<S>),
        )
        .route(
            "/can-bo/mat-khau",
            get(account::password_form).post(account::password::<S>),
        )
        .route("/can-bo/dong/{kind}", get(draft_rows::new_row))
        .route("/can-bo/thu-tuc/{code}/du-thao", post(drafts::open::<S>))
        .route(
            "/can-bo/thu-tuc/{code}/du-thao/{seq}",
            get(drafts::edit_form::<S>).post(drafts::save::<S>),
        )
        .route(
            "/can-bo/thu-tuc/{code}/du-thao/{seq}/trang-thai",
            post(drafts::set_status::<S>),
        )
        .route(
            "/can-bo/thu-tuc/{code}/du-thao/{seq}/y-kien",
            post(comments::add::<S>),
        )
        .route(
            "/can-bo/thu-tuc/{code}/du-thao/{seq}/phe-duyet",
            get(approve::form::<S>).post(approve::approve::<S>),
        )
        .route(
            "/can-bo/ap-dung-quyet-dinh",
            post(approve::apply_prepared::<S>),
        )
        .route(
            "/quan-tri/nguoi-dung",
            get(admin::list::<S>).post(admin::create::<S>),
        )
        .route("/quan-tri/nhat-ky", get(audit::page::<S>))
        .route("/quan-tri/co-quan", get(org_admin::list::<S>))
        .route(
            "/quan-tri/co-quan/{id}",
            get(org_admin::show::<S>).post(org_admin::save::<S>),
        )
        .route(
            context::UPLOAD_PATH,
            get(import::form::<S>).post(import::preview::<S>),
        )
        .route("/can-bo/nhap-du-lieu/xac-nhan", post(import::confirm::<S>))
        .route("/can-bo/thong-ke", get(stats::dashboard::<S>))
        .route("/can-bo/thong-bao", get(notifications::list::<S>))
        .route("/can-bo/thong-bao/{id}", post(notifications::open::<S>))
        .route("/can-bo/thong-ke/chi-tiet", get(stats::drill::<S>))
        .route("/can-bo/thong-ke/dang-ky", post(stats::subscribe::<S>))
        .route("/can-bo/phan-anh", get(feedback::officer::inbox::<S>))
        .route(
            "/can-bo/phan-anh/cong-khai",
            post(feedback::officer::batch_publish::<S>),
        )
        .route(
            "/can-bo/phan-anh/to-cong-tac",
            get(feedback::officer::working_group::<S>),
        )
        .route(
            "/can-bo/phan-anh/tep/{id}",
            get(feedback::officer::attachment::<S>),
        )
        .route(
            "/can-bo/phan-anh/{id}",
            get(feedback::officer::item::<S>).post(feedback::officer::act::<S>),
        )
        .route(
            "/can-bo/phan-anh/{id}/ghi-chu",
            post(feedback::officer::note::<S>),
        )
        .route("/to-cong-tac", get(tasks::public::<S>))
        .route("/can-bo/nhiem-vu", get(tasks::list::<S>))
        .route(
            "/can-bo/nhiem-vu/giao",
            get(tasks::assign::form::<S>).post(tasks::assign::create::<S>),
        )
        .route(
            "/can-bo/nhiem-vu/bang-dieu-khien",
            get(tasks::dashboard::<S>),
        )
        .route(
            "/can-bo/nhiem-vu/don-doc/{org}",
            get(tasks::urging::letter::<S>),
        )
        .route(
            "/can-bo/to-cong-tac/{code}/thanh-vien",
            get(tasks::members::page::<S>).post(tasks::members::change::<S>),
        )
        .route("/can-bo/nhiem-vu/{id}", get(tasks::show::<S>))
        .route("/can-bo/nhiem-vu/{id}/buoc", post(tasks::step::<S>))
        .route("/can-bo/nhiem-vu/{id}/tep/{file}", get(tasks::file::<S>))
        .fallback(not_found)
        .method_not_allowed_fallback(not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            (state.clone(), cfg, Arc::new(caches::PageCaches::default())),
            context::page_layer::<S>,
        ))
        .with_state(state)
}

/// A known path with the wrong method (a form posted to a page that only reads): a page for
/// browsers, problem+json otherwise, with status 405.
pub async fn not_allowed(method: axum::http::Method, uri: Uri, headers: HeaderMap) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    let detail = format!("{method} {}", uri.path());
    if uri.path().starts_with("/api") || !wants_html {
        WebError {
            status: axum::http::StatusCode::METHOD_NOT_ALLOWED,
            title: "Phương thức không được hỗ trợ / Method not allowed",
            detail: format!("{detail}: phương thức không được hỗ trợ / method not allowed"),
            extra: None,
        }
        .into_response()
    } else {
        error::PageError::Page(error::ErrorInfo::new(
            axum::http::StatusCode::METHOD_NOT_ALLOWED,
            "err.405",
            detail,
        ))
        .into_response()
    }
}

/// Unknown paths: an HTML page for browsers (which ask for `text/html`), problem+json for
/// `/api` and for every other client.
async fn not_found(uri: Uri, headers: HeaderMap) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if uri.path().starts_with("/api") || !wants_html {
        WebError::not_found("đường dẫn không tồn tại / no such route").into_response()
    } else {
        error::PageError::not_found(uri.path().to_string()).into_response()
    }
}
