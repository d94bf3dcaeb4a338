//! Signing in and out, the list of one's sessions with "sign out everywhere else", and
//! password change. Every outcome shows a clear message in the page; nothing typed except
//! passwords is lost.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use thutuc_store::Store;

use crate::pages::audit::{audited, entry};
use crate::pages::context::{Base, Ctx};
use crate::pages::error::{PageResult, html};
use crate::pages::fmt;
use crate::session::{self, MIN_PASSWORD, SignIn};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    b: Base,
    email: String,
    next: String,
    error: Option<&'static str>,
    info: Option<&'static str>,
}

/// Query of the sign-in page.
#[derive(Debug, Deserialize, Default)]
pub struct LoginQuery {
    /// Where to go afterwards.
    pub next: Option<String>,
    /// Set when the previous session expired.
    #[serde(rename = "het-han")]
    pub expired: Option<String>,
}

fn safe_next(n: &str) -> String {
    if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') {
        n.to_string()
    } else {
        "/can-bo".to_string()
    }
}

/// `GET /dang-nhap`.
pub async fn login_form(ctx: Ctx, Query(q): Query<LoginQuery>) -> PageResult {
    let info = if q.expired.is_some() || ctx.expired {
        Some("login.expired")
    } else if q.next.is_some() {
        Some("login.required")
    } else {
        None
    };
    html(&LoginPage {
        b: ctx.base(ctx.lang.t("login.title"), ""),
        email: String::new(),
        next: safe_next(q.next.as_deref().unwrap_or("/can-bo")),
        error: None,
        info,
    })
}

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    /// E-mail.
    #[serde(default)]
    pub email: String,
    /// Password.
    #[serde(default)]
    pub password: String,
    /// Where to go afterwards.
    #[serde(default)]
    pub next: String,
}

/// `POST /dang-nhap`.
pub async fn login<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Form(f): Form<LoginForm>,
) -> PageResult {
    let outcome =
        session::sign_in(&st, f.email.trim(), &f.password, &ctx.ip, &ctx.user_agent).await?;
    let page = |error, status| {
        let mut r = html(&LoginPage {
            b: ctx.base(ctx.lang.t("login.title"), ""),
            email: f.email.trim().to_string(),
            next: safe_next(&f.next),
            error: Some(error),
            info: None,
        })?;
        *r.status_mut() = status;
        Ok(r)
    };
    match outcome {
        SignIn::Throttled => page("login.throttled", StatusCode::TOO_MANY_REQUESTS),
        SignIn::Failed => page("login.failed", StatusCode::UNAUTHORIZED),
        SignIn::Ok(sid, _) => {
            let mut r = Redirect::to(&safe_next(&f.next)).into_response();
            let c = session::set_cookie(&ctx.cfg, session::SESSION_COOKIE, &sid, None, true);
            if let Ok(v) = HeaderValue::from_str(&c) {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            Ok(r)
        }
    }
}

/// `POST /dang-xuat`.
pub async fn logout<S: Store>(State(st): State<AppState<S>>, ctx: Ctx) -> PageResult {
    if let Some(v) = &ctx.viewer {
        let e = entry(
            &v.user.email,
            "session.logout",
            ("user", &v.user.email),
            None,
            None,
        );
        let end = st.store.end_session(&v.session.id_hash, chrono::Utc::now());
        audited(&st.store, e, end).await?;
    }
    let mut r = Redirect::to("/").into_response();
    let c = session::set_cookie(&ctx.cfg, session::SESSION_COOKIE, "", Some(0), true);
    if let Ok(v) = HeaderValue::from_str(&c) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(r)
}

/// A session row.
#[derive(Debug, Clone)]
pub struct SessionRow {
    /// Started.
    pub started: String,
    /// Last active.
    pub last: String,
    /// Address.
    pub ip: String,
    /// Browser.
    pub browser: String,
    /// The session of this request.
    pub current: bool,
}

#[derive(Template)]
#[template(path = "sessions.html")]
struct SessionsPage {
    b: Base,
    rows: Vec<SessionRow>,
    ended: Option<u64>,
}

/// Query after ending sessions.
#[derive(Debug, Deserialize)]
pub struct EndedQuery {
    /// How many were ended.
    pub da: Option<u64>,
}

/// `GET /can-bo/phien`.
pub async fn sessions<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Query(q): Query<EndedQuery>,
) -> PageResult {
    let v = ctx.viewer()?;
    let rows = st
        .store
        .user_sessions(v.user.id)
        .await?
        .into_iter()
        .map(|s| SessionRow {
            started: fmt::datetime(s.created_at),
            last: fmt::datetime(s.last_seen),
            ip: s.ip,
            browser: s.user_agent.chars().take(80).collect(),
            current: s.id_hash == v.session.id_hash,
        })
        .collect();
    html(&SessionsPage {
        b: ctx.base(ctx.lang.t("sessions.title"), "workspace"),
        rows,
        ended: q.da,
    })
}

/// `POST /can-bo/phien/dang-xuat-khac`: ends every other session.
pub async fn end_others<S: Store>(State(st): State<AppState<S>>, ctx: Ctx) -> PageResult {
    let v = ctx.viewer()?;
    // The store writes how many sessions it ended into the entry ("after").
    let e = entry(
        &v.user.email,
        "session.end_others",
        ("user", &v.user.email),
        None,
        None,
    );
    let end = st
        .store
        .end_user_sessions(v.user.id, Some(&v.session.id_hash), chrono::Utc::now());
    let n = audited(&st.store, e, end).await?;
    Ok(Redirect::to(&format!("/can-bo/phien?da={n}")).into_response())
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    b: Base,
    error: Option<&'static str>,
    done: bool,
}

/// `GET /can-bo/mat-khau`.
pub async fn password_form(ctx: Ctx) -> PageResult {
    ctx.viewer()?;
    html(&PasswordPage {
        b: ctx.base(ctx.lang.t("pw.title"), "workspace"),
        error: None,
        done: false,
    })
}

/// The password form.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    /// Current password.
    #[serde(default)]
    pub current: String,
    /// New password.
    #[serde(default)]
    pub new: String,
    /// Repeated.
    #[serde(default)]
    pub confirm: String,
}

/// `POST /can-bo/mat-khau`: checks the current password, stores the new hash and signs out
/// every other session.
pub async fn password<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Form(f): Form<PasswordForm>,
) -> PageResult {
    let v = ctx.viewer()?;
    let fail = |error| {
        let mut r = html(&PasswordPage {
            b: ctx.base(ctx.lang.t("pw.title"), "workspace"),
            error: Some(error),
            done: false,
        })?;
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        Ok(r)
    };
    if !session::verify_password(v.user.password_hash.clone(), f.current.clone()).await {
        return fail("pw.wrong");
    }
    if f.new.chars().count() < MIN_PASSWORD {
        return fail("pw.short");
    }
    if f.new != f.confirm {
        return fail("pw.mismatch");
    }
    let hash = session::hash_password(f.new).await?;
    let e = entry(
        &v.user.email,
        "user.password",
        ("user", &v.user.email),
        None,
        None,
    );
    audited(&st.store, e, st.store.set_password_hash(v.user.id, &hash)).await?;
    st.store
        .end_user_sessions(v.user.id, Some(&v.session.id_hash), chrono::Utc::now())
        .await?;
    html(&PasswordPage {
        b: ctx.base(ctx.lang.t("pw.title"), "workspace"),
        error: None,
        done: true,
    })
}
