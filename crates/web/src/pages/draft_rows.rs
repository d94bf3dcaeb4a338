//! The editor's repeatable rows (step, channel, dossier document, legal basis): rendered inside
//! the full form and, for htmx's "add a row", alone as a fragment.

use askama::Template;
use axum::extract::Path;
use axum::response::{Html, IntoResponse};

use crate::i18n::Lang;
use crate::pages::context::Ctx;
use crate::pages::draft_form::{DraftForm, new_key};
use crate::pages::error::{PageError, PageResult};

/// A step row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StepRow {
    /// Row key.
    pub key: String,
    /// Title.
    pub title: String,
    /// Text.
    pub text: String,
}

/// A channel row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChannelRow {
    /// Row key.
    pub key: String,
    /// `direct`, `online`, `postal`.
    pub method: String,
    /// Time value as typed.
    pub time_value: String,
    /// `working_day`, `calendar_day`, `hour`, `month`, `year`, `unknown`.
    pub time_unit: String,
    /// First fee's amount as typed (đồng).
    pub fee_amount: String,
    /// First fee's note.
    pub fee_text: String,
}

/// A dossier document row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocRow {
    /// Row key.
    pub key: String,
    /// Case name.
    pub case: String,
    /// Document name.
    pub name: String,
    /// Templates, comma-separated.
    pub templates: String,
    /// Originals as typed.
    pub originals: String,
    /// Copies as typed.
    pub copies: String,
    /// Required.
    pub required: bool,
}

/// A legal basis row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LegalRow {
    /// Row key.
    pub key: String,
    /// Number.
    pub number: String,
    /// Title.
    pub title: String,
    /// Article.
    pub article: String,
}

#[derive(Template)]
#[template(path = "row_step.html")]
struct StepTpl<'a> {
    lang: Lang,
    r: &'a StepRow,
}
#[derive(Template)]
#[template(path = "row_channel.html")]
struct ChannelTpl<'a> {
    lang: Lang,
    r: &'a ChannelRow,
    units: &'a [(&'static str, &'static str)],
    methods: &'a [(&'static str, &'static str)],
}
#[derive(Template)]
#[template(path = "row_doc.html")]
struct DocTpl<'a> {
    lang: Lang,
    r: &'a DocRow,
}
#[derive(Template)]
#[template(path = "row_legal.html")]
struct LegalTpl<'a> {
    lang: Lang,
    r: &'a LegalRow,
}

const UNITS: [(&str, &str); 6] = [
    ("working_day", "unit.working_day"),
    ("calendar_day", "unit.calendar_day"),
    ("hour", "unit.hour"),
    ("month", "unit.month"),
    ("year", "unit.year"),
    ("unknown", "unit.unknown"),
];
const METHODS: [(&str, &str); 3] = [
    ("direct", "method.direct"),
    ("online", "method.online"),
    ("postal", "method.postal"),
];

/// Renders one editor row of `kind` (`step`, `channel`, `doc`, `legal`).
pub fn row_html(
    lang: Lang,
    form: &DraftForm,
    kind: &str,
    i: usize,
) -> Result<String, askama::Error> {
    match kind {
        "step" => StepTpl {
            lang,
            r: &form.steps[i],
        }
        .render(),
        "channel" => ChannelTpl {
            lang,
            r: &form.channels[i],
            units: &UNITS,
            methods: &METHODS,
        }
        .render(),
        "doc" => DocTpl {
            lang,
            r: &form.docs[i],
        }
        .render(),
        _ => LegalTpl {
            lang,
            r: &form.legal[i],
        }
        .render(),
    }
}

/// `GET /can-bo/dong/{kind}`: one empty editor row (htmx "add a row").
pub async fn new_row(ctx: Ctx, Path(kind): Path<String>) -> PageResult {
    ctx.viewer()?;
    let mut f = DraftForm::default();
    let key = new_key();
    match kind.as_str() {
        "step" => f.steps.push(StepRow {
            key,
            ..Default::default()
        }),
        "channel" => f.channels.push(ChannelRow {
            key,
            method: "direct".into(),
            time_unit: "working_day".into(),
            ..Default::default()
        }),
        "doc" => f.docs.push(DocRow {
            key,
            required: true,
            originals: "1".into(),
            copies: "0".into(),
            ..Default::default()
        }),
        "legal" => f.legal.push(LegalRow {
            key,
            ..Default::default()
        }),
        _ => return Err(PageError::not_found(kind)),
    }
    Ok(Html(row_html(ctx.lang, &f, &kind, 0)?).into_response())
}
