//! Outbox delivery over real SMTP (an in-process server on loopback), on both backends:
//! exactly once across repeated and concurrent rounds, retried while the server is down,
//! taken over after a worker dies.

use chrono::{Duration, Utc};
use thutuc_jobs::{DeliveryPolicy, MailConfig, Mailer, deliver_due};
use thutuc_smtp_sink::SmtpSink;
use thutuc_store::Store;
use thutuc_store::outbox::*;
use thutuc_store_tests::contract_tests;

fn mailer(sink: &SmtpSink) -> Mailer {
    Mailer::from_config(&MailConfig {
        transport: sink.url(),
        from: "Tổ công tác <tct@thutuc.invalid>".into(),
        timeout_secs: 5,
    })
    .expect("mailer")
}

fn mail(i: usize) -> OutgoingMail {
    OutgoingMail {
        dedupe_key: format!("reminder:{i}"),
        to: format!("can-bo{i}@soyte.hanoi.gov.vn"),
        subject: format!("Nhắc hạn: báo cáo tháng số {i} — đến hạn ngày 20/11/2026"),
        body_text: "Kính gửi đồng chí,\nĐề nghị hoàn thành nhiệm vụ đúng hạn.".into(),
        attachment: None,
    }
}

async fn every_queued_mail_arrives_exactly_once_over_smtp<S: Store>(s: S) {
    let sink = SmtpSink::start().await.expect("sink");
    let m = mailer(&sink);
    for i in 0..20 {
        s.enqueue_mail(&mail(i)).await.expect("enqueue");
    }
    let mut with_file = mail(99);
    with_file.attachment = Some(MailAttachment {
        filename: "van-ban-don-doc.docx".into(),
        content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            .into(),
        bytes: b"PK\x03\x04 not really a docx".to_vec(),
    });
    s.enqueue_mail(&with_file).await.expect("enqueue");
    let policy = DeliveryPolicy {
        batch: 7,
        ..DeliveryPolicy::default()
    };
    let now = Utc::now() + Duration::seconds(1);
    // Two workers at once, then a third round: nothing is sent twice.
    let (a, b) = tokio::join!(
        deliver_due(&s, &m, &policy, now),
        deliver_due(&s, &m, &policy, now)
    );
    let (a, b) = (a.expect("a"), b.expect("b"));
    assert_eq!(a.sent + b.sent, 21);
    let c = deliver_due(&s, &m, &policy, now).await.expect("again");
    assert_eq!(c.sent, 0);
    let got = sink.messages();
    assert_eq!(got.len(), 21);
    let mut ids: Vec<String> = got.iter().map(|g| g.message_id()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 21, "distinct Message-IDs");
    let first = got
        .iter()
        .find(|g| g.to == ["can-bo3@soyte.hanoi.gov.vn"])
        .expect("mail 3");
    assert_eq!(
        first.subject(),
        "Nhắc hạn: báo cáo tháng số 3 — đến hạn ngày 20/11/2026"
    );
    assert!(
        first
            .text()
            .contains("Đề nghị hoàn thành nhiệm vụ đúng hạn.")
    );
    assert_eq!(first.message_id(), mail(3).message_id());
    let att = got
        .iter()
        .find(|g| g.to == ["can-bo99@soyte.hanoi.gov.vn"])
        .expect("mail 99");
    assert_eq!(
        att.attachments(),
        vec![(
            "van-ban-don-doc.docx".to_string(),
            b"PK\x03\x04 not really a docx".to_vec()
        )]
    );
    assert_eq!(s.outbox_counts().await.expect("counts").sent, 21);
}

async fn mail_waits_while_the_server_is_down_and_leaves_once_it_is_back<S: Store>(s: S) {
    let mut sink = SmtpSink::start().await.expect("sink");
    let m = mailer(&sink);
    sink.stop();
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    for i in 0..3 {
        s.enqueue_mail(&mail(i)).await.expect("enqueue");
    }
    let policy = DeliveryPolicy::default();
    let now = Utc::now() + Duration::seconds(1);
    let r = deliver_due(&s, &m, &policy, now)
        .await
        .expect("round while down");
    assert_eq!((r.sent, r.dead), (0, 0));
    assert!(r.retried >= 1);
    let counts = s.outbox_counts().await.expect("counts");
    assert_eq!(
        counts.pending + counts.sending,
        3,
        "nothing lost: {counts:?}"
    );
    sink.restart().await.expect("restart");
    // Before the backoff has passed nothing is tried; after it everything goes, once.
    let early = deliver_due(&s, &m, &policy, Utc::now())
        .await
        .expect("early");
    assert_eq!(early.sent, 0);
    let later = Utc::now() + Duration::hours(1);
    let r = deliver_due(&s, &m, &policy, later)
        .await
        .expect("round when up");
    let r2 = deliver_due(&s, &m, &policy, later + Duration::hours(1))
        .await
        .expect("again");
    assert_eq!(r.sent + r2.sent, 3);
    assert_eq!(sink.messages().len(), 3);
    assert_eq!(s.outbox_counts().await.expect("counts").sent, 3);
}

async fn a_worker_that_dies_after_claiming_loses_no_mail<S: Store>(s: S) {
    let sink = SmtpSink::start().await.expect("sink");
    let m = mailer(&sink);
    s.enqueue_mail(&mail(1)).await.expect("enqueue");
    let now = Utc::now() + Duration::seconds(1);
    let policy = DeliveryPolicy::default();
    // The crashed worker: claimed, never sent, never recorded.
    assert_eq!(
        s.claim_mail(now, policy.lease_secs, "dead-worker", 10)
            .await
            .expect("claim")
            .len(),
        1
    );
    let r = deliver_due(&s, &m, &policy, now)
        .await
        .expect("during lease");
    assert_eq!(r.claimed, 0, "the claim still holds");
    let after = now + Duration::seconds(policy.lease_secs + 1);
    let r = deliver_due(&s, &m, &policy, after)
        .await
        .expect("after lease");
    assert_eq!(r.sent, 1);
    assert_eq!(sink.messages().len(), 1);
}

async fn a_rejected_recipient_is_not_retried_forever<S: Store>(s: S) {
    let sink = SmtpSink::start().await.expect("sink");
    let m = mailer(&sink);
    let mut bad = mail(1);
    bad.to = "không phải địa chỉ".into();
    s.enqueue_mail(&bad).await.expect("enqueue");
    let r = deliver_due(
        &s,
        &m,
        &DeliveryPolicy::default(),
        Utc::now() + Duration::seconds(1),
    )
    .await
    .expect("round");
    assert_eq!(r.dead, 1);
    let dead = s
        .list_mail(Some(MailStatus::Dead), 10, 0)
        .await
        .expect("dead");
    assert!(
        dead.items[0]
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("không hợp lệ")
    );
    assert!(sink.messages().is_empty());
}

contract_tests!(
    every_queued_mail_arrives_exactly_once_over_smtp,
    mail_waits_while_the_server_is_down_and_leaves_once_it_is_back,
    a_worker_that_dies_after_claiming_loses_no_mail,
    a_rejected_recipient_is_not_retried_forever,
);
