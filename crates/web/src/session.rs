//! Browser sessions for the officer workspace: random session ids in an HttpOnly cookie
//! (only their SHA-256 is stored), idle expiry, argon2id passwords, sign-in throttling per
//! account and per address, and synchroniser CSRF tokens.
//!
//! The page middleware in [`crate::pages::context`] loads the session once per request and
//! checks the CSRF token of every state-changing request before any handler runs.

use std::net::SocketAddr;
use std::time::Duration;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, header};
use chrono::Utc;
use rand::RngCore;
use thutuc_domain::access::Role;
use thutuc_store::{SessionRecord, Store, StoreError, User};

use crate::auth::{Actor, hash_token};
use crate::state::AppState;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "thutuc_sid";
/// Name of the pre-session CSRF cookie (double-submit, for the sign-in form).
pub const PRE_CSRF_COOKIE: &str = "thutuc_csrf";
/// Name of the language cookie.
pub const LANG_COOKIE: &str = "thutuc_lang";
/// Header carrying the CSRF token on htmx requests.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Form field carrying the CSRF token.
pub const CSRF_FIELD: &str = "_csrf";

/// Failed sign-ins allowed per account in [`THROTTLE_WINDOW_MIN`].
pub const ACCOUNT_LIMIT: i64 = 5;
/// Failed sign-ins allowed per client address in [`THROTTLE_WINDOW_MIN`].
pub const IP_LIMIT: i64 = 30;
/// The throttling window, in minutes.
pub const THROTTLE_WINDOW_MIN: i64 = 15;
/// Shortest accepted password.
pub const MIN_PASSWORD: usize = 10;

/// Settings of the portal and workspace.
#[derive(Debug, Clone)]
pub struct PagesConfig {
    /// Mark cookies `Secure` (set when served behind TLS).
    pub secure_cookies: bool,
    /// A session unused for this long is ended.
    pub idle_timeout: Duration,
    /// Use the last `X-Forwarded-For` hop as the client address (behind a trusted proxy).
    pub trust_proxy: bool,
}

impl Default for PagesConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            idle_timeout: Duration::from_secs(30 * 60),
            trust_proxy: false,
        }
    }
}

impl PagesConfig {
    /// Reads `THUTUC_COOKIE_SECURE=1`, `THUTUC_SESSION_IDLE_MINUTES`, `THUTUC_TRUST_PROXY=1`.
    pub fn from_env() -> Self {
        let flag = |k: &str| std::env::var(k).is_ok_and(|v| v == "1" || v == "true");
        let mut c = Self {
            secure_cookies: flag("THUTUC_COOKIE_SECURE"),
            trust_proxy: flag("THUTUC_TRUST_PROXY"),
            ..Self::default()
        };
        if let Some(m) = std::env::var("THUTUC_SESSION_IDLE_MINUTES")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
            .filter(|m| *m > 0)
        {
            c.idle_timeout = Duration::from_secs(m * 60);
        }
        c
    }
}

/// A signed-in user as pages see them.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// The account.
    pub user: User,
    /// The same account as a permission subject.
    pub actor: Actor,
    /// The session.
    pub session: SessionRecord,
}

impl Viewer {
    /// Builds a viewer; `None` when the stored role is unknown (treated as signed out).
    pub fn new(user: User, session: SessionRecord) -> Option<Self> {
        let role = Role::parse(&user.role)?;
        let actor = Actor {
            user_id: user.id,
            email: user.email.clone(),
            org_id: user.org_id.clone(),
            role,
        };
        Some(Self {
            user,
            actor,
            session,
        })
    }
}

/// 256 random bits, hex.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// Reads a cookie.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value. `max_age` of `None` makes a browser-session cookie.
pub fn set_cookie(
    cfg: &PagesConfig,
    name: &str,
    value: &str,
    max_age: Option<i64>,
    http_only: bool,
) -> String {
    let mut s = format!("{name}={value}; Path=/; SameSite=Lax");
    if let Some(a) = max_age {
        s.push_str(&format!("; Max-Age={a}"));
    }
    if http_only {
        s.push_str("; HttpOnly");
    }
    if cfg.secure_cookies {
        s.push_str("; Secure");
    }
    s
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The client address: the connection's peer, or the last `X-Forwarded-For` hop behind a proxy.
pub fn client_ip(
    cfg: &PagesConfig,
    headers: &HeaderMap,
    peer: Option<&ConnectInfo<SocketAddr>>,
) -> String {
    if cfg.trust_proxy
        && let Some(last) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
    {
        return last.trim().to_string();
    }
    peer.map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string())
}

/// Hashes a password with argon2id (default parameters) on the calling thread.
pub fn hash_password_blocking(pw: &str) -> Result<String, StoreError> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    argon2::Argon2::default()
        .hash_password(pw.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Other(format!("argon2: {e}")))
}

/// Hashes a password with argon2id (default parameters), off the async threads.
pub async fn hash_password(pw: String) -> Result<String, StoreError> {
    tokio::task::spawn_blocking(move || hash_password_blocking(&pw))
        .await
        .map_err(|e| StoreError::Other(format!("argon2 task: {e}")))?
}

/// Verifies a password against a stored PHC string, off the async threads.
pub async fn verify_password(hash: String, pw: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|h| {
            argon2::Argon2::default()
                .verify_password(pw.as_bytes(), &h)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false)
}

/// A hash that no password matches, verified for unknown accounts so that timing does not
/// reveal which e-mails exist.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ZHVtbXlkdW1teWR1bW15ZHVtbXlkdW1teWR1bW15MDA";

/// Outcome of a sign-in attempt.
#[derive(Debug)]
pub enum SignIn {
    /// Signed in: the cookie value to set and the user.
    Ok(String, Box<User>),
    /// Wrong e-mail or password.
    Failed,
    /// Too many failures for this account or address.
    Throttled,
}

fn account_key(email: &str) -> String {
    format!("acct:{}", email.trim().to_lowercase())
}

/// Checks the throttle, verifies the password, and opens a session.
pub async fn sign_in<S: Store>(
    st: &AppState<S>,
    email: &str,
    password: &str,
    ip: &str,
    user_agent: &str,
) -> Result<SignIn, StoreError> {
    let now = Utc::now();
    let since = now - chrono::Duration::minutes(THROTTLE_WINDOW_MIN);
    let (acct, ipk) = (account_key(email), format!("ip:{ip}"));
    // Without a known client address (no ConnectInfo, no trusted proxy) only the account
    // counter applies: one shared "unknown" bucket would let anyone lock everyone out.
    let ip_known = ip != "unknown";
    if st.store.login_failures(&acct, since).await? >= ACCOUNT_LIMIT
        || (ip_known && st.store.login_failures(&ipk, since).await? >= IP_LIMIT)
    {
        return Ok(SignIn::Throttled);
    }
    let user = match st.store.user_by_email(email).await {
        Ok(u) => Some(u),
        Err(StoreError::NotFound(_)) => None,
        Err(e) => return Err(e),
    };
    let hash = user
        .as_ref()
        .map_or_else(|| DUMMY_HASH.to_string(), |u| u.password_hash.clone());
    let ok = verify_password(hash, password.to_string()).await;
    let Some(user) = user.filter(|_| ok) else {
        st.store.record_login_failure(&acct, now).await?;
        if ip_known {
            st.store.record_login_failure(&ipk, now).await?;
        }
        return Ok(SignIn::Failed);
    };
    st.store.clear_login_failures(&acct).await?;
    let sid = random_token();
    let now = thutuc_store::audit_time(now);
    let session = SessionRecord {
        id_hash: hash_token(&sid),
        user_id: user.id,
        csrf_token: random_token(),
        created_at: now,
        last_seen: now,
        ip: ip.to_string(),
        user_agent: user_agent.chars().take(200).collect(),
        ended_at: None,
    };
    // The session and its audit entry are stored in one transaction.
    let e = crate::pages::audit::entry(
        &user.email,
        "session.login",
        ("user", &user.email),
        None,
        Some(serde_json::json!({ "ip": ip })),
    );
    crate::pages::audit::audited(&st.store, e, st.store.create_session(&session)).await?;
    Ok(SignIn::Ok(sid, Box::new(user)))
}

/// The outcome of looking up the session cookie.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The signed-in viewer.
    pub viewer: Option<Viewer>,
    /// A session cookie was present but its session had ended or idled out.
    pub expired: bool,
}

/// Loads the session named by the cookie, ending it when idle too long, and records activity
/// (at most once a minute, to keep reads cheap).
pub async fn load<S: Store>(
    st: &AppState<S>,
    cfg: &PagesConfig,
    headers: &HeaderMap,
) -> Result<Loaded, StoreError> {
    let Some(sid) = cookie(headers, SESSION_COOKIE).filter(|s| !s.is_empty()) else {
        return Ok(Loaded::default());
    };
    let id_hash = hash_token(sid);
    let (session, user) = match st.store.live_session(&id_hash).await {
        Ok(x) => x,
        Err(StoreError::NotFound(_)) => {
            return Ok(Loaded {
                viewer: None,
                expired: true,
            });
        }
        Err(e) => return Err(e),
    };
    let now = Utc::now();
    let idle =
        chrono::Duration::from_std(cfg.idle_timeout).unwrap_or(chrono::Duration::minutes(30));
    if now - session.last_seen > idle {
        st.store.end_session(&id_hash, now).await?;
        return Ok(Loaded {
            viewer: None,
            expired: true,
        });
    }
    if now - session.last_seen > chrono::Duration::seconds(60) {
        st.store.touch_session(&id_hash, now).await?;
    }
    Ok(Loaded {
        viewer: Viewer::new(user, session),
        expired: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read_from_any_cookie_header() {
        let mut h = HeaderMap::new();
        h.append(header::COOKIE, "a=1; thutuc_lang=en".parse().expect("hv"));
        h.append(header::COOKIE, "thutuc_sid=abc".parse().expect("hv"));
        assert_eq!(cookie(&h, LANG_COOKIE), Some("en"));
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "nope"), None);
    }

    #[test]
    fn secure_cookies_are_http_only_lax_and_secure_behind_tls() {
        let cfg = PagesConfig {
            secure_cookies: true,
            ..PagesConfig::default()
        };
        let c = set_cookie(&cfg, SESSION_COOKIE, "x", None, true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure"));
    }

    #[test]
    fn secrets_compare_equal_only_when_identical() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
    }

    #[tokio::test]
    async fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("mật khẩu dài".into()).await.expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(h.clone(), "mật khẩu dài".into()).await);
        assert!(!verify_password(h, "sai".into()).await);
        assert!(!verify_password(DUMMY_HASH.into(), "x".into()).await);
    }
}
