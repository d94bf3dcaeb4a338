//! The task reminder sweep over real SMTP (an in-process server on loopback), on both
//! backends: run twice → nothing new; a crash after enqueueing part → the rerun completes it;
//! every reminder mailed exactly once; escalation to the leader and the Working Group; the mail
//! server down, then up → mail waits in the outbox and nothing is lost.

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use thutuc_domain::calendar::Calendar;
use thutuc_domain::tasks::{ReminderPolicy, Task};
use thutuc_jobs::tasks::TaskReminderSweep;
use thutuc_jobs::{DeliveryPolicy, MailConfig, Mailer, Sweep, SweepCtx, deliver_due};
use thutuc_smtp_sink::SmtpSink;
use thutuc_store::{NewUser, Store};
use thutuc_store_tests::contract_tests;
use thutuc_store_tests::fixtures::{d, seed_orgs};

fn mailer(sink: &SmtpSink) -> Mailer {
    Mailer::from_config(&MailConfig {
        transport: sink.url(),
        from: "Tổ công tác <tct@thutuc.invalid>".into(),
        timeout_secs: 5,
    })
    .expect("mailer")
}

/// 09:00 in Vietnam on `date`.
fn at(date: &str) -> DateTime<Utc> {
    let n = d(date).and_hms_opt(2, 0, 0).expect("time");
    Utc.from_utc_datetime(&n)
}

async fn users<S: Store>(s: &S) {
    for (email, org, role) in [
        ("canbo@btp.gov.vn", "BTP", "officer"),
        ("lanhdao@btp.gov.vn", "BTP", "leader"),
        ("tct@vpcp.gov.vn", "CP", "oversight"),
        ("canbo@byt.gov.vn", "BYT", "officer"),
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
}

async fn sweep<S: Store>(s: &S, policy: &ReminderPolicy, now: DateTime<Utc>) -> usize {
    let ctx = SweepCtx {
        store: s,
        calendar: Arc::new(Calendar::default_vn().expect("cal")),
        now,
    };
    TaskReminderSweep {
        policy: policy.clone(),
        lookback_days: 14,
    }
    .run(&ctx)
    .await
    .expect("sweep")
}

/// One delivery round, `after` the real present (the outbox stamps rows with the real clock,
/// while the sweeps above run on dates of 2025).
async fn deliver<S: Store>(s: &S, m: &Mailer, after: Duration) -> usize {
    deliver_due(
        s,
        m,
        &DeliveryPolicy::default(),
        Utc::now() + after + Duration::seconds(1),
    )
    .await
    .expect("deliver")
    .sent
}

async fn every_reminder_is_mailed_exactly_once_even_when_swept_twice<S: Store>(s: S) {
    seed_orgs(&s).await;
    users(&s).await;
    let sink = SmtpSink::start().await.expect("sink");
    let m = mailer(&sink);
    // Deadline Fri 07/02/2025, after Tết: steps on 24/01 (5), 05/02 (2), 07/02 (0).
    let t = Task::new(
        "Báo cáo rà soát TTHC",
        "CP",
        "BTP",
        d("2025-01-02"),
        d("2025-02-07"),
    );
    s.create_tasks(&[t], "tct@vpcp.gov.vn").await.expect("task");
    let policy = ReminderPolicy::default();
    let mut day = d("2025-01-02");
    while day <= d("2025-02-07") {
        let first = sweep(&s, &policy, at(&day.to_string())).await;
        let again = sweep(&s, &policy, at(&day.to_string())).await;
        assert_eq!(again, 0, "second sweep on {day} wrote nothing");
        if first > 0 {
            assert!(
                matches!(
                    day.to_string().as_str(),
                    "2025-01-24" | "2025-02-05" | "2025-02-07"
                ),
                "{day}"
            );
        }
        deliver(&s, &m, Duration::zero()).await;
        day = day.succ_opt().expect("day");
    }
    let got = sink.messages();
    // Three steps × two BTP users (officer and leader); nobody else.
    assert_eq!(got.len(), 6);
    assert!(got.iter().all(|g| g.to[0].ends_with("@btp.gov.vn")));
    let mut ids: Vec<String> = got.iter().map(|g| g.message_id()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 6);
    assert!(
        got.iter()
            .any(|g| g.subject().contains("còn 5 ngày làm việc"))
    );
    assert!(got.iter().any(|g| g.subject().contains("hôm nay là hạn")));
}

async fn a_rerun_after_a_crash_completes_the_sweep_and_escalates_once<S: Store>(s: S) {
    seed_orgs(&s).await;
    users(&s).await;
    let sink = SmtpSink::start().await.expect("sink");
    let m = mailer(&sink);
    let mut tasks = Vec::new();
    for i in 0..30 {
        tasks.push(Task::new(
            format!("Nhiệm vụ {i}"),
            "CP",
            "BTP",
            d("2025-03-03"),
            d("2025-03-07"),
        ));
    }
    s.create_tasks(&tasks, "tct@vpcp.gov.vn")
        .await
        .expect("tasks");
    let policy = ReminderPolicy {
        before: vec![],
        overdue_every: 5,
        escalate_leader_after: 2,
        escalate_group_after: 3,
    };
    // "Crash": part of the day's reminders were enqueued by hand before the worker died.
    let partial = thutuc_store::outbox::OutgoingMail {
        dedupe_key: "task:1:2025-03-07:overdue:1:u1".into(),
        to: "canbo@btp.gov.vn".into(),
        subject: "Đôn đốc".into(),
        body_text: "x".into(),
        attachment: None,
    };
    s.enqueue_mail(&partial).await.expect("partial");
    // Wed 12/03: 3 working days overdue → overdue step 1, leader and Working Group escalations.
    let now = at("2025-03-12");
    let first = sweep(&s, &policy, now).await;
    // 30 tasks × (2 overdue mails + 1 leader mail + 1 group mail) + 30 × 3 notifications, minus the one already there.
    assert_eq!(first, 30 * 4 + 30 * 3 - 1);
    assert_eq!(sweep(&s, &policy, now).await, 0);
    assert_eq!(
        sweep(&s, &policy, at("2025-03-13")).await,
        0,
        "no new step on Thursday"
    );
    deliver(&s, &m, Duration::zero()).await;
    deliver(&s, &m, Duration::minutes(5)).await;
    let got = sink.messages();
    assert_eq!(got.len(), 120);
    let to_group = got.iter().filter(|g| g.to == ["tct@vpcp.gov.vn"]).count();
    let to_leader = got
        .iter()
        .filter(|g| g.to == ["lanhdao@btp.gov.vn"])
        .count();
    assert_eq!((to_group, to_leader), (30, 60));
    assert!(
        got.iter()
            .any(|g| g.subject().starts_with("Báo cáo Tổ công tác"))
    );
    let wg = s
        .notifications_for(0, &["CP".into()], false, 500)
        .await
        .expect("notes");
    assert_eq!(wg.len(), 30);
}

async fn reminders_wait_in_the_outbox_while_the_mail_server_is_down<S: Store>(s: S) {
    seed_orgs(&s).await;
    users(&s).await;
    let mut sink = SmtpSink::start().await.expect("sink");
    let m = mailer(&sink);
    sink.stop();
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    s.create_tasks(
        &[Task::new(
            "Báo cáo tháng",
            "CP",
            "BYT",
            d("2025-03-03"),
            d("2025-03-07"),
        )],
        "x",
    )
    .await
    .expect("task");
    let now = at("2025-03-07");
    assert_eq!(sweep(&s, &ReminderPolicy::default(), now).await, 2);
    assert_eq!(deliver(&s, &m, Duration::zero()).await, 0);
    let c = s.outbox_counts().await.expect("counts");
    assert_eq!(c.pending + c.sending, 1, "the mail waits: {c:?}");
    sink.restart().await.expect("restart");
    assert_eq!(
        sweep(&s, &ReminderPolicy::default(), now).await,
        0,
        "not enqueued twice"
    );
    let sent =
        deliver(&s, &m, Duration::hours(2)).await + deliver(&s, &m, Duration::hours(4)).await;
    assert_eq!(sent, 1);
    assert_eq!(sink.messages().len(), 1);
    assert_eq!(sink.messages()[0].to, ["canbo@byt.gov.vn"]);
}

contract_tests!(
    every_reminder_is_mailed_exactly_once_even_when_swept_twice,
    a_rerun_after_a_crash_completes_the_sweep_and_escalates_once,
    reminders_wait_in_the_outbox_while_the_mail_server_is_down,
);
