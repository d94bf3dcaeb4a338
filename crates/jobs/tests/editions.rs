//! The monthly report edition sweep on both backends: last month's report is frozen from the
//! configured day and mailed once to subscribers with the XLSX; a late decision becomes a
//! correction edition, mailed again with its changelog.

use std::sync::Arc;

use chrono::{DateTime, NaiveTime, Utc};
use thutuc_domain::calendar::Calendar;
use thutuc_domain::params::PublicationRules;
use thutuc_domain::version::ChangeKind;
use thutuc_jobs::reports::MonthlyEditionSweep;
use thutuc_jobs::{DeliveryPolicy, MailConfig, Mailer, Runner};
use thutuc_reports::edition::EditionSchedule;
use thutuc_smtp_sink::SmtpSink;
use thutuc_store::*;
use thutuc_store_tests::contract_tests;
use thutuc_store_tests::fixtures::*;

fn cal() -> Arc<Calendar> {
    Arc::new(Calendar::default_vn().expect("calendar"))
}

async fn apply_on<S: Store>(
    s: &S,
    dec: &thutuc_domain::decision::PublicationDecision,
    applied: &str,
) {
    let rec = s.create_decision(dec, "tester").await.expect("create");
    let c = cal();
    let t = dec.timeliness(&PublicationRules::default(), &|x, n| {
        c.add_working_days(x, n).expect("in range")
    });
    s.apply_decision(&ApplyRequest {
        number: dec.number.clone(),
        expected_rev: rec.rev,
        applied_on: d(applied),
        timeliness: Some(t),
        dry_run: false,
    })
    .await
    .expect("apply");
}

/// 09:00 in Vietnam on a date.
fn at(day: &str) -> DateTime<Utc> {
    d(day)
        .and_time(NaiveTime::from_hms_opt(2, 0, 0).expect("time"))
        .and_utc()
}

fn runner<S: Store>(s: &S, sink: &SmtpSink) -> Runner<S> {
    let mailer = Mailer::from_config(&MailConfig {
        transport: sink.url(),
        ..MailConfig::default()
    })
    .expect("mailer");
    let sweep = MonthlyEditionSweep::new(
        EditionSchedule {
            day_of_month: 5,
            scopes: vec![String::new()],
            basis: DateBasis::Signed,
            recheck_months: 1,
        },
        Arc::new(PublicationRules::default()),
        "Hà Nội".into(),
    );
    Runner::new(s.clone(), mailer, DeliveryPolicy::default(), Arc::new(cal))
        .with_sweep(Arc::new(sweep))
}

async fn subscribers_get_the_monthly_edition_once_and_each_correction<S: Store>(s: S) {
    seed_orgs(&s).await;
    let sink = SmtpSink::start().await.expect("sink");
    let u = s
        .create_user(&NewUser {
            email: "tocongtac@vpcp.gov.vn".into(),
            name: "Tổ công tác của Thủ tướng".into(),
            org_id: "CP".into(),
            role: "oversight".into(),
            password_hash: "$argon2id$x".into(),
        })
        .await
        .expect("user");
    s.subscribe_reports(u.id, "").await.expect("subscribe");
    apply_on(
        &s,
        &decision(
            "1/QĐ-BTP",
            "2025-02-10",
            "2025-03-01",
            vec![entry(
                ChangeKind::New,
                "1.000001",
                Some(content("Thủ tục A", 5.0)),
            )],
        ),
        "2025-02-11",
    )
    .await;

    // Before the configured day nothing is frozen.
    let r = runner(&s, &sink).tick(at("2025-03-04")).await;
    assert_eq!(r.sweeps[0].1, Ok(0));
    assert!(sink.messages().is_empty());

    let first = runner(&s, &sink);
    first.tick(at("2025-03-05")).await;
    first.tick(at("2025-03-05")).await;
    runner(&s, &sink).tick(at("2025-03-06")).await; // a restarted server: same edition, no mail
    let got = sink.messages();
    assert_eq!(
        got.len(),
        1,
        "one mail for February, none for the re-checked January"
    );
    assert_eq!(got[0].subject(), "Báo cáo TTHC tháng 02/2025 — toàn quốc");
    assert!(
        got[0]
            .text()
            .starts_with("Kính gửi Tổ công tác của Thủ tướng,")
    );
    let files = got[0].attachments();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].0, "bao-cao-tthc-2025-02-toan-quoc.xlsx");
    assert!(files[0].1.starts_with(b"PK"), "an XLSX (zip) file");

    // A decision signed in February but entered late: a correction edition, mailed with its changes.
    apply_on(
        &s,
        &decision(
            "7/QĐ-BTP",
            "2025-02-27",
            "2025-04-15",
            vec![entry(
                ChangeKind::New,
                "1.000002",
                Some(content("Thủ tục B", 5.0)),
            )],
        ),
        "2025-03-20",
    )
    .await;
    runner(&s, &sink).tick(at("2025-03-21")).await;
    let got = sink.messages();
    assert_eq!(got.len(), 2);
    assert_eq!(
        got[1].subject(),
        "Báo cáo TTHC tháng 02/2025 — toàn quốc (ấn bản 2 — đính chính)"
    );
    assert!(
        got[1].text().contains("national.total.new: 1 → 2"),
        "{}",
        got[1].text()
    );
}

contract_tests!(subscribers_get_the_monthly_edition_once_and_each_correction);
