//! Directing and urging (issue 8) on both backends: the task lifecycle with history and
//! optimistic concurrency, sub-tasks, extensions, filtered lists, dashboard facts, idempotent
//! recurring duties, reminder candidates, working groups, meetings and directives.

use chrono::NaiveDate;
use thutuc_domain::calendar::{Calendar, TaskStatus};
use thutuc_domain::tasks::*;
use thutuc_store::*;
use thutuc_store_tests::contract_tests;
use thutuc_store_tests::fixtures::*;

fn task(title: &str, lead: &str, assigned: &str, deadline: &str) -> Task {
    Task::new(title, "CP", lead, d(assigned), d(deadline))
}

async fn directive<S: Store>(s: &S, number: &str) -> DirectiveRecord {
    s.create_directive(&Directive {
        kind: DirectiveKind::ConclusionNotice,
        number: number.into(),
        date: d("2025-01-10"),
        issuer_org: "CP".into(),
        title: "Kết luận phiên họp thứ nhất của Tổ công tác".into(),
        public: true,
        meeting_id: None,
    })
    .await
    .expect("directive")
}

async fn step<S: Store>(s: &S, rec: &TaskRecord, change: TaskChange, on: &str) -> TaskRecord {
    s.update_task(rec.id, rec.rev, &change, "tester@gov.vn", d(on))
        .await
        .expect("step")
}

async fn the_full_lifecycle_keeps_history_and_refuses_stale_edits<S: Store>(s: S) {
    seed_orgs(&s).await;
    let dir = directive(&s, "01/TB-VPCP").await;
    let mut t = task("Rà soát thủ tục hộ tịch", "BTP", "2025-01-10", "2025-03-31");
    t.directive_id = Some(dir.id);
    t.clause = "mục 2".into();
    t.coordinating_orgs = vec!["BYT".into()];
    let created = s.create_tasks(&[t], "vpcp@gov.vn").await.expect("create");
    let r = &created[0];
    assert_eq!(r.rev, 1);
    let r = step(
        &s,
        r,
        TaskChange::Progress {
            percent: 40,
            note: "Đã rà soát 12 thủ tục".into(),
            attachments: vec!["bc.pdf".into()],
            files: vec![TaskFile {
                name: "Báo cáo tiến độ.pdf".into(),
                bytes: b"%PDF-1.7\nbao cao".to_vec(),
            }],
        },
        "2025-02-10",
    )
    .await;
    // The uploaded file is stored with the step and listed in its attachments.
    let events = s.task_events(r.id).await.expect("events");
    let listed = events.last().expect("event").attachments.clone();
    assert_eq!(listed[0], "bc.pdf");
    let file_id: i64 = listed[1]
        .strip_prefix("tep:")
        .and_then(|x| x.split(':').next())
        .and_then(|x| x.parse().ok())
        .expect("tep:{id}:{name}");
    assert!(listed[1].ends_with(":Báo cáo tiến độ.pdf"));
    let (meta, bytes) = s.task_file(r.id, file_id).await.expect("file");
    assert_eq!(
        (meta.kind, meta.size, bytes.as_slice()),
        (
            thutuc_domain::feedback::attachment::AttachmentKind::Pdf,
            16,
            b"%PDF-1.7\nbao cao".as_slice()
        )
    );
    assert!(matches!(
        s.task_file(r.id + 1, file_id).await,
        Err(StoreError::NotFound(_))
    ));
    // An executable named .pdf is refused and the whole step with it.
    let bad = s
        .update_task(
            r.id,
            r.rev,
            &TaskChange::Progress {
                percent: 50,
                note: "x".into(),
                attachments: vec![],
                files: vec![TaskFile {
                    name: "baocao.pdf".into(),
                    bytes: b"MZ\x90\x00 This program cannot be run in DOS mode".to_vec(),
                }],
            },
            "x",
            d("2025-02-11"),
        )
        .await;
    assert!(matches!(bad, Err(StoreError::Invalid { .. })), "{bad:?}");
    assert_eq!(s.get_task(r.id).await.expect("get").rev, r.rev);
    assert_eq!(
        s.task_events(r.id).await.expect("events").len(),
        events.len()
    );
    let stale = s
        .update_task(r.id, 1, &TaskChange::Accept, "x", d("2025-02-11"))
        .await;
    assert!(
        matches!(
            stale,
            Err(StoreError::Conflict {
                current: Some(_),
                ..
            })
        ),
        "{stale:?}"
    );
    let r = step(
        &s,
        &r,
        TaskChange::Submit {
            evidence: "Báo cáo 15/BC-BTP".into(),
        },
        "2025-03-20",
    )
    .await;
    let r = step(
        &s,
        &r,
        TaskChange::Return {
            reason: "Thiếu phụ lục".into(),
        },
        "2025-03-25",
    )
    .await;
    assert_eq!(r.task.state, TaskState::Open);
    let r = step(
        &s,
        &r,
        TaskChange::Submit {
            evidence: "Báo cáo 18/BC-BTP".into(),
        },
        "2025-04-02",
    )
    .await;
    let r = step(&s, &r, TaskChange::Accept, "2025-04-10").await;
    assert_eq!(r.rev, 6);
    let stored = s.get_task(r.id).await.expect("get");
    assert_eq!(stored, r);
    assert_eq!(stored.task.completed_on, Some(d("2025-04-02")));
    assert_eq!(stored.task.coordinating_orgs, vec!["BYT".to_string()]);
    let kinds: Vec<String> = s
        .task_events(r.id)
        .await
        .expect("events")
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            "assigned",
            "progress",
            "submitted",
            "returned",
            "submitted",
            "accepted"
        ]
    );
    let events = s.task_events(r.id).await.expect("events");
    assert_eq!(events[1].attachments.len(), 2);
    assert_eq!(events[1].attachments[0], "bc.pdf");
    assert_eq!(events[1].percent, 40);
    // Each step notified the organisation concerned, in the same transaction, once.
    let btp = s
        .notifications_for(0, &["BTP".into()], false, 50)
        .await
        .expect("notifications");
    let titles: Vec<&str> = btp.iter().rev().map(|n| n.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Nhiệm vụ mới được giao",
            "Nhiệm vụ bị trả lại",
            "Nhiệm vụ được công nhận hoàn thành"
        ]
    );
    let cp = s
        .notifications_for(0, &["CP".into()], false, 50)
        .await
        .expect("notifications");
    assert_eq!(cp.len(), 2, "two submissions reached the assigner");
    assert!(cp[0].link.ends_with(&format!("/can-bo/nhiem-vu/{}", r.id)));
}

async fn bad_input_is_refused_clearly_and_never_half_applied<S: Store>(s: S) {
    seed_orgs(&s).await;
    let good = task("Một", "BTP", "2025-01-10", "2025-03-31");
    let bad = task("Hai", "BYT", "2025-03-10", "2025-03-01");
    let e = s
        .create_tasks(&[good.clone(), bad], "x")
        .await
        .expect_err("refused");
    match e {
        StoreError::Invalid { field, message } => {
            assert_eq!(field, "tasks[1].deadline");
            assert!(message.contains("2025-03-01"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let unknown = task("Ba", "KHONG-CO", "2025-01-10", "2025-03-31");
    assert!(s.create_tasks(&[good.clone(), unknown], "x").await.is_err());
    let page = s.list_tasks(&TaskFilter::default()).await.expect("list");
    assert_eq!(page.total, 0, "nothing was half-applied");
    let r = s
        .create_tasks(&[good], "x")
        .await
        .expect("create")
        .remove(0);
    let e = s
        .update_task(
            r.id,
            r.rev,
            &TaskChange::Submit {
                evidence: " ".into(),
            },
            "x",
            d("2025-02-01"),
        )
        .await;
    assert!(
        matches!(e, Err(StoreError::Invalid { ref field, .. }) if field == "evidence"),
        "{e:?}"
    );
    let e = s
        .update_task(r.id, r.rev, &TaskChange::Accept, "x", d("2025-02-01"))
        .await;
    assert!(
        matches!(e, Err(StoreError::Invalid { ref field, .. }) if field == "state"),
        "{e:?}"
    );
    assert_eq!(s.get_task(r.id).await.expect("get").rev, 1);
    assert!(matches!(
        s.get_task(9999).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn extensions_keep_every_deadline_change<S: Store>(s: S) {
    seed_orgs(&s).await;
    let r = s
        .create_tasks(&[task("Đề án", "P01", "2025-01-10", "2025-03-31")], "x")
        .await
        .expect("create")
        .remove(0);
    let r = step(
        &s,
        &r,
        TaskChange::RequestExtension {
            deadline: d("2025-05-30"),
            reason: "Chờ ý kiến bộ".into(),
        },
        "2025-03-20",
    )
    .await;
    let dup = s
        .update_task(
            r.id,
            r.rev,
            &TaskChange::RequestExtension {
                deadline: d("2025-06-30"),
                reason: "Lần 2".into(),
            },
            "x",
            d("2025-03-21"),
        )
        .await;
    assert!(matches!(dup, Err(StoreError::Rule(_))), "{dup:?}");
    let ext = s.extensions(r.id).await.expect("ext");
    assert_eq!(ext.len(), 1);
    assert_eq!(ext[0].request.decision, ExtensionDecision::Pending);
    let r = step(
        &s,
        &r,
        TaskChange::DecideExtension {
            extension_id: ext[0].id,
            approve: true,
            note: "Đồng ý".into(),
        },
        "2025-03-25",
    )
    .await;
    assert_eq!(r.task.deadline, d("2025-05-30"));
    let r = step(
        &s,
        &r,
        TaskChange::RequestExtension {
            deadline: d("2025-07-31"),
            reason: "Lần 2".into(),
        },
        "2025-05-20",
    )
    .await;
    let ext = s.extensions(r.id).await.expect("ext");
    let r = step(
        &s,
        &r,
        TaskChange::DecideExtension {
            extension_id: ext[1].id,
            approve: false,
            note: "Không đồng ý".into(),
        },
        "2025-05-21",
    )
    .await;
    assert_eq!(r.task.deadline, d("2025-05-30"));
    let r = step(
        &s,
        &r,
        TaskChange::ChangeDeadline {
            deadline: d("2025-06-15"),
            reason: "Điều chỉnh theo kết luận".into(),
        },
        "2025-05-22",
    )
    .await;
    let history = s.deadline_history(r.id).await.expect("history");
    let pairs: Vec<(NaiveDate, NaiveDate)> = history
        .iter()
        .map(|c| (c.old_deadline, c.new_deadline))
        .collect();
    assert_eq!(
        pairs,
        [
            (d("2025-03-31"), d("2025-05-30")),
            (d("2025-05-30"), d("2025-06-15"))
        ]
    );
    assert_eq!(history[0].reason, "Đồng ý");
    assert_eq!(history[0].by, "tester@gov.vn");
    let ext = s.extensions(r.id).await.expect("ext");
    assert_eq!(ext[1].request.decision, ExtensionDecision::Refused);
    assert_eq!(ext[1].decided_by.as_deref(), Some("tester@gov.vn"));
}

async fn sub_tasks_and_filtered_lists_follow_the_org_tree<S: Store>(s: S) {
    seed_orgs(&s).await;
    let dir = directive(&s, "02/TB-VPCP").await;
    let mut parent = task("Tái cấu trúc quy trình", "P01", "2025-01-10", "2025-03-31");
    parent.directive_id = Some(dir.id);
    let p = s
        .create_tasks(&[parent], "x")
        .await
        .expect("create")
        .remove(0);
    let mut child = Task::new(
        "Phường thực hiện",
        "P01",
        "W00004",
        d("2025-01-15"),
        d("2025-03-15"),
    );
    child.parent_id = Some(p.id);
    let mut other = task("Báo cáo y tế", "BYT", "2025-01-10", "2025-02-28");
    other.coordinating_orgs = vec!["P01".into()];
    let done = task("Xong sớm", "BTP", "2025-01-02", "2025-01-24");
    let commune = task("Xã báo cáo", "W00004", "2025-01-10", "2025-03-10");
    let created = s
        .create_tasks(&[child, other, done, commune], "x")
        .await
        .expect("create");
    let d_id = created[2].id;
    let r = s.get_task(d_id).await.expect("get");
    let r = step(
        &s,
        &r,
        TaskChange::Submit {
            evidence: "BC 1".into(),
        },
        "2025-01-20",
    )
    .await;
    step(&s, &r, TaskChange::Accept, "2025-01-21").await;

    let ids = |p: Page<TaskRecord>| {
        p.items
            .into_iter()
            .map(|r| r.task.title)
            .collect::<Vec<_>>()
    };
    let f = |org: &str, subtree: bool| TaskFilter {
        org: Some(org.into()),
        subtree,
        ..TaskFilter::default()
    };
    // P01 leads one, coordinates one and assigned the delegated sub-task.
    assert_eq!(
        ids(s.list_tasks(&f("P01", false)).await.expect("l")),
        ["Báo cáo y tế", "Phường thực hiện", "Tái cấu trúc quy trình"]
    );
    assert_eq!(
        ids(s.list_tasks(&f("P01", true)).await.expect("l")),
        [
            "Báo cáo y tế",
            "Xã báo cáo",
            "Phường thực hiện",
            "Tái cấu trúc quy trình"
        ]
    );
    assert_eq!(
        ids(s.list_tasks(&f("W00004", true)).await.expect("l")),
        ["Xã báo cáo", "Phường thực hiện"]
    );
    assert_eq!(
        ids(s.list_tasks(&f("BYT", false)).await.expect("l")),
        ["Báo cáo y tế"]
    );
    let subs = TaskFilter {
        parent_id: Some(p.id),
        ..TaskFilter::default()
    };
    assert_eq!(
        ids(s.list_tasks(&subs).await.expect("l")),
        ["Phường thực hiện"]
    );
    let by_dir = TaskFilter {
        directive_id: Some(dir.id),
        ..TaskFilter::default()
    };
    assert_eq!(s.list_tasks(&by_dir).await.expect("l").total, 1);
    let status = |st, as_of: &str| TaskFilter {
        status: Some(st),
        as_of: Some(d(as_of)),
        ..TaskFilter::default()
    };
    assert_eq!(
        ids(s
            .list_tasks(&status(TaskStatus::OpenOverdue, "2025-03-20"))
            .await
            .expect("l")),
        ["Báo cáo y tế", "Xã báo cáo", "Phường thực hiện"]
    );
    assert_eq!(
        s.list_tasks(&status(TaskStatus::OpenWithinTerm, "2025-03-20"))
            .await
            .expect("l")
            .total,
        1
    );
    assert_eq!(
        ids(s
            .list_tasks(&status(TaskStatus::DoneOnTime, "2025-03-20"))
            .await
            .expect("l")),
        ["Xong sớm"]
    );
    assert_eq!(
        s.list_tasks(&status(TaskStatus::DoneOnTime, "2025-01-19"))
            .await
            .expect("l")
            .total,
        0
    );
    let period = TaskFilter {
        deadline_from: Some(d("2025-02-01")),
        deadline_to: Some(d("2025-03-20")),
        limit: Some(1),
        ..TaskFilter::default()
    };
    let page = s.list_tasks(&period).await.expect("l");
    assert_eq!((page.total, page.items.len()), (3, 1));
    let page2 = s
        .list_tasks(&TaskFilter {
            offset: Some(1),
            ..period
        })
        .await
        .expect("l");
    assert_eq!(ids(page2), ["Xã báo cáo"]);
}

async fn dashboard_facts_agree_with_status_lists<S: Store>(s: S) {
    seed_orgs(&s).await;
    let cal = Calendar::default_vn().expect("calendar");
    let created = s
        .create_tasks(
            &[
                task("A", "BTP", "2025-01-02", "2025-01-24"),
                task("B", "BTP", "2025-01-02", "2025-01-24"),
                task("C", "BTP", "2025-03-01", "2025-04-30"),
                task("D", "BYT", "2025-01-02", "2025-03-28"),
                task("E", "P01", "2024-10-01", "2024-11-01"),
                task("F", "W00004", "2025-02-01", "2025-02-20"),
            ],
            "x",
        )
        .await
        .expect("create");
    for (i, on) in [(0, "2025-01-24"), (1, "2025-02-04"), (4, "2024-12-01")] {
        let r = &created[i];
        let r = step(
            &s,
            r,
            TaskChange::Submit {
                evidence: "BC".into(),
            },
            on,
        )
        .await;
        step(&s, &r, TaskChange::Accept, on).await;
    }
    let facts = s
        .task_facts(d("2025-01-01"), d("2025-03-31"), d("2025-06-01"), None)
        .await
        .expect("facts");
    assert_eq!(facts.len(), 5, "E was completed before the quarter");
    let tallies = tally(
        &facts,
        &cal,
        d("2025-01-01"),
        d("2025-03-31"),
        d("2025-06-01"),
    )
    .expect("tally");
    let rep = report(&tallies);
    assert_eq!(
        (
            rep.totals.done_on_time,
            rep.totals.done_late,
            rep.totals.open_within_term,
            rep.totals.open_overdue
        ),
        (1, 1, 1, 2)
    );
    let btp = tallies.iter().find(|t| t.org == "BTP").expect("BTP");
    assert_eq!(btp.delay_days, 2, "late across Tết by 2 working days");
    for (st, n) in [
        (TaskStatus::OpenOverdue, 2),
        (TaskStatus::OpenWithinTerm, 1),
    ] {
        let f = TaskFilter {
            status: Some(st),
            as_of: Some(d("2025-03-31")),
            ..TaskFilter::default()
        };
        assert_eq!(s.list_tasks(&f).await.expect("l").total, n, "{st:?}");
    }
    // The database's aggregate agrees with the domain's tally, delays included.
    for (from, to, as_of) in [
        ("2025-01-01", "2025-03-31", "2025-06-01"),
        ("2025-01-01", "2025-12-31", "2025-02-10"),
        ("2024-01-01", "2024-12-31", "2025-06-01"),
    ] {
        let (from, to, as_of) = (d(from), d(to), d(as_of));
        let facts = s.task_facts(from, to, as_of, None).await.expect("facts");
        let expected = tally(&facts, &cal, from, to, as_of).expect("tally");
        let counted = s
            .task_tallies(from, to, as_of, None)
            .await
            .expect("tallies");
        assert_eq!(
            counted.with_delays(&cal, to.min(as_of)).expect("delays"),
            expected,
            "{from}..{to} on {as_of}"
        );
    }
    let sub = s
        .task_tallies(
            d("2025-01-01"),
            d("2025-03-31"),
            d("2025-06-01"),
            Some("P01"),
        )
        .await
        .expect("tallies");
    assert_eq!(
        sub.tallies
            .iter()
            .map(|t| t.org.as_str())
            .collect::<Vec<_>>(),
        ["W00004"]
    );
    let p01 = s
        .task_facts(
            d("2025-01-01"),
            d("2025-03-31"),
            d("2025-06-01"),
            Some("P01"),
        )
        .await
        .expect("facts");
    assert_eq!(
        p01.iter().map(|f| f.lead_org.as_str()).collect::<Vec<_>>(),
        ["W00004"]
    );
}

async fn recurring_duties_materialise_once_and_reminder_candidates_are_open_tasks<S: Store>(s: S) {
    seed_orgs(&s).await;
    let cal = Calendar::default_vn().expect("calendar");
    let rule = RecurrenceRule {
        series: "bc-thang-tthc:BTP".into(),
        pattern: Recurrence::Monthly { day: 20 },
        policy: NonWorkingPolicy::NextWorkingDay,
    };
    let occ = rule
        .occurrences(&cal, d("2025-01-01"), d("2025-12-31"))
        .expect("rule");
    let template = task(
        "Báo cáo tình hình biến động TTHC trong tháng",
        "BTP",
        "2025-01-01",
        "2025-01-01",
    );
    assert_eq!(
        s.materialise_recurring(&template, &occ, "system")
            .await
            .expect("first"),
        12
    );
    assert_eq!(
        s.materialise_recurring(&template, &occ, "system")
            .await
            .expect("again"),
        0
    );
    let all = s
        .list_tasks(&TaskFilter {
            limit: Some(100),
            ..TaskFilter::default()
        })
        .await
        .expect("list");
    assert_eq!(all.total, 12);
    assert_eq!(all.items[3].task.deadline, d("2025-04-21"));
    assert_eq!(
        all.items[3].task.instance_key.as_deref(),
        Some("bc-thang-tthc:BTP:2025-04")
    );
    // Close March; then only open tasks due by the horizon come back.
    let march = all.items[2].clone();
    let r = step(
        &s,
        &march,
        TaskChange::Submit {
            evidence: "BC tháng 3".into(),
        },
        "2025-03-18",
    )
    .await;
    step(&s, &r, TaskChange::Accept, "2025-03-19").await;
    let c = s
        .reminder_candidates(d("2025-04-14"), d("2025-04-21"))
        .await
        .expect("candidates");
    let keys: Vec<&str> = c
        .iter()
        .filter_map(|r| r.task.instance_key.as_deref())
        .collect();
    assert_eq!(
        keys,
        [
            "bc-thang-tthc:BTP:2025-01",
            "bc-thang-tthc:BTP:2025-02",
            "bc-thang-tthc:BTP:2025-04"
        ]
    );
}

async fn groups_meetings_and_directives_round_trip<S: Store>(s: S) {
    seed_orgs(&s).await;
    let g = WorkingGroup {
        code: "TCT-TTG".into(),
        name: "Tổ công tác của Thủ tướng Chính phủ".into(),
        level: GroupLevel::National,
        parent: None,
        org: "CP".into(),
        valid_from: d("2022-12-15"),
        members: vec![
            GroupMember {
                person: "Nguyễn Văn A".into(),
                position: "Bộ trưởng".into(),
                org: "CP".into(),
                role: MemberRole::Head,
                since: None,
                ended_on: None,
            },
            GroupMember {
                person: "Trần Thị B".into(),
                position: "Thứ trưởng".into(),
                org: "BTP".into(),
                role: MemberRole::Member,
                since: None,
                ended_on: None,
            },
        ],
    };
    s.upsert_working_group(&g).await.expect("group");
    s.upsert_working_group(&g).await.expect("again");
    assert_eq!(s.working_groups().await.expect("groups"), vec![g]);
    let m = Meeting {
        group: "TCT-TTG".into(),
        date: d("2025-01-08"),
        format: MeetingFormat::Hybrid,
        participants: vec!["Bộ Tư pháp".into(), "Thành phố Hà Nội".into()],
        agenda: "Đánh giá kết quả năm 2024".into(),
        minutes: "Biên bản".into(),
        conclusions: "Các bộ báo cáo hằng tháng".into(),
        public: true,
    };
    let pm = s.create_meeting(&m).await.expect("meeting");
    s.create_meeting(&Meeting {
        public: false,
        ..m.clone()
    })
    .await
    .expect("private");
    assert_eq!(s.meetings(true).await.expect("public"), vec![pm.clone()]);
    assert_eq!(s.meetings(false).await.expect("all").len(), 2);
    let mut dir = directive(&s, "03/TB-VPCP").await;
    dir.directive.meeting_id = Some(pm.id);
    let dup = s.create_directive(&dir.directive).await;
    assert!(matches!(dup, Err(StoreError::Conflict { .. })), "{dup:?}");
    assert_eq!(
        s.get_directive(dir.id).await.expect("get").directive.number,
        "03/TB-VPCP"
    );
    assert_eq!(s.directives(true).await.expect("list").len(), 1);
}

async fn membership_is_changed_in_place_and_never_deleted<S: Store>(s: S) {
    seed_orgs(&s).await;
    let head = GroupMember {
        person: "Nguyễn Văn A".into(),
        position: "Bộ trưởng".into(),
        org: "CP".into(),
        role: MemberRole::Head,
        since: Some(d("2022-12-15")),
        ended_on: None,
    };
    let g = WorkingGroup {
        code: "TCT-TTG".into(),
        name: "Tổ công tác của Thủ tướng Chính phủ".into(),
        level: GroupLevel::National,
        parent: None,
        org: "CP".into(),
        valid_from: d("2022-12-15"),
        members: vec![head.clone()],
    };
    s.upsert_working_group(&g).await.expect("group");
    let new_head = GroupMember {
        person: "Trần Thị B".into(),
        position: "Thứ trưởng".into(),
        org: "BTP".into(),
        role: MemberRole::Member,
        since: Some(d("2026-11-26")),
        ended_on: None,
    };
    let got = s
        .change_group_member("TCT-TTG", &MemberChange::Add { member: new_head })
        .await
        .expect("add");
    assert_eq!(got.members.len(), 2);
    let promote = MemberChange::Update {
        index: 1,
        position: "Bộ trưởng".into(),
        role: MemberRole::Head,
    };
    let refused = s.change_group_member("TCT-TTG", &promote).await;
    assert!(
        matches!(refused, Err(StoreError::Invalid { .. })),
        "{refused:?}"
    );
    assert_eq!(
        s.working_groups().await.expect("g")[0].members[1].role,
        MemberRole::Member,
        "a refused change leaves nothing behind"
    );
    s.change_group_member(
        "TCT-TTG",
        &MemberChange::End {
            index: 0,
            on: d("2026-11-25"),
        },
    )
    .await
    .expect("end");
    s.change_group_member("TCT-TTG", &promote)
        .await
        .expect("promote");
    let stored = s.working_groups().await.expect("g").remove(0);
    assert_eq!(stored.members.len(), 2, "the former head is kept");
    assert_eq!(stored.members[0].ended_on, Some(d("2026-11-25")));
    assert_eq!(stored.members[0].since, Some(d("2022-12-15")));
    assert_eq!(
        (stored.members[1].role, stored.members[1].position.as_str()),
        (MemberRole::Head, "Bộ trưởng")
    );
    let unknown = s
        .change_group_member(
            "NOPE",
            &MemberChange::End {
                index: 0,
                on: d("2026-11-26"),
            },
        )
        .await;
    assert!(
        matches!(unknown, Err(StoreError::NotFound(_))),
        "{unknown:?}"
    );
}

fn pending(action: &str, id: &str) -> NewAuditEntry {
    NewAuditEntry {
        actor: "canbo@btp.gov.vn".into(),
        action: action.into(),
        entity_type: "task".into(),
        entity_id: id.into(),
        before: None,
        after: Some(serde_json::json!({"percent": 40})),
    }
}

/// Creating and stepping a task takes the request's pending audit entry into its own
/// transaction (the entry is stored with the change or not at all); a refused step leaves it.
async fn task_writes_store_their_pending_audit_entry_in_their_transaction<S: Store>(s: S) {
    use thutuc_store::audit_scope::audited;
    seed_orgs(&s).await;
    let t = task("Rà soát thủ tục hộ tịch", "BTP", "2025-01-10", "2025-03-31");
    let (created, left) = audited(
        pending("task.create", "new"),
        s.create_tasks(&[t], "vpcp@gov.vn"),
    )
    .await;
    let r = created.expect("create").remove(0);
    assert_eq!(left, None, "the creation took the entry");
    let change = TaskChange::Progress {
        percent: 40,
        note: "Đã rà soát 12 thủ tục".into(),
        attachments: vec![],
        files: vec![],
    };
    let e = pending("task.update", &r.id.to_string());
    let (stale, left) = audited(
        e.clone(),
        s.update_task(r.id, r.rev + 5, &change, "x", d("2025-02-10")),
    )
    .await;
    assert!(stale.is_err());
    assert_eq!(left, Some(e.clone()), "a refused step takes nothing");
    let (ok, left) = audited(e, s.update_task(r.id, r.rev, &change, "x", d("2025-02-10"))).await;
    ok.expect("step");
    assert_eq!(left, None);
    assert_eq!(audit_actions(&s).await, ["task.create", "task.update"]);
}

contract_tests!(
    task_writes_store_their_pending_audit_entry_in_their_transaction,
    the_full_lifecycle_keeps_history_and_refuses_stale_edits,
    bad_input_is_refused_clearly_and_never_half_applied,
    extensions_keep_every_deadline_change,
    sub_tasks_and_filtered_lists_follow_the_org_tree,
    dashboard_facts_agree_with_status_lists,
    recurring_duties_materialise_once_and_reminder_candidates_are_open_tasks,
    groups_meetings_and_directives_round_trip,
    membership_is_changed_in_place_and_never_deleted,
);
