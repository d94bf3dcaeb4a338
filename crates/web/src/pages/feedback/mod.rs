//! Feedback pages: the public form, tracking page and answered list (outside the session
//! layer: anonymous, no cookies, the tracking code is the sender's key), and the officer
//! inbox, item page and Working Group view under `/can-bo/phan-anh` (session, CSRF).

pub mod officer;
pub mod public;

use axum::http::HeaderMap;

use crate::i18n::Lang;
use crate::pages::context::Base;
use crate::pages::statics;
use crate::session;

/// The template base for an anonymous public page (no session, no CSRF token needed: these
/// forms carry no ambient authority).
pub fn public_base(headers: &HeaderMap, query: &str, path: &str, title_key: &str) -> Base {
    let asked = form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| Lang::parse(&v));
    let lang = asked
        .or_else(|| session::cookie(headers, session::LANG_COOKIE).and_then(Lang::parse))
        .unwrap_or_default();
    Base {
        lang,
        title: lang.t(title_key).to_string(),
        csrf: String::new(),
        user_name: None,
        switch_href: format!("{path}?lang={}", lang.other().code()),
        nav: "feedback",
        css: statics::css_href(),
        htmx: statics::htmx_href(),
        js: statics::js_href(),
    }
}
