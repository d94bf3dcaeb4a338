//! Test harness for the portal and workspace: an application on a temporary SQLite database
//! seeded with a small, realistic catalogue (a ministry, two provinces, published procedures,
//! a draft in each province) and one account per role, plus request helpers that carry a
//! session cookie and its CSRF token.

pub mod fixtures;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, header};
use http_body_util::BodyExt;
use thutuc_store::{SessionRecord, SessionStore};
use thutuc_store_sqlite::SqliteStore;
use thutuc_web::AppState;
use thutuc_web::session::{PRE_CSRF_COOKIE, SESSION_COOKIE};
use tower::ServiceExt;

/// Chooses rustls' crypto provider once per process, before a WebDriver client is built. The
/// workspace links both `ring` (lettre, for SMTP over TLS) and `aws-lc-rs` (fantoccini's
/// choice), and rustls will not guess between two providers.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A running application (in-process, no socket) on its own database.
pub struct TestApp {
    /// The router.
    pub router: Router,
    /// The state.
    pub state: AppState<SqliteStore>,
    /// The store.
    pub store: SqliteStore,
    _dir: tempfile::TempDir,
}

/// A signed-in browser: cookie value and CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    /// Session cookie value.
    pub sid: String,
    /// CSRF token of the session.
    pub csrf: String,
}

/// A response read to the end.
#[derive(Debug)]
pub struct Page {
    /// Status code.
    pub status: u16,
    /// `Location` header.
    pub location: Option<String>,
    /// Every `Set-Cookie`.
    pub cookies: Vec<String>,
    /// Content type.
    pub content_type: String,
    /// Body text.
    pub body: String,
}

impl TestApp {
    /// A fresh application with the fixtures loaded.
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("app.db");
        let store = SqliteStore::connect(path.to_str().expect("utf-8"))
            .await
            .expect("store");
        fixtures::seed(&store).await;
        let state = AppState::new(
            store.clone(),
            thutuc_domain::params::PublicationRules::default(),
            thutuc_domain::calendar::Calendar::default_vn().expect("calendar"),
        )
        .await
        .expect("state");
        state.reindex().await.expect("search index");
        let router =
            thutuc_web::router_with(state.clone(), thutuc_web::session::PagesConfig::default());
        Self {
            router,
            state,
            store,
            _dir: dir,
        }
    }

    /// Opens a session for a fixture account directly in the store (fast: no argon2).
    pub async fn session(&self, email: &str) -> Session {
        let user = thutuc_store::UserStore::user_by_email(&self.store, email)
            .await
            .expect("user");
        let sid = thutuc_web::session::random_token();
        let csrf = thutuc_web::session::random_token();
        let now = thutuc_store::audit_time(chrono::Utc::now());
        self.store
            .create_session(&SessionRecord {
                id_hash: thutuc_web::auth::hash_token(&sid),
                user_id: user.id,
                csrf_token: csrf.clone(),
                created_at: now,
                last_seen: now,
                ip: "127.0.0.1".into(),
                user_agent: "test".into(),
                ended_at: None,
            })
            .await
            .expect("session");
        Session { sid, csrf }
    }

    /// Sends a request and returns the response as it would travel (status, headers, body
    /// bytes before any decoding): for page-weight checks of compressed responses.
    pub async fn send_raw(
        &self,
        req: Request<Body>,
    ) -> (u16, axum::http::HeaderMap, axum::body::Bytes) {
        let resp: Response<Body> = self.router.clone().oneshot(req).await.expect("infallible");
        let (parts, body) = resp.into_parts();
        let bytes = body.collect().await.expect("body").to_bytes();
        (parts.status.as_u16(), parts.headers, bytes)
    }

    /// Sends a request.
    pub async fn send(&self, req: Request<Body>) -> Page {
        let resp: Response<Body> = self.router.clone().oneshot(req).await.expect("infallible");
        let status = resp.status().as_u16();
        let h = resp.headers();
        let location = h
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let cookies = h
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_string)
            .collect();
        let content_type = h
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        Page {
            status,
            location,
            cookies,
            content_type,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// `GET` with an optional session.
    pub async fn get(&self, path: &str, s: Option<&Session>) -> Page {
        let mut b = Request::get(path);
        if let Some(s) = s {
            b = b.header(header::COOKIE, format!("{SESSION_COOKIE}={}", s.sid));
        }
        self.send(b.body(Body::empty()).expect("request")).await
    }

    /// `POST` a form. The session's CSRF token is added as `_csrf` unless `csrf` overrides it
    /// (`Some("")` sends none).
    pub async fn post(
        &self,
        path: &str,
        s: Option<&Session>,
        fields: &[(&str, &str)],
        csrf: Option<&str>,
    ) -> Page {
        let mut body = form_urlencoded::Serializer::new(String::new());
        let token = csrf
            .map(str::to_string)
            .or_else(|| s.map(|s| s.csrf.clone()))
            .unwrap_or_default();
        if !token.is_empty() {
            body.append_pair("_csrf", &token);
        }
        for (k, v) in fields {
            body.append_pair(k, v);
        }
        let mut b =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(s) = s {
            b = b.header(header::COOKIE, format!("{SESSION_COOKIE}={}", s.sid));
        }
        self.send(b.body(Body::from(body.finish())).expect("request"))
            .await
    }

    /// Signs in through the form, as a browser does (pre-session CSRF cookie, argon2id check).
    pub async fn login(&self, email: &str, password: &str) -> Page {
        self.login_from(email, password, None).await
    }

    /// Signs in from a given client address (as the server sees it with `ConnectInfo`).
    pub async fn login_from(&self, email: &str, password: &str, ip: Option<&str>) -> Page {
        let form = self.get("/dang-nhap", None).await;
        let pre = form
            .cookies
            .iter()
            .find_map(|c| c.strip_prefix(&format!("{PRE_CSRF_COOKIE}=")))
            .and_then(|c| c.split(';').next())
            .expect("pre-session csrf cookie")
            .to_string();
        let body: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("_csrf", &pre)
            .append_pair("email", email)
            .append_pair("password", password)
            .append_pair("next", "/can-bo")
            .finish();
        let mut req = Request::post("/dang-nhap")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("{PRE_CSRF_COOKIE}={pre}"))
            .body(Body::from(body))
            .expect("request");
        if let Some(ip) = ip {
            let addr: std::net::SocketAddr = format!("{ip}:40000").parse().expect("address");
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(addr));
        }
        self.send(req).await
    }
}

impl Page {
    /// The value of a cookie set by the response.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies
            .iter()
            .find_map(|c| c.strip_prefix(&format!("{name}=")))
            .and_then(|c| c.split(';').next())
            .map(str::to_string)
    }
}
