//! The feedback (PAKN) storage contract on both backends: intake with attachments, register
//! numbering under concurrency, the lifecycle with transfer history, answer approval by a
//! leader, rating and reopening, duplicates, inbox filters, statistics, escalation and
//! optimistic concurrency.

use chrono::{DateTime, Duration, TimeZone, Utc};
use thutuc_domain::calendar::Calendar;
use thutuc_domain::feedback::*;
use thutuc_store::feedback::*;
use thutuc_store::*;
use thutuc_store_tests::contract_tests;
use thutuc_store_tests::fixtures::*;

fn cal() -> &'static Calendar {
    static CAL: std::sync::OnceLock<Calendar> = std::sync::OnceLock::new();
    CAL.get_or_init(|| Calendar::default_vn().expect("calendar"))
}

fn config() -> &'static DeadlineConfig {
    static CFG: std::sync::OnceLock<DeadlineConfig> = std::sync::OnceLock::new();
    CFG.get_or_init(DeadlineConfig::default)
}

fn clock() -> FeedbackClock<'static> {
    FeedbackClock {
        cal: cal(),
        config: config(),
    }
}

/// Monday 02/03/2026 09:00 in Hà Nội.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0)
        .single()
        .expect("time")
}

fn raw(content: &str) -> RawFeedback {
    RawFeedback {
        sender_name: "Nguyễn Văn An".into(),
        sender_address: "12 Hàng Bài, Hoàn Kiếm, Hà Nội".into(),
        sender_phone: "0912345678".into(),
        sender_email: "an@example.vn".into(),
        content: content.into(),
        procedure_code: "1.000080".into(),
        ..RawFeedback::default()
    }
}

fn submission(n: u64, org: &str, content: &str, at: DateTime<Utc>) -> FeedbackSubmission {
    FeedbackSubmission {
        item: raw(content).validate().expect("valid"),
        tracking_code: TrackingCode::from_random(n).as_str().to_string(),
        receiving_org: org.into(),
        received_at: at,
        attachments: Vec::new(),
        max_attachment_bytes: attachment::DEFAULT_MAX_BYTES,
        entered_by: None,
    }
}

async fn user<S: Store>(s: &S, email: &str, role: &str) -> FeedbackActor {
    let u = s
        .create_user(&NewUser {
            email: email.into(),
            name: email.into(),
            org_id: "BTP".into(),
            role: role.into(),
            password_hash: "$argon2id$x".into(),
        })
        .await
        .expect("user");
    FeedbackActor {
        user_id: Some(u.id),
        label: email.into(),
    }
}

async fn mail_keys<S: Store>(s: &S) -> Vec<String> {
    let mut keys: Vec<String> = s
        .list_mail(None, 500, 0)
        .await
        .expect("mail")
        .items
        .into_iter()
        .map(|m| m.dedupe_key)
        .collect();
    keys.sort();
    keys
}

async fn act<S: Store>(
    s: &S,
    item: &FeedbackItem,
    who: &FeedbackActor,
    a: FeedbackAction,
    at: DateTime<Utc>,
) -> StoreResult<FeedbackItem> {
    s.act_on_feedback(item.id, item.rev, who, &a, at, clock())
        .await
}

const TEXT: &str = "Thủ tục đăng ký khai sinh vẫn yêu cầu bản sao sổ hộ khẩu dù sổ hộ khẩu đã bị bãi bỏ từ năm 2023.";

async fn submit_is_durable_with_attachments_and_refuses_bad_files<S: Store>(s: S) {
    seed_orgs(&s).await;
    let mut sub = submission(1, "BTP", TEXT, t0());
    sub.attachments.push(NewAttachment {
        filename: "to-khai.pdf".into(),
        bytes: b"%PDF-1.7\n%test".to_vec(),
    });
    let item = s.submit_feedback(&sub, clock()).await.expect("submit");
    assert_eq!(item.status, Status::Received);
    assert_eq!(item.received_on, d("2026-03-02"));
    assert_eq!(item.transfer_due_on, d("2026-03-09"));
    assert_eq!(item.due_on, d("2026-03-16"));
    assert_eq!(item.sender_phone, "0912345678");
    assert_eq!(
        s.feedback_by_code(&sub.tracking_code)
            .await
            .expect("by code")
            .id,
        item.id
    );
    let atts = s.feedback_attachments(item.id).await.expect("atts");
    assert_eq!((atts.len(), atts[0].kind), (1, AttachmentKind::Pdf));
    let (_, bytes) = s.feedback_attachment(atts[0].id).await.expect("bytes");
    assert_eq!(bytes, b"%PDF-1.7\n%test");
    assert_eq!(
        s.feedback_history(item.id).await.expect("history")[0].action,
        "submit"
    );
    assert_eq!(
        mail_keys(&s).await,
        [format!("feedback:{}:receipt", item.tracking_code)],
        "receipt in the same transaction"
    );

    let mut exe = submission(2, "BTP", TEXT, t0());
    exe.attachments.push(NewAttachment {
        filename: "hoso.pdf".into(),
        bytes: b"MZ\x90\x00 program".to_vec(),
    });
    assert!(
        matches!(s.submit_feedback(&exe, clock()).await, Err(StoreError::Invalid { field, .. }) if field == "attachment")
    );
    let mut big = submission(3, "BTP", TEXT, t0());
    big.max_attachment_bytes = 1024;
    big.attachments.push(NewAttachment {
        filename: "a.pdf".into(),
        bytes: [b"%PDF-".as_slice(), &[0u8; 2048]].concat(),
    });
    assert!(s.submit_feedback(&big, clock()).await.is_err());
    let unknown = submission(4, "NOPE", TEXT, t0());
    assert!(matches!(
        s.submit_feedback(&unknown, clock()).await,
        Err(StoreError::Invalid { .. })
    ));
    let dup_code = submission(1, "BTP", TEXT, t0());
    assert!(matches!(
        s.submit_feedback(&dup_code, clock()).await,
        Err(StoreError::Conflict { .. })
    ));
    let all = s
        .list_feedback(&FeedbackFilter {
            limit: 50,
            ..FeedbackFilter::default()
        })
        .await
        .expect("list");
    assert_eq!(all.total, 1, "nothing stored half-way");
    assert_eq!(
        mail_keys(&s).await.len(),
        1,
        "no receipt for refused submissions"
    );
}

async fn register_numbers_have_no_gaps_under_concurrency<S: Store>(s: S) {
    seed_orgs(&s).await;
    let officer = FeedbackActor {
        user_id: None,
        label: "cb".into(),
    };
    let mut items = Vec::new();
    for n in 0..16 {
        items.push(
            s.submit_feedback(&submission(100 + n, "BTP", TEXT, t0()), clock())
                .await
                .expect("submit"),
        );
    }
    let mut handles = Vec::new();
    for it in items {
        let s = s.clone();
        let who = officer.clone();
        handles.push(tokio::spawn(async move {
            s.act_on_feedback(
                it.id,
                it.rev,
                &who,
                &FeedbackAction::Register,
                t0(),
                clock(),
            )
            .await
        }));
    }
    let mut seqs = Vec::new();
    for h in handles {
        let it = h.await.expect("join").expect("register");
        assert_eq!(it.register_year, Some(2026));
        seqs.push(it.register_seq.expect("seq"));
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=16).collect::<Vec<i64>>());
    let other = s
        .submit_feedback(&submission(200, "BYT", TEXT, t0()), clock())
        .await
        .expect("submit");
    let other = act(&s, &other, &officer, FeedbackAction::Register, t0())
        .await
        .expect("register");
    assert_eq!(other.register_seq, Some(1), "a separate book per agency");
}

async fn the_full_lifecycle_with_approval_rating_and_reopen<S: Store>(s: S) {
    seed_orgs(&s).await;
    let officer = user(&s, "cb@btp.gov.vn", "officer").await;
    let leader = user(&s, "ld@btp.gov.vn", "leader").await;
    let it = s
        .submit_feedback(&submission(7, "BTP", TEXT, t0()), clock())
        .await
        .expect("submit");
    let it = act(&s, &it, &officer, FeedbackAction::Register, t0())
        .await
        .expect("register");
    let it = act(
        &s,
        &it,
        &officer,
        FeedbackAction::Classify {
            classification: Classification::WithinCompetence,
            content_kind: ContentKind::Unrealistic,
            sector_id: None,
            reason: None,
        },
        t0(),
    )
    .await
    .expect("classify");
    assert_eq!(it.status, Status::InReview);
    let it = act(
        &s,
        &it,
        &officer,
        FeedbackAction::Assign {
            user_id: officer.user_id.expect("id"),
        },
        t0(),
    )
    .await
    .expect("assign");
    s.add_feedback_note(it.id, "cb@btp.gov.vn", "Đã liên hệ Cục Hộ tịch")
        .await
        .expect("note");
    assert_eq!(s.feedback_notes(it.id).await.expect("notes").len(), 1);
    // Pause Wed 04/03 → Fri 06/03: the deadline moves by 2 working days.
    let wed = t0() + Duration::days(2);
    let it = act(&s, &it, &officer, FeedbackAction::RequestInfo, wed)
        .await
        .expect("pause");
    assert_eq!(it.status, Status::Collecting);
    let it = act(
        &s,
        &it,
        &officer,
        FeedbackAction::InfoReceived,
        wed + Duration::days(2),
    )
    .await
    .expect("resume");
    assert_eq!(it.due_on, d("2026-03-18"));
    let incomplete = Evaluation::default();
    assert!(matches!(
        act(
            &s,
            &it,
            &officer,
            FeedbackAction::Evaluate {
                evaluation: incomplete,
                outcome: Outcome::Amend
            },
            wed
        )
        .await,
        Err(StoreError::Invalid { .. })
    ));
    let evaluation = Evaluation {
        findings: Criterion::ALL
            .iter()
            .map(|c| (*c, Verdict::Met, String::new()))
            .collect(),
    };
    let it = act(
        &s,
        &it,
        &officer,
        FeedbackAction::Evaluate {
            evaluation,
            outcome: Outcome::Recommend,
        },
        wed,
    )
    .await
    .expect("evaluate");
    let it = act(
        &s,
        &it,
        &officer,
        FeedbackAction::DraftAnswer {
            text: "Đã kiến nghị bãi bỏ yêu cầu.".into(),
            is_public: true,
        },
        wed,
    )
    .await
    .expect("draft");
    assert!(
        matches!(act(&s, &it, &officer, FeedbackAction::ApproveAnswer, wed).await, Err(StoreError::Rule(m)) if m.contains("người soạn"))
    );
    let answered_at = t0() + Duration::days(8);
    let it = act(&s, &it, &leader, FeedbackAction::ApproveAnswer, answered_at)
        .await
        .expect("approve");
    assert_eq!(
        (it.status, it.is_public, it.answered_on),
        (Status::Answered, true, Some(d("2026-03-10")))
    );
    let public = s
        .list_feedback(&FeedbackFilter {
            published_only: true,
            limit: 10,
            ..FeedbackFilter::default()
        })
        .await
        .expect("public");
    assert_eq!(public.total, 1);
    let it = s
        .act_on_feedback(
            it.id,
            it.rev,
            &FeedbackActor {
                user_id: None,
                label: "người gửi".into(),
            },
            &FeedbackAction::Rate(Rating::Dissatisfied),
            answered_at,
            clock(),
        )
        .await
        .expect("rate");
    assert_eq!(it.status, Status::Rated);
    let sender = FeedbackActor {
        user_id: None,
        label: "người gửi".into(),
    };
    let late = answered_at + Duration::days(31);
    assert!(matches!(
        s.act_on_feedback(it.id, it.rev, &sender, &FeedbackAction::Reopen { reason: "Chưa giải quyết".into() }, late, clock()).await,
        Err(StoreError::Rule(m)) if m.contains("mở lại")
    ));
    let it = s
        .act_on_feedback(
            it.id,
            it.rev,
            &sender,
            &FeedbackAction::Reopen {
                reason: "Chưa giải quyết".into(),
            },
            answered_at + Duration::days(2),
            clock(),
        )
        .await
        .expect("reopen");
    assert_eq!(
        (it.status, it.reopen_count, it.is_public),
        (Status::Reopened, 1, false)
    );
    let actions: Vec<String> = s
        .feedback_history(it.id)
        .await
        .expect("h")
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            "submit",
            "register",
            "classify",
            "assign",
            "request_info",
            "info_received",
            "evaluate",
            "draft_answer",
            "approve_answer",
            "rate",
            "reopen"
        ]
    );
}

async fn transfer_keeps_history_checks_the_agency_and_feeds_routing<S: Store>(s: S) {
    seed_orgs(&s).await;
    let officer = user(&s, "cb@btp.gov.vn", "officer").await;
    let it = s
        .submit_feedback(&submission(9, "BTP", TEXT, t0()), clock())
        .await
        .expect("submit");
    let it = act(&s, &it, &officer, FeedbackAction::Register, t0())
        .await
        .expect("register");
    let it = act(
        &s,
        &it,
        &officer,
        FeedbackAction::Classify {
            classification: Classification::OutsideCompetence,
            content_kind: ContentKind::Illegal,
            sector_id: Some("ho-tich".into()),
            reason: None,
        },
        t0(),
    )
    .await
    .expect("classify");
    assert_eq!(it.status, Status::Classified);
    let bad = act(
        &s,
        &it,
        &officer,
        FeedbackAction::Transfer {
            to_org: "KHONG-CO".into(),
            note: String::new(),
        },
        t0(),
    )
    .await;
    assert!(matches!(bad, Err(StoreError::Invalid { field, .. }) if field == "to_org"));
    assert_eq!(
        s.feedback(it.id).await.expect("same").rev,
        it.rev,
        "nothing applied"
    );
    let later = t0() + Duration::days(7);
    let it = act(
        &s,
        &it,
        &officer,
        FeedbackAction::Transfer {
            to_org: "BYT".into(),
            note: "Thuộc Bộ Y tế".into(),
        },
        later,
    )
    .await
    .expect("transfer");
    assert_eq!(
        (it.current_org.as_str(), it.transferred_on, it.register_seq),
        ("BYT", Some(d("2026-03-09")), None)
    );
    assert_eq!(it.due_on, d("2026-03-23"), "the clock restarts by default");
    let it = act(&s, &it, &officer, FeedbackAction::Register, later)
        .await
        .expect("register at BYT");
    assert_eq!(it.register_seq, Some(1));
    let h = s.feedback_history(it.id).await.expect("history");
    let t = h
        .iter()
        .find(|e| e.action == "transfer")
        .expect("transfer event");
    assert_eq!((t.from_org.as_str(), t.to_org.as_str()), ("BTP", "BYT"));
    assert_eq!(
        s.feedback_routing_history(Some("1.000080"), None)
            .await
            .expect("routing"),
        vec![("BYT".to_string(), 1)]
    );
    assert_eq!(
        s.feedback_routing_history(None, Some("ho-tich"))
            .await
            .expect("routing")
            .len(),
        1
    );
}

async fn inbox_filters_paginate_and_statistics_group<S: Store>(s: S) {
    seed_orgs(&s).await;
    let officer = FeedbackActor {
        user_id: None,
        label: "cb".into(),
    };
    for n in 0..12u64 {
        let org = if n % 3 == 0 { "BYT" } else { "BTP" };
        let at = t0() + Duration::days(i64::try_from(n).expect("n") * 3);
        let mut sub = submission(300 + n, org, &format!("{TEXT} Lần {n}."), at);
        if n % 4 == 0 {
            sub.item.procedure_code = Some("2.000001".into());
        }
        let it = s.submit_feedback(&sub, clock()).await.expect("submit");
        if n == 1 {
            let it = act(&s, &it, &officer, FeedbackAction::Register, at)
                .await
                .expect("r");
            act(
                &s,
                &it,
                &officer,
                FeedbackAction::Classify {
                    classification: Classification::NotAccepted,
                    content_kind: ContentKind::Other,
                    sector_id: None,
                    reason: Some("Là khiếu nại, không phải phản ánh".into()),
                },
                at,
            )
            .await
            .expect("reject");
        }
    }
    let btp = s
        .list_feedback(&FeedbackFilter {
            orgs: Some(vec!["BTP".into()]),
            limit: 5,
            ..FeedbackFilter::default()
        })
        .await
        .expect("btp");
    assert_eq!((btp.total, btp.items.len()), (8, 5));
    assert!(btp.items.iter().all(|i| i.current_org == "BTP"));
    assert!(btp.items.windows(2).all(|w| w[0].due_on <= w[1].due_on));
    let page2 = s
        .list_feedback(&FeedbackFilter {
            orgs: Some(vec!["BTP".into()]),
            limit: 5,
            offset: 5,
            ..FeedbackFilter::default()
        })
        .await
        .expect("p2");
    assert_eq!(page2.items.len(), 3);
    let none = s
        .list_feedback(&FeedbackFilter {
            orgs: Some(vec![]),
            limit: 5,
            ..FeedbackFilter::default()
        })
        .await
        .expect("none");
    assert_eq!(none.total, 0);
    let overdue = s
        .list_feedback(&FeedbackFilter {
            overdue_as_of: Some(d("2026-03-20")),
            limit: 50,
            ..FeedbackFilter::default()
        })
        .await
        .expect("overdue");
    assert!(
        overdue
            .items
            .iter()
            .all(|i| i.due_on < d("2026-03-20") && i.status.is_open())
    );
    assert_eq!(
        overdue.total, 1,
        "only the item of 02/03 (the one of 05/03 was not accepted)"
    );
    let proc = s
        .list_feedback(&FeedbackFilter {
            procedure_code: Some("2.000001".into()),
            limit: 50,
            ..FeedbackFilter::default()
        })
        .await
        .expect("proc");
    assert_eq!(proc.total, 3);
    let period = s
        .list_feedback(&FeedbackFilter {
            from: Some(d("2026-03-05")),
            to: Some(d("2026-03-11")),
            limit: 50,
            ..FeedbackFilter::default()
        })
        .await
        .expect("period");
    assert_eq!(period.total, 3);
    assert_eq!(
        s.feedback_count_for_procedure("2.000001")
            .await
            .expect("count"),
        3
    );

    let by_org = s
        .feedback_stats(
            d("2026-01-01"),
            d("2026-12-31"),
            d("2026-03-20"),
            None,
            FeedbackGroupBy::Agency,
        )
        .await
        .expect("stats");
    let keys: Vec<&str> = by_org.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["BTP", "BYT"]);
    assert_eq!(
        (by_org[0].received, by_org[0].rejected, by_org[0].accepted),
        (8, 1, 7)
    );
    let total_open: i64 = by_org
        .iter()
        .map(|r| r.pending_within_term + r.overdue)
        .sum();
    assert_eq!(total_open, 11);
    let by_month = s
        .feedback_stats(
            d("2026-01-01"),
            d("2026-12-31"),
            d("2026-03-20"),
            Some(&["BTP".to_string()]),
            FeedbackGroupBy::Month,
        )
        .await
        .expect("m");
    assert_eq!(
        by_month.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(),
        ["2026-03", "2026-04"]
    );
    assert_eq!(by_month.iter().map(|r| r.received).sum::<i64>(), 8);
    let by_proc = s
        .feedback_stats(
            d("2026-01-01"),
            d("2026-12-31"),
            d("2026-03-20"),
            None,
            FeedbackGroupBy::Procedure,
        )
        .await
        .expect("p");
    assert_eq!(
        by_proc
            .iter()
            .find(|r| r.key == "2.000001")
            .map(|r| r.received),
        Some(3)
    );
}

async fn duplicates_are_suggested_linked_and_answered_together<S: Store>(s: S) {
    seed_orgs(&s).await;
    let officer = user(&s, "cb@btp.gov.vn", "officer").await;
    let leader = user(&s, "ld@btp.gov.vn", "leader").await;
    let a = s
        .submit_feedback(&submission(11, "BTP", TEXT, t0()), clock())
        .await
        .expect("a");
    let other = s
        .submit_feedback(
            &submission(
                12,
                "BTP",
                "Cấp giấy phép xây dựng nhà ở riêng lẻ quá chậm tại phường Ba Đình.",
                t0(),
            ),
            clock(),
        )
        .await
        .expect("other");
    let near = "Thủ tục đăng ký khai sinh vẫn còn yêu cầu bản sao sổ hộ khẩu dù sổ hộ khẩu đã bị bãi bỏ từ năm 2023.";
    let keys = similar::band_keys(&format!(
        "{} {near}",
        raw(near).validate().expect("v").title
    ));
    let found = s
        .feedback_candidates(&keys, None, 10)
        .await
        .expect("candidates");
    assert!(found.iter().any(|i| i.id == a.id));
    assert!(found.iter().all(|i| i.id != other.id));
    let b = s
        .submit_feedback(&submission(13, "BTP", near, t0()), clock())
        .await
        .expect("b");
    let b = act(
        &s,
        &b,
        &officer,
        FeedbackAction::MarkDuplicate { of: a.id },
        t0(),
    )
    .await
    .expect("dup");
    assert_eq!((b.status, b.duplicate_of), (Status::Duplicate, Some(a.id)));
    let c = s
        .submit_feedback(&submission(14, "BTP", near, t0()), clock())
        .await
        .expect("c");
    assert!(
        act(
            &s,
            &c,
            &officer,
            FeedbackAction::MarkDuplicate { of: b.id },
            t0()
        )
        .await
        .is_err(),
        "no chains"
    );
    assert!(
        act(
            &s,
            &c,
            &officer,
            FeedbackAction::MarkDuplicate { of: c.id },
            t0()
        )
        .await
        .is_err()
    );
    let mut it = a;
    for action in [
        FeedbackAction::Register,
        FeedbackAction::Classify {
            classification: Classification::WithinCompetence,
            content_kind: ContentKind::Unrealistic,
            sector_id: None,
            reason: None,
        },
        FeedbackAction::Evaluate {
            evaluation: Evaluation {
                findings: Criterion::ALL
                    .iter()
                    .map(|c| (*c, Verdict::NotMet, String::new()))
                    .collect(),
            },
            outcome: Outcome::Amend,
        },
        FeedbackAction::DraftAnswer {
            text: "Đã sửa quy định.".into(),
            is_public: false,
        },
    ] {
        it = act(&s, &it, &officer, action, t0()).await.expect("step");
    }
    act(&s, &it, &leader, FeedbackAction::ApproveAnswer, t0())
        .await
        .expect("approve");
    let b = s.feedback(b.id).await.expect("b");
    assert_eq!(b.answer_text.as_deref(), Some("Đã sửa quy định."));
    let answers: Vec<String> = mail_keys(&s)
        .await
        .into_iter()
        .filter(|k| k.contains(":answer:"))
        .collect();
    assert_eq!(
        answers,
        [
            format!("feedback:{}:answer:0", it.tracking_code),
            format!("feedback:{}:answer:0", b.tracking_code)
        ],
        "each sender is mailed the answer once"
    );
    assert!(b.answered_at.is_some(), "each sender is answered");
}

async fn stale_revisions_conflict_and_escalation_is_idempotent<S: Store>(s: S) {
    seed_orgs(&s).await;
    user(&s, "ld@btp.gov.vn", "leader").await;
    let tct = s
        .create_user(&NewUser {
            email: "tct@chinhphu.vn".into(),
            name: "TCT".into(),
            org_id: "CP".into(),
            role: "oversight".into(),
            password_hash: "x".into(),
        })
        .await
        .expect("wg");
    let officer = FeedbackActor {
        user_id: None,
        label: "cb".into(),
    };
    let it = s
        .submit_feedback(&submission(21, "BTP", TEXT, t0()), clock())
        .await
        .expect("submit");
    act(&s, &it, &officer, FeedbackAction::Register, t0())
        .await
        .expect("register");
    assert!(matches!(
        act(&s, &it, &officer, FeedbackAction::Register, t0()).await,
        Err(StoreError::Conflict { .. })
    ));
    // Due 16/03: one working day late on 17/03 → leader; five on 23/03 → Working Group.
    let first = s
        .escalate_feedback(d("2026-03-17"), clock())
        .await
        .expect("escalate");
    assert_eq!(
        first.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>(),
        ["agency_leader"]
    );
    assert!(
        s.escalate_feedback(d("2026-03-17"), clock())
            .await
            .expect("again")
            .is_empty()
    );
    let leaders: Vec<String> = mail_keys(&s)
        .await
        .into_iter()
        .filter(|k| k.contains(":escalate:"))
        .collect();
    assert_eq!(leaders.len(), 1, "one mail to the BTP leader: {leaders:?}");
    let second = s
        .escalate_feedback(d("2026-03-23"), clock())
        .await
        .expect("wg");
    assert_eq!(
        second.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>(),
        ["working_group"]
    );
    let wg = s
        .list_feedback(&FeedbackFilter {
            escalation: Some("working_group".into()),
            limit: 10,
            ..FeedbackFilter::default()
        })
        .await
        .expect("wg list");
    assert_eq!(wg.total, 1);
    assert!(
        s.escalate_feedback(d("2026-04-30"), clock())
            .await
            .expect("done")
            .is_empty()
    );
    let esc: Vec<String> = mail_keys(&s)
        .await
        .into_iter()
        .filter(|k| k.contains(":escalate:"))
        .collect();
    assert_eq!(
        esc.len(),
        2,
        "leader then Working Group, once each: {esc:?}"
    );
    assert!(
        esc.iter()
            .any(|k| k.contains(&format!("working_group:0:{}", tct.id)))
    );
    assert_eq!(
        s.notifications_for(tct.id, &[], false, 10)
            .await
            .expect("notes")
            .len(),
        1
    );
}

async fn answer<S: Store>(
    s: &S,
    it: FeedbackItem,
    officer: &FeedbackActor,
    leader: &FeedbackActor,
    at: DateTime<Utc>,
) -> FeedbackItem {
    let evaluation = Evaluation {
        findings: Criterion::ALL
            .iter()
            .map(|c| (*c, Verdict::Met, String::new()))
            .collect(),
    };
    let mut it = it;
    for (who, a) in [
        (
            officer,
            FeedbackAction::Evaluate {
                evaluation,
                outcome: Outcome::Recommend,
            },
        ),
        (
            officer,
            FeedbackAction::DraftAnswer {
                text: "Trả lời.".into(),
                is_public: false,
            },
        ),
        (leader, FeedbackAction::ApproveAnswer),
    ] {
        it = act(s, &it, who, a, at).await.expect("answer step");
    }
    it
}

/// The statistics as the straightforward computation over every raw item.
fn naive_stats(
    items: &[FeedbackItem],
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    as_of: chrono::NaiveDate,
    orgs: Option<&[String]>,
    group: FeedbackGroupBy,
) -> Vec<FeedbackStatsRow> {
    let mut acc: std::collections::BTreeMap<String, FeedbackStatsRow> = Default::default();
    for i in items {
        if i.received_on < from || i.received_on > to {
            continue;
        }
        if orgs.is_some_and(|o| !o.contains(&i.current_org)) {
            continue;
        }
        let key = match group {
            FeedbackGroupBy::Agency => i.current_org.clone(),
            FeedbackGroupBy::Sector => i.sector_id.clone().unwrap_or_default(),
            FeedbackGroupBy::Procedure => i.procedure_code.clone().unwrap_or_default(),
            FeedbackGroupBy::Month => i.received_on.format("%Y-%m").to_string(),
        };
        let r = acc.entry(key.clone()).or_insert_with(|| FeedbackStatsRow {
            key,
            ..FeedbackStatsRow::default()
        });
        let b = |v: bool| i64::from(v);
        let answered = i.answered_on.filter(|a| *a <= as_of);
        let pending = i.status.is_open() || i.answered_on.is_some_and(|a| a > as_of);
        r.received += 1;
        r.accepted += b(!matches!(i.status, Status::Rejected | Status::Duplicate));
        r.rejected += b(i.status == Status::Rejected);
        r.transferred += b(i.was_transferred);
        r.answered_on_time += b(answered.is_some_and(|a| a <= i.due_on));
        r.answered_late += b(answered.is_some_and(|a| a > i.due_on));
        r.pending_within_term += b(pending && i.due_on >= as_of);
        r.overdue += b(pending && i.due_on < as_of);
        r.satisfied += b(matches!(
            i.rating,
            Some(Rating::Satisfied | Rating::Neutral)
        ));
        r.dissatisfied += b(i.rating == Some(Rating::Dissatisfied));
        r.reopened += b(i.reopen_count > 0);
    }
    acc.into_values().collect()
}

async fn statistics_from_the_daily_table_equal_the_raw_rows<S: Store>(s: S) {
    seed_orgs(&s).await;
    let officer = user(&s, "cb@btp.gov.vn", "officer").await;
    let leader = user(&s, "ld@btp.gov.vn", "leader").await;
    let sender = FeedbackActor {
        user_id: None,
        label: "người gửi".into(),
    };
    let day = |n: i64| t0() + Duration::days(n);
    let mut items = Vec::new();
    for n in 0..14u64 {
        let org = if n % 4 == 3 { "BYT" } else { "BTP" };
        let mut sub = submission(
            900 + n,
            org,
            &format!("{TEXT} Việc {n}."),
            day(i64::try_from(n * 9).expect("n")),
        );
        sub.item.procedure_code = match n % 3 {
            0 => None,
            1 => Some("2.000001".into()),
            _ => Some("1.000080".into()),
        };
        items.push(s.submit_feedback(&sub, clock()).await.expect("submit"));
    }
    let classify = |c: Classification, sector: &str| FeedbackAction::Classify {
        classification: c,
        content_kind: ContentKind::Unrealistic,
        sector_id: Some(sector.into()),
        reason: Some("Là khiếu nại".into()),
    };
    let mut done = Vec::new();
    for (n, it) in items.into_iter().enumerate() {
        let at = it.received_at;
        let mut it = act(&s, &it, &officer, FeedbackAction::Register, at)
            .await
            .expect("register");
        let sector = if n % 2 == 0 { "ho-tich" } else { "dat-dai" };
        it = match n {
            // Rejected.
            0 => act(
                &s,
                &it,
                &officer,
                classify(Classification::NotAccepted, sector),
                at,
            )
            .await
            .expect("reject"),
            // Transferred to another agency and still open there.
            1 | 5 => {
                let it = act(
                    &s,
                    &it,
                    &officer,
                    classify(Classification::OutsideCompetence, sector),
                    at,
                )
                .await
                .expect("c");
                act(
                    &s,
                    &it,
                    &officer,
                    FeedbackAction::Transfer {
                        to_org: if it.current_org == "BYT" {
                            "BTP".into()
                        } else {
                            "BYT".into()
                        },
                        note: String::new(),
                    },
                    at + Duration::days(3),
                )
                .await
                .expect("transfer")
            }
            // Registered only: open, overdue later on.
            2 | 9 => it,
            // Answered on time, then rated.
            3 | 7 => {
                let it = act(
                    &s,
                    &it,
                    &officer,
                    classify(Classification::WithinCompetence, sector),
                    at,
                )
                .await
                .expect("c");
                let it = answer(&s, it, &officer, &leader, at + Duration::days(5)).await;
                let r = if n == 3 {
                    Rating::Satisfied
                } else {
                    Rating::Neutral
                };
                act(
                    &s,
                    &it,
                    &sender,
                    FeedbackAction::Rate(r),
                    at + Duration::days(6),
                )
                .await
                .expect("rate")
            }
            // Answered late, rated dissatisfied, reopened (open again with a new term).
            4 | 10 => {
                let it = act(
                    &s,
                    &it,
                    &officer,
                    classify(Classification::WithinCompetence, sector),
                    at,
                )
                .await
                .expect("c");
                let it = answer(&s, it, &officer, &leader, at + Duration::days(40)).await;
                let it = act(
                    &s,
                    &it,
                    &sender,
                    FeedbackAction::Rate(Rating::Dissatisfied),
                    at + Duration::days(41),
                )
                .await
                .expect("rate");
                if n == 4 {
                    act(
                        &s,
                        &it,
                        &sender,
                        FeedbackAction::Reopen {
                            reason: "Chưa thỏa đáng".into(),
                        },
                        at + Duration::days(42),
                    )
                    .await
                    .expect("reopen")
                } else {
                    it
                }
            }
            // Paused, extended, answered later (after some reference dates below).
            6 => {
                let it = act(
                    &s,
                    &it,
                    &officer,
                    classify(Classification::WithinCompetence, sector),
                    at,
                )
                .await
                .expect("c");
                let it = act(
                    &s,
                    &it,
                    &officer,
                    FeedbackAction::RequestInfo,
                    at + Duration::days(1),
                )
                .await
                .expect("pause");
                let it = act(
                    &s,
                    &it,
                    &officer,
                    FeedbackAction::InfoReceived,
                    at + Duration::days(4),
                )
                .await
                .expect("resume");
                let it = act(
                    &s,
                    &it,
                    &officer,
                    FeedbackAction::Extend { days: 5 },
                    at + Duration::days(5),
                )
                .await
                .expect("extend");
                answer(&s, it, &officer, &leader, at + Duration::days(25)).await
            }
            // Transferred, then answered by the new agency.
            8 => {
                let it = act(
                    &s,
                    &it,
                    &officer,
                    classify(Classification::OutsideCompetence, sector),
                    at,
                )
                .await
                .expect("c");
                let it = act(
                    &s,
                    &it,
                    &officer,
                    FeedbackAction::Transfer {
                        to_org: "BYT".into(),
                        note: "đúng thẩm quyền".into(),
                    },
                    at + Duration::days(1),
                )
                .await
                .expect("transfer");
                let it = act(
                    &s,
                    &it,
                    &officer,
                    FeedbackAction::Register,
                    at + Duration::days(1),
                )
                .await
                .expect("register");
                let it = act(
                    &s,
                    &it,
                    &officer,
                    classify(Classification::WithinCompetence, sector),
                    at + Duration::days(1),
                )
                .await
                .expect("c");
                answer(&s, it, &officer, &leader, at + Duration::days(12)).await
            }
            // Merged into item 12 before it is answered; answered with it.
            11 | 13 => it,
            _ => it,
        };
        done.push(it);
    }
    // Item 11 duplicates item 12; item 12 is answered (item 11 with it); item 13 stays open.
    let dup = act(
        &s,
        &done[11],
        &officer,
        FeedbackAction::MarkDuplicate { of: done[12].id },
        day(100),
    )
    .await
    .expect("dup");
    let canon = s.feedback(done[12].id).await.expect("canon");
    let canon = act(
        &s,
        &canon,
        &officer,
        classify(Classification::WithinCompetence, "ho-tich"),
        day(108),
    )
    .await
    .expect("c");
    answer(&s, canon, &officer, &leader, day(112)).await;
    assert!(s.feedback(dup.id).await.expect("dup").answered_on.is_some());
    let escalated = s
        .escalate_feedback(d("2026-12-31"), clock())
        .await
        .expect("escalate");
    assert!(!escalated.is_empty());

    let all = s
        .list_feedback(&FeedbackFilter {
            limit: 500,
            ..FeedbackFilter::default()
        })
        .await
        .expect("all")
        .items;
    assert_eq!(all.len(), 14);
    let btp = vec!["BTP".to_string()];
    let none: Vec<String> = Vec::new();
    let mut checked = 0;
    for (from, to) in [
        ("2026-01-01", "2026-12-31"),
        ("2026-03-10", "2026-04-20"),
        ("2026-05-01", "2026-05-01"),
    ] {
        for as_of in [
            "2026-02-01",
            "2026-03-20",
            "2026-04-15",
            "2026-05-10",
            "2026-07-01",
            "2027-01-01",
        ] {
            for orgs in [None, Some(btp.as_slice()), Some(none.as_slice())] {
                for group in [
                    FeedbackGroupBy::Agency,
                    FeedbackGroupBy::Sector,
                    FeedbackGroupBy::Procedure,
                    FeedbackGroupBy::Month,
                ] {
                    let (from, to, as_of) = (d(from), d(to), d(as_of));
                    let fast = s
                        .feedback_stats(from, to, as_of, orgs, group)
                        .await
                        .expect("stats");
                    let slow = naive_stats(&all, from, to, as_of, orgs, group);
                    assert_eq!(
                        fast, slow,
                        "{from}..{to} as of {as_of}, {orgs:?}, {group:?}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 3 * 6 * 3 * 4);
    let year = s
        .feedback_stats(
            d("2026-01-01"),
            d("2026-12-31"),
            d("2027-01-01"),
            None,
            FeedbackGroupBy::Agency,
        )
        .await
        .expect("year");
    let total = |f: fn(&FeedbackStatsRow) -> i64| year.iter().map(f).sum::<i64>();
    assert_eq!(
        (
            total(|r| r.received),
            total(|r| r.rejected),
            total(|r| r.transferred),
            total(|r| r.reopened)
        ),
        (14, 1, 3, 1)
    );
    assert!(
        total(|r| r.answered_late) >= 1
            && total(|r| r.answered_on_time) >= 3
            && total(|r| r.overdue) >= 3
    );
}

/// An officer's note and a submission take the request's pending audit entry into their own
/// transaction; a stale action leaves it to its caller.
async fn feedback_writes_store_their_pending_audit_entry_in_their_transaction<S: Store>(s: S) {
    use thutuc_store::audit_scope::audited;
    seed_orgs(&s).await;
    let entry = |action: &str| NewAuditEntry {
        actor: "canbo@btp.gov.vn".into(),
        action: action.into(),
        entity_type: "feedback".into(),
        entity_id: "1".into(),
        before: None,
        after: Some(serde_json::json!({"body": "Đã chuyển vụ pháp chế"})),
    };
    let (item, left) = audited(
        entry("feedback.submit"),
        s.submit_feedback(&submission(1, "BTP", TEXT, t0()), clock()),
    )
    .await;
    let item = item.expect("submit");
    assert_eq!(left, None);
    let officer = user(&s, "canbo@btp.gov.vn", "officer").await;
    let (note, left) = audited(
        entry("feedback.note"),
        s.add_feedback_note(item.id, "canbo@btp.gov.vn", "Đã chuyển vụ pháp chế"),
    )
    .await;
    note.expect("note");
    assert_eq!(left, None);
    let e = entry("feedback.act");
    let (stale, left) = audited(
        e.clone(),
        s.act_on_feedback(
            item.id,
            item.rev + 7,
            &officer,
            &FeedbackAction::Register,
            t0(),
            clock(),
        ),
    )
    .await;
    assert!(stale.is_err());
    assert_eq!(left, Some(e));
    assert_eq!(
        audit_actions(&s).await,
        ["feedback.note", "feedback.submit"]
    );
}

contract_tests!(
    feedback_writes_store_their_pending_audit_entry_in_their_transaction,
    submit_is_durable_with_attachments_and_refuses_bad_files,
    register_numbers_have_no_gaps_under_concurrency,
    the_full_lifecycle_with_approval_rating_and_reopen,
    transfer_keeps_history_checks_the_agency_and_feeds_routing,
    inbox_filters_paginate_and_statistics_group,
    duplicates_are_suggested_linked_and_answered_together,
    stale_revisions_conflict_and_escalation_is_idempotent,
    statistics_from_the_daily_table_equal_the_raw_rows,
);
