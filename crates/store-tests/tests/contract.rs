//! The storage contract: every test runs on SQLite and on PostgreSQL.

use thutuc_domain::version::{ChangeKind, VersionStatus};
use thutuc_store::*;
use thutuc_store_tests::contract_tests;
use thutuc_store_tests::fixtures::*;

async fn apply<S: Store>(
    s: &S,
    d: &thutuc_domain::decision::PublicationDecision,
) -> StoreResult<ApplyReport> {
    let rec = s.create_decision(d, "tester").await?;
    s.apply_decision(&ApplyRequest {
        number: d.number.clone(),
        expected_rev: rec.rev,
        applied_on: d.signed_on,
        timeliness: None,
        dry_run: false,
    })
    .await
}

async fn publish_birth<S: Store>(s: &S) {
    seed_orgs(s).await;
    let dec = decision(
        "1/QĐ-BTP",
        "2025-01-02",
        "2025-02-01",
        vec![entry(
            ChangeKind::New,
            "1.000080",
            Some(content("Đăng ký khai sinh", 15.0)),
        )],
    );
    apply(s, &dec).await.expect("apply new");
}

async fn organisations_round_trip_with_successions<S: Store>(s: S) {
    seed_orgs(&s).await;
    let hn = s.get_org("P01").await.expect("get");
    assert_eq!(hn.name, "Thành phố Hà Nội");
    assert_eq!(hn.admin_code.as_deref(), Some("01"));
    assert_eq!(s.all_orgs().await.expect("all").len(), 5);
    let mut old = orgs()[3].clone();
    old.id = "LP28".into();
    old.name = "Tỉnh Hà Tây".into();
    old.valid_to = Some(d("2008-07-31"));
    s.upsert_orgs(&[old]).await.expect("historic");
    let succ = thutuc_domain::org::UnitSuccession {
        old: "LP28".into(),
        new: "P01".into(),
        partial: false,
        effective: d("2008-08-01"),
    };
    s.upsert_successions(&[succ.clone(), succ.clone()])
        .await
        .expect("idempotent");
    assert_eq!(s.successors("LP28").await.expect("succ"), vec![succ]);
    assert!(matches!(
        s.get_org("NOPE").await,
        Err(StoreError::NotFound(_))
    ));
}

async fn current_versions_are_read_in_bulk_in_the_order_asked<S: Store>(s: S) {
    publish_birth(&s).await;
    let one = s.current_version(&code("1.000080")).await.expect("current");
    let codes: Vec<_> = (0..1_200)
        .map(|i| code(&format!("9.{i:06}")))
        .chain([code("1.000080")])
        .collect();
    let got = s.current_versions(&codes).await.expect("bulk");
    assert_eq!(got.len(), 1, "codes without a public version are left out");
    assert_eq!(got[0].code, one.code);
    assert_eq!(got[0].content, one.content);
    assert!(s.current_versions(&[]).await.expect("empty").is_empty());
}

async fn all_procedures_equals_paging_through_the_list<S: Store>(s: S) {
    seed_orgs(&s).await;
    let items: Vec<ImportItem> = (0..1_203)
        .map(|i| ImportItem {
            code: code(&format!("2.{i:06}")),
            kind: if i % 10 == 0 {
                thutuc_domain::procedure::ProcedureKind::Internal
            } else {
                thutuc_domain::procedure::ProcedureKind::External
            },
            owner_org: ["BTP", "BYT", "P01"][i % 3].into(),
            decision_no: None,
            content: content(&format!("Thủ tục số {i}"), 5.0),
            list_only: false,
            valid_from: d("2025-07-01"),
        })
        .collect();
    s.import_batch(&items).await.expect("import");
    let paged = |f: ProcedureFilter| {
        let s = &s;
        async move {
            let mut out = Vec::new();
            let mut f = ProcedureFilter { limit: 500, ..f };
            loop {
                let page = s.list_procedures(&f).await.expect("page");
                let n = page.items.len() as i64;
                out.extend(page.items);
                f.offset += n;
                if n < 500 {
                    break;
                }
            }
            let mut codes: Vec<String> = out.iter().map(|p| format!("{p:?}")).collect();
            codes.sort();
            codes
        }
    };
    let all = |f: ProcedureFilter| {
        let s = &s;
        async move {
            let mut codes: Vec<String> = s
                .all_procedures(&f)
                .await
                .expect("all")
                .iter()
                .map(|p| format!("{p:?}"))
                .collect();
            codes.sort();
            codes
        }
    };
    for f in [
        ProcedureFilter::default(),
        ProcedureFilter {
            owner_orgs: Some(vec!["BYT".into(), "P01".into()]),
            ..Default::default()
        },
        ProcedureFilter {
            kind: Some(thutuc_domain::procedure::ProcedureKind::Internal),
            ..Default::default()
        },
    ] {
        let a = all(f.clone()).await;
        assert!(!a.is_empty());
        assert_eq!(a, paged(f).await);
    }
    assert_eq!(all(ProcedureFilter::default()).await.len(), 1_203);
}

async fn review_comments_are_kept_in_order_and_bad_ones_refused<S: Store>(s: S) {
    publish_birth(&s).await;
    let c = code("1.000080");
    let add = |author: &str, body: &str| thutuc_store::review::NewComment {
        code: c.clone(),
        seq: 1,
        author: author.into(),
        body: body.into(),
    };
    let first = s
        .add_comment(&add(
            "lanhdao@moj.gov.vn",
            "  Đề nghị rà soát lại thời hạn giải quyết.  ",
        ))
        .await
        .expect("add");
    assert_eq!(first.body, "Đề nghị rà soát lại thời hạn giải quyết.");
    s.add_comment(&add("canbo@moj.gov.vn", "Đã sửa theo ý kiến."))
        .await
        .expect("add 2");
    let all = s.comments(&c, 1).await.expect("list");
    assert_eq!(
        all.iter().map(|x| x.author.as_str()).collect::<Vec<_>>(),
        ["lanhdao@moj.gov.vn", "canbo@moj.gov.vn"]
    );
    assert!(matches!(
        s.add_comment(&add("x", "   ")).await,
        Err(StoreError::Invalid { .. })
    ));
    assert!(matches!(
        s.add_comment(&add("x", &"a".repeat(4_001))).await,
        Err(StoreError::Invalid { .. })
    ));
    let mut missing = add("x", "ok");
    missing.seq = 9;
    assert!(matches!(
        s.add_comment(&missing).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(s.comments(&c, 9).await.expect("none").is_empty());
}

async fn a_new_procedure_is_published_by_a_decision<S: Store>(s: S) {
    publish_birth(&s).await;
    let v = s.current_version(&code("1.000080")).await.expect("current");
    assert_eq!((v.seq, v.status), (1, VersionStatus::Published));
    assert_eq!(v.valid_from, Some(d("2025-02-01")));
    assert_eq!(v.decision_no.as_deref(), Some("1/QĐ-BTP"));
    assert_eq!(v.content.name, "Đăng ký khai sinh");
    let p = s.get_procedure(&code("1.000080")).await.expect("procedure");
    assert_eq!(p.owner_org, "BTP");
    let dec = s.get_decision("1/QĐ-BTP").await.expect("decision");
    assert_eq!(dec.status, thutuc_domain::decision::DecisionStatus::Applied);
}

async fn an_amendment_supersedes_the_version_in_force_the_day_before<S: Store>(s: S) {
    publish_birth(&s).await;
    let dec = decision(
        "2/QĐ-BTP",
        "2025-05-02",
        "2025-06-01",
        vec![entry(
            ChangeKind::Amended,
            "1.000080",
            Some(content("Đăng ký khai sinh", 10.0)),
        )],
    );
    let report = apply(&s, &dec).await.expect("amend");
    assert_eq!(
        report.entries[0].changed_components,
        vec!["Thời hạn giải quyết".to_string()]
    );
    let vs = s.versions(&code("1.000080")).await.expect("versions");
    assert_eq!(vs.len(), 2);
    assert_eq!(
        (vs[0].status, vs[0].valid_to),
        (VersionStatus::Superseded, Some(d("2025-05-31")))
    );
    assert_eq!(
        (vs[1].status, vs[1].valid_from, vs[1].valid_to),
        (VersionStatus::Published, Some(d("2025-06-01")), None)
    );
    assert_eq!(
        s.current_version(&code("1.000080")).await.expect("cur").seq,
        2
    );
}

async fn drafts_are_single_and_edits_are_optimistic<S: Store>(s: S) {
    publish_birth(&s).await;
    let req = NewDraft {
        code: code("1.000080"),
        kind: Default::default(),
        owner_org: "BTP".into(),
        content: content("Đăng ký khai sinh", 12.0),
        created_by: "a".into(),
    };
    let draft = s.create_draft(req.clone()).await.expect("draft");
    assert_eq!(
        (draft.seq, draft.status, draft.rev),
        (2, VersionStatus::Draft, 1)
    );
    assert!(matches!(s.create_draft(req).await, Err(StoreError::Rule(m)) if m.contains("dự thảo")));
    let edited = s
        .update_draft(&code("1.000080"), 2, 1, content("Đăng ký khai sinh", 11.0))
        .await
        .expect("edit");
    assert_eq!(edited.rev, 2);
    match s
        .update_draft(&code("1.000080"), 2, 1, content("Đăng ký khai sinh", 9.0))
        .await
    {
        Err(StoreError::Conflict {
            current: Some(cur), ..
        }) => assert_eq!(cur["rev"], 2),
        other => panic!("expected conflict, got {other:?}"),
    }
    let review = s
        .set_draft_status(&code("1.000080"), 2, 2, VersionStatus::InReview)
        .await
        .expect("review");
    assert!(matches!(
        s.update_draft(&code("1.000080"), 2, review.rev, content("x", 1.0))
            .await,
        Err(StoreError::Rule(_))
    ));
    assert!(matches!(
        s.set_draft_status(&code("1.000080"), 2, review.rev, VersionStatus::Published)
            .await,
        Err(StoreError::Rule(_))
    ));
    // A decision without content publishes the draft under review.
    let dec = decision(
        "3/QĐ-BTP",
        "2025-05-02",
        "2025-06-01",
        vec![entry(ChangeKind::Amended, "1.000080", None)],
    );
    apply(&s, &dec).await.expect("publish draft");
    let cur = s.current_version(&code("1.000080")).await.expect("cur");
    assert_eq!((cur.seq, cur.status), (2, VersionStatus::Published));
    assert_eq!(
        cur.content.channels[0].time.as_ref().map(|t| t.value),
        Some(11.0)
    );
    assert_eq!(
        s.list_procedures(&ProcedureFilter {
            status: Some(ProcedureStatusFilter::HasDraft),
            limit: 10,
            ..Default::default()
        })
        .await
        .expect("list")
        .total,
        0
    );
}

async fn abolished_procedures_are_kept_and_cannot_be_reused<S: Store>(s: S) {
    publish_birth(&s).await;
    apply(
        &s,
        &decision(
            "4/QĐ-BTP",
            "2025-08-01",
            "2025-09-01",
            vec![entry(ChangeKind::Abolished, "1.000080", None)],
        ),
    )
    .await
    .expect("abolish");
    let v = s
        .current_version(&code("1.000080"))
        .await
        .expect("still readable");
    assert_eq!(
        (v.status, v.valid_to),
        (VersionStatus::Abolished, Some(d("2025-08-31")))
    );
    assert!(
        s.get_procedure(&code("1.000080"))
            .await
            .expect("p")
            .abolished
    );
    let req = NewDraft {
        code: code("1.000080"),
        kind: Default::default(),
        owner_org: "BTP".into(),
        content: content("x", 1.0),
        created_by: "a".into(),
    };
    assert!(matches!(
        s.create_draft(req).await,
        Err(StoreError::Rule(_))
    ));
    let again = decision(
        "5/QĐ-BTP",
        "2025-10-01",
        "2025-11-01",
        vec![entry(ChangeKind::New, "1.000080", Some(content("x", 1.0)))],
    );
    assert!(matches!(apply(&s, &again).await, Err(StoreError::Rule(m)) if m.contains("bãi bỏ")));
    let counts = s.catalogue_counts().await.expect("counts");
    assert_eq!(
        (counts.procedures, counts.abolished, counts.in_force),
        (1, 1, 0)
    );
}

async fn a_failing_entry_rolls_back_the_whole_decision<S: Store>(s: S) {
    publish_birth(&s).await;
    let dec = decision(
        "6/QĐ-BTP",
        "2025-05-02",
        "2025-06-01",
        vec![
            entry(
                ChangeKind::Amended,
                "1.000080",
                Some(content("Đăng ký khai sinh", 5.0)),
            ),
            entry(
                ChangeKind::New,
                "1.000081",
                Some(content("Đăng ký kết hôn", 5.0)),
            ),
            entry(
                ChangeKind::Amended,
                "9.999999",
                Some(content("Không tồn tại", 5.0)),
            ),
        ],
    );
    match apply(&s, &dec).await {
        Err(StoreError::Rule(m)) => assert!(m.contains("dòng 3") && m.contains("9.999999"), "{m}"),
        other => panic!("expected rule error, got {other:?}"),
    }
    assert_eq!(
        s.versions(&code("1.000080")).await.expect("v").len(),
        1,
        "first entry rolled back"
    );
    assert!(
        matches!(
            s.get_procedure(&code("1.000081")).await,
            Err(StoreError::NotFound(_))
        ),
        "second entry rolled back"
    );
    assert_eq!(
        s.get_decision("6/QĐ-BTP").await.expect("d").status,
        thutuc_domain::decision::DecisionStatus::Draft
    );
}

async fn overlapping_validity_is_refused<S: Store>(s: S) {
    publish_birth(&s).await;
    let dec = decision(
        "7/QĐ-BTP",
        "2025-01-02",
        "2025-01-15",
        vec![entry(
            ChangeKind::Amended,
            "1.000080",
            Some(content("Đăng ký khai sinh", 5.0)),
        )],
    );
    assert!(matches!(apply(&s, &dec).await, Err(StoreError::Rule(m)) if m.contains("chồng lấn")));
    assert_eq!(s.versions(&code("1.000080")).await.expect("v").len(), 1);
}

async fn decisions_validate_issuer_number_and_revision<S: Store>(s: S) {
    seed_orgs(&s).await;
    let mut dec = decision(
        "8/QĐ-XX",
        "2025-01-02",
        "2025-02-01",
        vec![entry(ChangeKind::New, "1.000090", Some(content("A", 1.0)))],
    );
    dec.issuer_org = "NOPE".into();
    assert!(
        matches!(s.create_decision(&dec, "t").await, Err(StoreError::Invalid { field, .. }) if field == "issuer_org")
    );
    dec.issuer_org = "BTP".into();
    let rec = s.create_decision(&dec, "t").await.expect("create");
    assert!(matches!(
        s.create_decision(&dec, "t").await,
        Err(StoreError::Conflict { .. })
    ));
    let mut edited = dec.clone();
    edited.title = "Sửa trích yếu".into();
    let rec2 = s
        .update_decision("8/QĐ-XX", rec.rev, &edited)
        .await
        .expect("update");
    assert!(matches!(
        s.update_decision("8/QĐ-XX", rec.rev, &edited).await,
        Err(StoreError::Conflict { .. })
    ));
    let stale = ApplyRequest {
        number: "8/QĐ-XX".into(),
        expected_rev: rec.rev,
        applied_on: d("2025-01-03"),
        timeliness: None,
        dry_run: false,
    };
    assert!(matches!(
        s.apply_decision(&stale).await,
        Err(StoreError::Conflict { .. })
    ));
    let dry = ApplyRequest {
        expected_rev: rec2.rev,
        dry_run: true,
        ..stale
    };
    assert_eq!(s.apply_decision(&dry).await.expect("dry").entries.len(), 1);
    assert!(
        matches!(
            s.get_procedure(&code("1.000090")).await,
            Err(StoreError::NotFound(_))
        ),
        "dry run writes nothing"
    );
    let mut dup = dec.clone();
    dup.number = "9/QĐ-XX".into();
    dup.entries.push(dup.entries[0].clone());
    assert!(
        matches!(s.create_decision(&dup, "t").await, Err(StoreError::Rule(m)) if m.contains("nhiều lần"))
    );
    let page = s
        .list_decisions(&DecisionFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .expect("list");
    assert_eq!((page.total, page.items[0].entries), (1, 1));
}

async fn imports_are_idempotent_and_never_downgrade_detail<S: Store>(s: S) {
    seed_orgs(&s).await;
    let item = ImportItem {
        code: code("1.000080"),
        kind: Default::default(),
        owner_org: "BTP".into(),
        decision_no: Some("163/QĐ-BTP".into()),
        content: content("Đăng ký khai sinh", 15.0),
        list_only: false,
        valid_from: d("2025-01-01"),
    };
    let first = s
        .import_batch(std::slice::from_ref(&item))
        .await
        .expect("import");
    assert_eq!(first[0].action, ImportAction::Created);
    let again = s
        .import_batch(std::slice::from_ref(&item))
        .await
        .expect("again");
    assert_eq!(again[0].action, ImportAction::Unchanged);
    let bare = ImportItem {
        list_only: true,
        content: thutuc_domain::ProcedureContent {
            name: "Đăng ký khai sinh".into(),
            ..Default::default()
        },
        ..item.clone()
    };
    assert_eq!(
        s.import_batch(&[bare]).await.expect("bare")[0].action,
        ImportAction::Unchanged
    );
    let changed = ImportItem {
        content: content("Đăng ký khai sinh", 10.0),
        ..item.clone()
    };
    let upd = s.import_batch(&[changed]).await.expect("changed");
    assert_eq!((upd[0].action, upd[0].seq), (ImportAction::Updated, 2));
    let bad = ImportItem {
        code: code("1.000099"),
        owner_org: "NOPE".into(),
        ..item
    };
    assert!(s.import_batch(&[bad]).await.is_err());
    assert!(matches!(
        s.get_procedure(&code("1.000099")).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn procedure_lists_filter_accent_insensitively_and_paginate<S: Store>(s: S) {
    seed_orgs(&s).await;
    let mut items = Vec::new();
    for i in 0..25 {
        let name = if i % 5 == 0 {
            format!("Đăng ký kết hôn {i}")
        } else {
            format!("Cấp bản sao trích lục {i}")
        };
        let mut c = content(&name, 5.0);
        if i % 2 == 0 {
            c.levels = [thutuc_domain::procedure::Level::Province]
                .into_iter()
                .collect();
        }
        items.push(ImportItem {
            code: code(&format!("2.{:06}", i)),
            kind: Default::default(),
            owner_org: if i < 20 { "BTP".into() } else { "BYT".into() },
            decision_no: None,
            content: c,
            list_only: false,
            valid_from: d("2025-01-01"),
        });
    }
    s.import_batch(&items).await.expect("import");
    let f = |q: Option<&str>| ProcedureFilter {
        q: q.map(Into::into),
        limit: 10,
        ..Default::default()
    };
    let page = s
        .list_procedures(&f(Some("dang ky ket hon")))
        .await
        .expect("q");
    assert_eq!(page.total, 5);
    assert!(
        page.items
            .iter()
            .all(|p| p.name.starts_with("Đăng ký kết hôn"))
    );
    let all = s.list_procedures(&f(None)).await.expect("all");
    assert_eq!((all.total, all.items.len()), (25, 10));
    let p3 = s
        .list_procedures(&ProcedureFilter {
            offset: 20,
            ..f(None)
        })
        .await
        .expect("page 3");
    assert_eq!(p3.items.len(), 5);
    let prov = s
        .list_procedures(&ProcedureFilter {
            level: Some("province".into()),
            ..f(None)
        })
        .await
        .expect("level");
    assert_eq!(prov.total, 13);
    let byt = s
        .list_procedures(&ProcedureFilter {
            owner_orgs: Some(vec!["BYT".into()]),
            ..f(None)
        })
        .await
        .expect("owner");
    assert_eq!(byt.total, 5);
    assert_eq!(
        s.list_procedures(&ProcedureFilter {
            owner_orgs: Some(vec![]),
            ..f(None)
        })
        .await
        .expect("none")
        .total,
        0
    );
    let odd = s
        .list_procedures(&f(Some("%_'\"; DROP TABLE procedures")))
        .await
        .expect("odd query");
    assert_eq!(odd.total, 0);
}

async fn localisations_are_flagged_when_the_central_version_moves<S: Store>(s: S) {
    publish_birth(&s).await;
    let loc = Localisation {
        code: code("1.000080"),
        org_id: "P01".into(),
        local_code: Some("1.000080.000.00.00.H26".into()),
        overrides: LocalOverrides {
            notes: "Phí theo Nghị quyết HĐND".into(),
            ..Default::default()
        },
        central_seq: 1,
        drifted: false,
        rev: 0,
    };
    let saved = s.upsert_localisation(&loc).await.expect("create");
    assert_eq!((saved.rev, saved.drifted), (1, false));
    assert!(
        matches!(
            s.upsert_localisation(&loc).await,
            Err(StoreError::Conflict { .. })
        ),
        "rev 0 is stale now"
    );
    apply(
        &s,
        &decision(
            "2/QĐ-BTP",
            "2025-05-02",
            "2025-06-01",
            vec![entry(
                ChangeKind::Amended,
                "1.000080",
                Some(content("Đăng ký khai sinh", 10.0)),
            )],
        ),
    )
    .await
    .expect("amend");
    assert!(s.localisations(&code("1.000080")).await.expect("locs")[0].drifted);
    // A second province: the bulk read (full search reindex) equals reading per procedure.
    let mut hcm = orgs().into_iter().find(|o| o.id == "P01").expect("P01");
    hcm.id = "P79".into();
    hcm.name = "Thành phố Hồ Chí Minh".into();
    s.upsert_orgs(&[hcm]).await.expect("P79");
    let mut other = loc.clone();
    other.org_id = "P79".into();
    other.local_code = None;
    s.upsert_localisation(&other).await.expect("second");
    let all = s.all_localisations().await.expect("all");
    assert_eq!(all, s.localisations(&code("1.000080")).await.expect("locs"));
    assert_eq!(
        all.iter().map(|l| l.org_id.as_str()).collect::<Vec<_>>(),
        ["P01", "P79"]
    );
    assert!(all.iter().all(|l| l.drifted == (l.central_seq < 2)));
}

async fn users_and_tokens<S: Store>(s: S) {
    seed_orgs(&s).await;
    let u = NewUser {
        email: "Officer@BTP.gov.vn".into(),
        name: "Cán bộ".into(),
        org_id: "BTP".into(),
        role: "officer".into(),
        password_hash: "h".into(),
    };
    let created = s.create_user(&u).await.expect("user");
    assert_eq!(created.email, "officer@btp.gov.vn");
    assert!(matches!(
        s.create_user(&u).await,
        Err(StoreError::Conflict { .. })
    ));
    s.add_token(created.id, "abc", "cli").await.expect("token");
    assert_eq!(
        s.user_by_token("abc").await.expect("by token").id,
        created.id
    );
    assert!(matches!(
        s.user_by_token("zzz").await,
        Err(StoreError::NotFound(_))
    ));
    let bad = NewUser {
        email: "x@y.vn".into(),
        org_id: "NOPE".into(),
        ..u
    };
    assert!(matches!(
        s.create_user(&bad).await,
        Err(StoreError::Invalid { .. })
    ));
}

async fn change_entries_feed_statistics<S: Store>(s: S) {
    publish_birth(&s).await;
    apply(
        &s,
        &decision(
            "2/QĐ-BTP",
            "2025-05-02",
            "2025-06-01",
            vec![entry(
                ChangeKind::Amended,
                "1.000080",
                Some(content("Đăng ký khai sinh", 10.0)),
            )],
        ),
    )
    .await
    .expect("amend");
    let rows = s
        .change_entries(d("2025-05-01"), d("2025-05-31"))
        .await
        .expect("rows");
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (
            rows[0].kind,
            rows[0].decision_no.as_str(),
            rows[0].local_republication
        ),
        (ChangeKind::Amended, "2/QĐ-BTP", false)
    );
    assert_eq!(
        s.change_entries(d("2025-01-01"), d("2025-12-31"))
            .await
            .expect("year")
            .len(),
        2
    );
}

async fn legal_documents_upsert_and_search<S: Store>(s: S) {
    let doc = thutuc_domain::legal::LegalDocument {
        number: "123/2015/NĐ-CP".into(),
        doc_type: "Nghị định".into(),
        title: "Quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch".into(),
        issuer: "Chính phủ".into(),
        signed_on: Some(d("2015-11-15")),
        effective_on: Some(d("2016-01-01")),
    };
    s.upsert_legal_docs(&[doc.clone(), doc.clone()])
        .await
        .expect("upsert");
    assert_eq!(s.get_legal_doc("123/2015/NĐ-CP").await.expect("get"), doc);
    assert_eq!(
        s.list_legal_docs(Some("luat ho tich"), 10, 0)
            .await
            .expect("q")
            .total,
        1
    );
}

async fn calendar_rows_are_stored_replaced_and_withdrawn<S: Store>(s: S) {
    use thutuc_domain::calendar::{CalendarDay, DayKind};
    let row = |date: &str, kind: DayKind, name: &str| CalendarDay {
        date: d(date),
        kind,
        name_vi: name.into(),
        source: "Thông báo 1/TB-BNV".into(),
    };
    s.upsert_calendar_days(
        &[
            row("2027-02-05", DayKind::Holiday, "Tết"),
            row("2027-02-20", DayKind::SwappedWorkday, "Làm bù"),
        ],
        "officer",
    )
    .await
    .expect("upsert");
    s.upsert_calendar_days(
        &[row("2027-02-05", DayKind::SwappedDayOff, "Nghỉ bù Tết")],
        "officer",
    )
    .await
    .expect("replace");
    let rows = s.calendar_days().await.expect("rows");
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[0].kind, rows[0].name_vi.as_str()),
        (DayKind::SwappedDayOff, "Nghỉ bù Tết")
    );
    s.withdraw_calendar_day(d("2027-02-20"), "officer")
        .await
        .expect("withdraw");
    assert_eq!(s.calendar_days().await.expect("rows").len(), 1);
    assert!(matches!(
        s.withdraw_calendar_day(d("2027-03-01"), "officer").await,
        Err(StoreError::NotFound(_))
    ));
}

async fn changed_since_reports_publications_for_cache_catch_up<S: Store>(s: S) {
    let before = chrono::Utc::now() - chrono::Duration::seconds(1);
    publish_birth(&s).await;
    let changed = s.changed_since(before).await.expect("changed");
    assert_eq!(changed.len(), 1);
    assert_eq!(
        (changed[0].code.as_str(), changed[0].current_seq),
        ("1.000080", Some(1))
    );
    let later = chrono::Utc::now() + chrono::Duration::seconds(5);
    assert!(s.changed_since(later).await.expect("none").is_empty());
}

/// Staged uploads (the import preview): taken once, only by their owner, never after they
/// expire, and at most `per_user` kept per user (the oldest dropped first).
async fn staged_uploads_are_taken_once_by_their_owner_and_expire<S: Store>(s: S) {
    use chrono::Duration;
    let now = chrono::Utc::now();
    let cutoff = now - Duration::minutes(30);
    let up = |token: &str, created_at| StagedUpload {
        token: token.into(),
        user_id: 7,
        created_at,
        meta: r#"{"file_name":"bqp.xlsx"}"#.into(),
        bytes: vec![0, 1, 2, 255, 0],
    };
    s.stage_upload(&up("a", now), cutoff, 3)
        .await
        .expect("stage");
    assert!(
        s.take_staged_upload("a", 8, cutoff)
            .await
            .expect("other")
            .is_none(),
        "another user's"
    );
    let got = s
        .take_staged_upload("a", 7, cutoff)
        .await
        .expect("take")
        .expect("staged");
    assert_eq!(got, up("a", got.created_at));
    assert!((got.created_at - now).num_milliseconds().abs() < 5);
    assert!(
        s.take_staged_upload("a", 7, cutoff)
            .await
            .expect("again")
            .is_none(),
        "taken once"
    );
    let old = now - Duration::minutes(31);
    s.stage_upload(&up("b", old), old - Duration::minutes(30), 3)
        .await
        .expect("stage old");
    assert!(
        s.take_staged_upload("b", 7, cutoff)
            .await
            .expect("expired")
            .is_none(),
        "expired"
    );
    for (i, t) in ["c", "d", "e", "f"].into_iter().enumerate() {
        s.stage_upload(&up(t, now + Duration::seconds(i as i64)), cutoff, 3)
            .await
            .expect("stage");
    }
    assert!(
        s.take_staged_upload("c", 7, cutoff)
            .await
            .expect("c")
            .is_none(),
        "the oldest beyond three was dropped"
    );
    for t in ["d", "e", "f"] {
        assert!(
            s.take_staged_upload(t, 7, cutoff).await.expect(t).is_some(),
            "{t}"
        );
    }
}

contract_tests!(
    staged_uploads_are_taken_once_by_their_owner_and_expire,
    all_procedures_equals_paging_through_the_list,
    review_comments_are_kept_in_order_and_bad_ones_refused,
    current_versions_are_read_in_bulk_in_the_order_asked,
    calendar_rows_are_stored_replaced_and_withdrawn,
    changed_since_reports_publications_for_cache_catch_up,
    organisations_round_trip_with_successions,
    a_new_procedure_is_published_by_a_decision,
    an_amendment_supersedes_the_version_in_force_the_day_before,
    drafts_are_single_and_edits_are_optimistic,
    abolished_procedures_are_kept_and_cannot_be_reused,
    a_failing_entry_rolls_back_the_whole_decision,
    overlapping_validity_is_refused,
    decisions_validate_issuer_number_and_revision,
    imports_are_idempotent_and_never_downgrade_detail,
    procedure_lists_filter_accent_insensitively_and_paginate,
    localisations_are_flagged_when_the_central_version_moves,
    users_and_tokens,
    change_entries_feed_statistics,
    legal_documents_upsert_and_search,
);

#[test]
fn both_backends_have_the_same_tables_and_columns() {
    fn shape(sql: &str) -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        for stmt in sql.split(';') {
            let s = stmt.trim();
            let Some(rest) = s.split("CREATE TABLE ").nth(1) else {
                continue;
            };
            let name = rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
            let body = &rest[rest.find('(').unwrap_or(0) + 1..];
            let cols = body
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with("PRIMARY KEY") && !l.starts_with(')'))
                .map(|l| l.split_whitespace().next().unwrap_or_default().to_string())
                .collect();
            out.push((name, cols));
        }
        out
    }
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    for entry in std::fs::read_dir(format!("{root}/store-sqlite/migrations")).expect("dir") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("name").to_owned();
        let lite = std::fs::read_to_string(&path).expect("sqlite migration");
        let pg = std::fs::read_to_string(format!(
            "{root}/store-postgres/migrations/{}",
            name.to_string_lossy()
        ))
        .expect("matching postgres migration");
        assert_eq!(shape(&lite), shape(&pg), "{}", name.to_string_lossy());
    }
}
