//! The monthly report edition (issue: monthly statistics): from the configured day, freeze last
//! month's report for each configured scope and mail each new edition — the first one and every
//! correction — to the users subscribed to its scope, with the XLSX attached.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::Datelike;
use chrono::NaiveDate;
use thutuc_domain::params::PublicationRules;
use thutuc_reports::edition::{EditionJob, EditionSchedule, ensure_monthly_edition};
use thutuc_reports::model::Report;
use thutuc_reports::output::{Format, render};
use thutuc_reports::service::ReportEnv;
use thutuc_reports::template::{DocumentParams, ReportTemplate};
use thutuc_store::outbox::{MailAttachment, OutgoingMail};
use thutuc_store::{EditionOutcome, Store};

use crate::sweep::{JobError, Sweep, SweepCtx};

/// The sweep. It does its work at most once per day per server (the report is recomputed for
/// every scope), and again after a restart.
pub struct MonthlyEditionSweep {
    schedule: EditionSchedule,
    rules: Arc<PublicationRules>,
    place: String,
    last_run: Mutex<Option<NaiveDate>>,
}

impl MonthlyEditionSweep {
    /// A sweep for a schedule; `place` is printed on the document ("Hà Nội").
    pub fn new(schedule: EditionSchedule, rules: Arc<PublicationRules>, place: String) -> Self {
        Self {
            schedule,
            rules,
            place,
            last_run: Mutex::new(None),
        }
    }

    fn ran_on(&self, day: NaiveDate) -> bool {
        self.last_run
            .lock()
            .map(|g| *g == Some(day))
            .unwrap_or(false)
    }

    fn mark(&self, day: NaiveDate) {
        if let Ok(mut g) = self.last_run.lock() {
            *g = Some(day);
        }
    }
}

#[async_trait]
impl<S: Store> Sweep<S> for MonthlyEditionSweep {
    fn name(&self) -> &'static str {
        "monthly-report-edition"
    }

    async fn run(&self, ctx: &SweepCtx<'_, S>) -> Result<usize, JobError> {
        let today = ctx.today();
        if self.ran_on(today) || today.day() < self.schedule.day_of_month.clamp(1, 28) {
            return Ok(0);
        }
        let env = ReportEnv::load(ctx.store, self.rules.clone(), ctx.calendar.clone())
            .await
            .map_err(|e| JobError::Other(e.to_string()))?;
        let job = EditionJob {
            schedule: self.schedule.clone(),
            env,
        };
        let outcomes = ensure_monthly_edition(ctx.store, today, &job)
            .await
            .map_err(|e| JobError::Other(e.to_string()))?;
        let mut written = 0;
        let last_month = thutuc_reports::period::Period::previous_month(today);
        let last_key = thutuc_reports::edition::key_of(&thutuc_reports::service::ReportRequest {
            period: last_month,
            basis: self.schedule.basis,
            scope: None,
        })
        .period;
        for o in outcomes {
            let e = o.edition();
            // Subscribers get last month's report and every later correction of an earlier
            // month, not the first editions of re-checked months (a fresh installation).
            if e.key.period != last_key && e.edition_no == 1 {
                continue;
            }
            // Mail every edition that exists, not only the ones created now: a crash between
            // freezing and enqueueing is repaired on the next tick (dedupe keys stop repeats).
            let subs = ctx.store.report_subscribers(&e.key.scope).await?;
            if subs.is_empty() {
                if matches!(o, EditionOutcome::Created(_)) {
                    written += 1;
                }
                continue;
            }
            let report: Report = serde_json::from_value(e.body.clone())
                .map_err(|x| JobError::Other(format!("ấn bản {}: {x}", e.edition_no)))?;
            let template =
                ReportTemplate::default_vi().map_err(|x| JobError::Other(x.to_string()))?;
            let doc = DocumentParams {
                place: self.place.clone(),
                date: today,
                number: "      ".into(),
                issuer_symbol: if e.key.scope.is_empty() {
                    "VPCP".into()
                } else {
                    e.key.scope.clone()
                },
            };
            let xlsx = render(&report, &template, &doc, Format::Xlsx)
                .map_err(|x| JobError::Other(x.to_string()))?;
            let period_label = e
                .key
                .period
                .split_once('-')
                .map(|(y, m)| format!("{m}/{y}"))
                .unwrap_or_else(|| e.key.period.clone());
            let scope_label = if e.key.scope.is_empty() {
                "toàn quốc".to_string()
            } else {
                e.key.scope.clone()
            };
            let correction = if e.edition_no > 1 {
                format!(" (ấn bản {} — đính chính)", e.edition_no)
            } else {
                String::new()
            };
            for s in subs {
                let mail = OutgoingMail {
                    dedupe_key: format!(
                        "report-edition:{}:{}:{}:{}:{}:u{}",
                        e.key.report_kind,
                        e.key.period,
                        e.key.scope,
                        e.key.basis,
                        e.edition_no,
                        s.user_id
                    ),
                    to: s.email.clone(),
                    subject: format!(
                        "Báo cáo TTHC tháng {period_label} — {scope_label}{correction}"
                    ),
                    body_text: format!(
                        "Kính gửi {},\n\nHệ thống thutuc gửi kèm báo cáo thống kê thủ tục hành chính tháng {period_label} ({scope_label}), ấn bản số {} lập ngày {}.\n\
                         Số liệu được tính từ các quyết định công bố và đã được chốt; mọi đính chính về sau sẽ tạo ấn bản mới và được gửi lại kèm danh sách thay đổi.\n\n\
                         Monthly TTHC statistics for {} ({scope_label}), edition {}, attached as XLSX.\n",
                        s.name,
                        e.edition_no,
                        e.created_at.format("%d/%m/%Y"),
                        e.key.period,
                        e.edition_no
                    ) + &changes_text(&e.changelog),
                    attachment: Some(MailAttachment {
                        filename: format!(
                            "bao-cao-tthc-{}-{}.xlsx",
                            e.key.period,
                            if e.key.scope.is_empty() {
                                "toan-quoc"
                            } else {
                                &e.key.scope
                            }
                        ),
                        content_type: Format::Xlsx.content_type().into(),
                        bytes: xlsx.clone(),
                    }),
                };
                if ctx.store.enqueue_mail(&mail).await? {
                    written += 1;
                }
            }
        }
        self.mark(today);
        Ok(written)
    }
}

/// The changelog of a correction as text lines ("Ô …: 12 → 13").
fn changes_text(changelog: &serde_json::Value) -> String {
    let Some(cells) = changelog.get("cells").and_then(|c| c.as_array()) else {
        return String::new();
    };
    if cells.is_empty() {
        return String::new();
    }
    let mut out =
        String::from("\nThay đổi so với ấn bản trước / changes from the previous edition:\n");
    for c in cells.iter().take(200) {
        let name = c.get("cell").and_then(|v| v.as_str()).unwrap_or_default();
        let before = c.get("before").and_then(|v| v.as_i64()).unwrap_or_default();
        let after = c.get("after").and_then(|v| v.as_i64()).unwrap_or_default();
        out.push_str(&format!("  - {name}: {before} → {after}\n"));
    }
    out
}
