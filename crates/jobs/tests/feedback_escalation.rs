//! The feedback escalation sweep over real SMTP on both backends: an overdue item goes to
//! the agency's leader, then to the Working Group, each mail exactly once across repeated
//! ticks and a restarted runner; receipts and answers travel through the same outbox.

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use thutuc_domain::calendar::Calendar;
use thutuc_domain::feedback::{DeadlineConfig, RawFeedback, TrackingCode, attachment};
use thutuc_jobs::feedback::FeedbackEscalationSweep;
use thutuc_jobs::{DeliveryPolicy, MailConfig, Mailer, Runner};
use thutuc_smtp_sink::SmtpSink;
use thutuc_store::feedback::{FeedbackClock, FeedbackSubmission};
use thutuc_store::*;
use thutuc_store_tests::contract_tests;
use thutuc_store_tests::fixtures::*;

fn cal() -> Arc<Calendar> {
    Arc::new(Calendar::default_vn().expect("calendar"))
}

fn runner<S: Store + Send + Sync>(s: &S, sink: &SmtpSink) -> Runner<S> {
    let mailer = Mailer::from_config(&MailConfig {
        transport: sink.url(),
        from: "PAKN <pakn@thutuc.invalid>".into(),
        timeout_secs: 5,
    })
    .expect("mailer");
    let c = cal();
    Runner::new(
        s.clone(),
        mailer,
        DeliveryPolicy::default(),
        Arc::new(move || c.clone()),
    )
    .with_sweep(Arc::new(FeedbackEscalationSweep::default()))
}

/// 09:00 in Hà Nội on a date.
fn at(day: &str) -> DateTime<Utc> {
    let d = d(day);
    Utc.from_utc_datetime(&d.and_hms_opt(2, 0, 0).unwrap_or_default())
}

async fn overdue_items_escalate_once_to_the_leader_then_the_working_group<
    S: Store + Send + Sync,
>(
    s: S,
) {
    seed_orgs(&s).await;
    for (email, org, role) in [
        ("lanhdao@btp.gov.vn", "BTP", "leader"),
        ("tct@chinhphu.vn", "CP", "oversight"),
        ("canbo@btp.gov.vn", "BTP", "officer"),
    ] {
        s.create_user(&NewUser {
            email: email.into(),
            name: email.into(),
            org_id: org.into(),
            role: role.into(),
            password_hash: "x".into(),
        })
        .await
        .expect("user");
    }
    let mut sink = SmtpSink::start().await.expect("sink");
    let raw = RawFeedback {
        sender_name: "Trần Thị Bình".into(),
        sender_address: "Phường Ba Đình, Hà Nội".into(),
        sender_phone: "0988123456".into(),
        sender_email: "binh@example.vn".into(),
        content: "Thủ tục chứng thực bản sao yêu cầu xuất trình bản chính đã được số hóa.".into(),
        ..RawFeedback::default()
    };
    let cfg = DeadlineConfig::default();
    let c = cal();
    let sub = FeedbackSubmission {
        item: raw.validate().expect("valid"),
        tracking_code: TrackingCode::from_random(42).as_str().to_string(),
        receiving_org: "BTP".into(),
        received_at: at("2026-03-02"),
        attachments: vec![],
        max_attachment_bytes: attachment::DEFAULT_MAX_BYTES,
        entered_by: None,
    };
    let item = s
        .submit_feedback(
            &sub,
            FeedbackClock {
                cal: &c,
                config: &cfg,
            },
        )
        .await
        .expect("submit");
    assert_eq!(item.due_on, d("2026-03-16"));
    // Within term: only the receipt goes out.
    runner(&s, &sink).tick(at("2026-03-16")).await;
    let subjects = |sink: &SmtpSink| -> Vec<(String, String)> {
        sink.messages()
            .iter()
            .map(|m| (m.to.join(","), m.header("Subject").unwrap_or_default()))
            .collect()
    };
    assert_eq!(subjects(&sink).len(), 1);
    assert!(subjects(&sink)[0].1.contains("Đã tiếp nhận"));
    // One working day late: the leader, once, however many ticks and runners.
    let r = runner(&s, &sink);
    r.tick(at("2026-03-17")).await;
    r.tick(at("2026-03-17")).await;
    runner(&s, &sink).tick(at("2026-03-18")).await;
    let got = subjects(&sink);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[1].0, "lanhdao@btp.gov.vn");
    assert!(got[1].1.contains("quá hạn"));
    // Five working days late: the Working Group, once.
    runner(&s, &sink).tick(at("2026-03-23")).await;
    runner(&s, &sink).tick(at("2026-03-24")).await;
    let got = subjects(&sink);
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[2].0, "tct@chinhphu.vn");
    assert!(got[2].1.contains("Tổ công tác"));
    sink.stop();
}

contract_tests!(overdue_items_escalate_once_to_the_leader_then_the_working_group);
