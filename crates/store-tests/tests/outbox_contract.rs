//! The outbox contract (mail queue, claims and leases, notifications, report subscriptions) on
//! both backends.

use chrono::{Duration, Utc};
use thutuc_store::outbox::*;
use thutuc_store::*;
use thutuc_store_tests::contract_tests;
use thutuc_store_tests::fixtures::*;

fn mail(key: &str) -> OutgoingMail {
    OutgoingMail {
        dedupe_key: key.into(),
        to: "can-bo@hanoi.gov.vn".into(),
        subject: format!("Nhắc hạn nhiệm vụ {key}"),
        body_text: "Kính gửi đồng chí,\nNhiệm vụ sắp đến hạn.".into(),
        attachment: None,
    }
}

async fn user<S: Store>(s: &S, email: &str, org: &str) -> User {
    s.create_user(&NewUser {
        email: email.into(),
        name: "Người dùng".into(),
        org_id: org.into(),
        role: "officer".into(),
        password_hash: "$argon2id$x".into(),
    })
    .await
    .expect("user")
}

async fn the_same_mail_is_queued_once_and_concurrent_claims_never_overlap<S: Store>(s: S) {
    for i in 0..10 {
        assert!(
            s.enqueue_mail(&mail(&format!("k{i}")))
                .await
                .expect("enqueue")
        );
    }
    assert!(
        !s.enqueue_mail(&mail("k3")).await.expect("again"),
        "dedupe key"
    );
    let now = Utc::now() + Duration::seconds(1);
    let (a, b) = tokio::join!(s.claim_mail(now, 60, "A", 6), s.claim_mail(now, 60, "B", 6));
    let (a, b) = (a.expect("claim a"), b.expect("claim b"));
    let mut ids: Vec<i64> = a.iter().chain(b.iter()).map(|m| m.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), a.len() + b.len(), "no mail claimed twice");
    assert_eq!(ids.len(), 10);
    for m in &a {
        assert_eq!(m.status, MailStatus::Sending);
        assert_eq!(m.attempts, 1);
        s.mark_mail_sent(m.id, "A", Utc::now()).await.expect("sent");
    }
    let c = s.outbox_counts().await.expect("counts");
    assert_eq!(
        (c.sent, c.sending, c.pending),
        (a.len() as i64, b.len() as i64, 0)
    );
    assert!(
        s.claim_mail(now, 60, "C", 50)
            .await
            .expect("none")
            .is_empty(),
        "leases hold"
    );
}

async fn failed_mail_waits_for_its_retry_and_an_expired_claim_is_taken_over<S: Store>(s: S) {
    s.enqueue_mail(&mail("r1")).await.expect("enqueue");
    let t0 = Utc::now() + Duration::seconds(1);
    let m = s.claim_mail(t0, 60, "A", 5).await.expect("claim").remove(0);
    let retry = t0 + Duration::minutes(5);
    s.mark_mail_failed(m.id, "A", "connection refused", Some(retry))
        .await
        .expect("failed");
    assert!(
        s.claim_mail(t0 + Duration::minutes(1), 60, "B", 5)
            .await
            .expect("early")
            .is_empty()
    );
    let m = s
        .claim_mail(retry, 60, "B", 5)
        .await
        .expect("due")
        .remove(0);
    assert_eq!(
        (m.attempts, m.last_error.as_deref()),
        (2, Some("connection refused"))
    );
    // B dies without recording anything; after the lease C takes the mail over.
    let m = s
        .claim_mail(retry + Duration::seconds(61), 60, "C", 5)
        .await
        .expect("takeover")
        .remove(0);
    assert_eq!(m.attempts, 3);
    assert!(
        matches!(
            s.mark_mail_failed(m.id, "B", "late", None).await,
            Err(StoreError::Conflict { .. })
        ),
        "a lost claim cannot record a failure"
    );
    s.mark_mail_failed(m.id, "C", "550 no such user", None)
        .await
        .expect("dead");
    let dead = s
        .list_mail(Some(MailStatus::Dead), 10, 0)
        .await
        .expect("list");
    assert_eq!(dead.total, 1);
    assert!(matches!(
        s.requeue_mail(dead.items[0].id + 99, Utc::now()).await,
        Err(StoreError::Rule(_))
    ));
    s.requeue_mail(dead.items[0].id, retry)
        .await
        .expect("requeue");
    let m = s
        .claim_mail(retry + Duration::hours(1), 60, "D", 5)
        .await
        .expect("again")
        .remove(0);
    assert_eq!(m.attempts, 1, "requeue starts the count again");
}

async fn an_attachment_and_vietnamese_text_survive_the_queue<S: Store>(s: S) {
    let mut m = mail("att");
    m.attachment = Some(MailAttachment {
        filename: "bao-cao-thang-10.xlsx".into(),
        content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".into(),
        bytes: (0..=255u8).cycle().take(70_000).collect(),
    });
    s.enqueue_mail(&m).await.expect("enqueue");
    let got = s
        .claim_mail(Utc::now() + Duration::seconds(1), 60, "A", 5)
        .await
        .expect("claim")
        .remove(0);
    assert_eq!(got.subject, m.subject);
    assert_eq!(got.body_text, m.body_text);
    assert_eq!(got.message_id, m.message_id());
    assert_eq!(got.attachment, m.attachment);
}

async fn notifications_reach_a_user_and_their_organisation_once_each<S: Store>(s: S) {
    seed_orgs(&s).await;
    let u = user(&s, "a@btp.gov.vn", "BTP").await;
    let items = vec![
        NewNotification {
            dedupe_key: "n1".into(),
            user_id: Some(u.id),
            org_id: None,
            title: "Nhiệm vụ mới".into(),
            body: "Báo cáo tình hình".into(),
            link: "/can-bo/nhiem-vu/1".into(),
        },
        NewNotification {
            dedupe_key: "n2".into(),
            user_id: None,
            org_id: Some("BTP".into()),
            title: "Quá hạn".into(),
            body: "Nhiệm vụ quá hạn".into(),
            link: "/can-bo/nhiem-vu/2".into(),
        },
    ];
    assert_eq!(s.notify(&items).await.expect("notify"), 2);
    assert_eq!(s.notify(&items).await.expect("again"), 0, "deduplicated");
    let bad = NewNotification {
        user_id: None,
        org_id: None,
        dedupe_key: "n3".into(),
        ..items[0].clone()
    };
    assert!(matches!(
        s.notify(&[bad]).await,
        Err(StoreError::Invalid { .. })
    ));
    let orgs = vec!["BTP".to_string()];
    let all = s
        .notifications_for(u.id, &orgs, false, 10)
        .await
        .expect("all");
    assert_eq!(all.len(), 2);
    assert!(
        s.notifications_for(u.id, &[], false, 10)
            .await
            .expect("own")
            .len()
            == 1
    );
    s.mark_notification_read(all[0].id, u.id)
        .await
        .expect("read");
    s.mark_notification_read(all[0].id, u.id)
        .await
        .expect("read twice");
    let unread = s
        .notifications_for(u.id, &orgs, true, 10)
        .await
        .expect("unread");
    assert_eq!(unread.len(), 1);
    assert_ne!(unread[0].id, all[0].id);
}

async fn report_subscriptions_are_idempotent_and_list_subscribers_by_scope<S: Store>(s: S) {
    seed_orgs(&s).await;
    let a = user(&s, "a@btp.gov.vn", "BTP").await;
    let b = user(&s, "b@btp.gov.vn", "BTP").await;
    s.subscribe_reports(a.id, "").await.expect("sub");
    s.subscribe_reports(a.id, "").await.expect("sub twice");
    s.subscribe_reports(b.id, "").await.expect("sub b");
    s.subscribe_reports(b.id, "BTP").await.expect("sub b scope");
    let national = s.report_subscribers("").await.expect("national");
    assert_eq!(
        national
            .iter()
            .map(|x| x.email.as_str())
            .collect::<Vec<_>>(),
        ["a@btp.gov.vn", "b@btp.gov.vn"]
    );
    assert_eq!(s.subscriptions_of(b.id).await.expect("of b").len(), 2);
    s.unsubscribe_reports(b.id, "").await.expect("unsub");
    assert_eq!(s.report_subscribers("").await.expect("after").len(), 1);
    // Subscribing and unsubscribing take the request's pending audit entry into their own
    // transaction.
    for (action, on) in [("report.subscribe", true), ("report.unsubscribe", false)] {
        let e = NewAuditEntry {
            actor: "b@btp.gov.vn".into(),
            action: action.into(),
            entity_type: "report_subscription".into(),
            entity_id: "BYT".into(),
            before: None,
            after: None,
        };
        let write = async {
            if on {
                s.subscribe_reports(b.id, "BYT").await
            } else {
                s.unsubscribe_reports(b.id, "BYT").await
            }
        };
        let (done, left) = thutuc_store::audit_scope::audited(e, write).await;
        done.expect(action);
        assert_eq!(left, None, "{action} took the entry");
    }
    assert_eq!(
        audit_actions(&s).await,
        ["report.subscribe", "report.unsubscribe"]
    );
}

contract_tests!(
    the_same_mail_is_queued_once_and_concurrent_claims_never_overlap,
    failed_mail_waits_for_its_retry_and_an_expired_claim_is_taken_over,
    an_attachment_and_vietnamese_text_survive_the_queue,
    notifications_reach_a_user_and_their_organisation_once_each,
    report_subscriptions_are_idempotent_and_list_subscribers_by_scope,
);
