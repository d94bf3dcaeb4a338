//! The monthly report edition (issue: monthly statistics): from the configured day, freeze last
//! month's report for each configured scope and mail each new edition — the first one and every
//! correction — to the users subscribed to its scope, with the XLSX attached.

use async_trait::async_trait;
use thutuc_reports::edition::{EditionJob, ensure_monthly_edition};
use thutuc_reports::model::Report;
use thutuc_reports::output::{Format, render};
use thutuc_reports::template::{DocumentParams, ReportTemplate};
use thutuc_store::outbox::{MailAttachment, OutgoingMail};
use thutuc_store::{EditionOutcome, Store};

use crate::sweep::{JobError, Sweep, SweepCtx};

/// The sweep; `job.env` carries the rules, calendar and organisations reports use.
pub struct MonthlyEditionSweep {
    /// Schedule and environment.
    pub job: EditionJob,
    /// Place printed on the document ("Hà Nội").
    pub place: String,
}

#[async_trait]
impl<S: Store> Sweep<S> for MonthlyEditionSweep {
    fn name(&self) -> &'static str {
        "monthly-report-edition"
    }

    async fn run(&self, ctx: &SweepCtx<'_, S>) -> Result<usize, JobError> {
        let today = ctx.today();
        let outcomes = ensure_monthly_edition(ctx.store, today, &self.job)
            .await
            .map_err(|e| JobError::Other(e.to_string()))?;
        let mut written = 0;
        for o in outcomes {
            let e = o.edition();
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
                        "Báo cáo TTHC tháng {} — {scope_label}{correction}",
                        e.key.period
                    ),
                    body_text: format!(
                        "Kính gửi {},\n\nHệ thống thutuc gửi kèm báo cáo thống kê thủ tục hành chính kỳ {} ({scope_label}), ấn bản số {} lập ngày {}.\n\
                         Số liệu được tính từ các quyết định công bố và đã được chốt; mọi đính chính về sau sẽ tạo ấn bản mới và được gửi lại kèm danh sách thay đổi.\n\n\
                         Monthly TTHC statistics for {} ({scope_label}), edition {}, attached as XLSX.\n",
                        s.email,
                        e.key.period,
                        e.edition_no,
                        e.created_at.format("%d/%m/%Y"),
                        e.key.period,
                        e.edition_no
                    ),
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
        Ok(written)
    }
}
