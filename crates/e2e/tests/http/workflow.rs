//! The permission matrix, the draft → review → publish flow, concurrency and the audit log.

use super::*;

/// Every role × every web write action × own / other organisation, checked over HTTP.
#[tokio::test]
async fn the_permission_matrix_holds_for_every_role_action_and_scope_over_http() {
    let actors = [
        ("admin@thutuc.local", "CP", Role::Admin),
        ("tocongtac@vpcp.gov.vn", "VPCP", Role::Oversight),
        ("canbo@hanoi.gov.vn", "P01", Role::Officer),
        ("lanhdao@hanoi.gov.vn", "P01", Role::Leader),
    ];
    for (email, org, role) in actors {
        for (target, owner) in [(HANOI, "P01"), (HCM, "P79")] {
            let app = TestApp::new().await;
            let s = app.session(email).await;
            let sc = scope(&app, org, owner);
            let allow = |a: Action| access::allowed(role, a, sc);
            let want = |a: Action| if allow(a) { "allowed" } else { "refused" };
            let got = |status: u16| if status == 403 { "refused" } else { "allowed" };
            let (seq, rev) = draft_rev(&app, target).await;
            let base = format!("/can-bo/thu-tuc/{target}/du-thao/{seq}");
            let ctx = format!("{role:?} {sc:?} {target}");

            let read = app.get(&base, Some(&s)).await;
            assert_eq!(
                got(read.status),
                want(Action::ReadInternal),
                "ReadInternal {ctx}"
            );

            let approve = app.get(&format!("{base}/phe-duyet"), Some(&s)).await;
            assert_eq!(
                got(approve.status),
                want(Action::Publish),
                "Publish {ctx}: {}",
                approve.status
            );

            let back = app
                .post(
                    &format!("{base}/trang-thai"),
                    Some(&s),
                    &[("rev", &rev.to_string()), ("to", "draft")],
                    None,
                )
                .await;
            assert_eq!(
                got(back.status),
                want(Action::SubmitDraft),
                "SubmitDraft {ctx}"
            );

            let rev = draft_rev(&app, target).await.1.to_string();
            let save = app
                .post(
                    &base,
                    Some(&s),
                    &[("rev", &rev), ("name", "Tên mới"), ("op", "save")],
                    None,
                )
                .await;
            assert_eq!(
                got(save.status),
                want(Action::EditDraft),
                "EditDraft {ctx}: {}",
                save.status
            );
            if allow(Action::EditDraft) {
                assert_eq!(save.status, 303, "{ctx}");
            }

            let open = app
                .post(
                    &format!("/can-bo/thu-tuc/{BIRTH}/du-thao"),
                    Some(&s),
                    &[],
                    None,
                )
                .await;
            let birth_scope = scope(&app, org, "BTP");
            assert_eq!(
                got(open.status),
                if access::allowed(role, Action::EditDraft, birth_scope) {
                    "allowed"
                } else {
                    "refused"
                },
                "open draft {role:?}"
            );

            let create = app
                .post(
                    "/quan-tri/nguoi-dung",
                    Some(&s),
                    &[
                        ("email", "moi@x.vn"),
                        ("name", "Mới"),
                        ("org", owner),
                        ("role", "officer"),
                        ("password", "mat-khau-dai-du"),
                    ],
                    None,
                )
                .await;
            let admin_here =
                access::allowed(role, Action::Administer, Scope::Own) && allow(Action::Administer);
            assert_eq!(
                got(create.status),
                if admin_here { "allowed" } else { "refused" },
                "Administer {ctx}"
            );
            let audit = app.get("/quan-tri/nhat-ky", Some(&s)).await;
            assert_eq!(
                got(audit.status),
                if matches!(role, Role::Admin | Role::Oversight) {
                    "allowed"
                } else {
                    "refused"
                },
                "audit {ctx}"
            );
        }
    }
}

#[tokio::test]
async fn a_leader_publishes_an_officers_draft_and_may_not_approve_their_own() {
    let app = TestApp::new().await;
    let officer = app.session("canbo@hanoi.gov.vn").await;
    let leader = app.session("lanhdao@hanoi.gov.vn").await;
    let (seq, _) = draft_rev(&app, HANOI).await;
    let base = format!("/can-bo/thu-tuc/{HANOI}/du-thao/{seq}");
    let before = app.get(&format!("/thu-tuc/{HANOI}"), None).await;
    assert!(
        before.body.contains("1 ngày làm việc"),
        "cached for anonymous visitors"
    );
    assert_eq!(
        app.get(&format!("{base}/phe-duyet"), Some(&officer))
            .await
            .status,
        403,
        "officers do not publish"
    );
    let form = app.get(&format!("{base}/phe-duyet"), Some(&leader)).await;
    assert_eq!(form.status, 200);
    assert!(
        form.body.contains("Thời hạn giải quyết"),
        "the diff preview names the changed component"
    );
    let late = app
        .post(
            &format!("{base}/phe-duyet"),
            Some(&leader),
            &[
                ("op", "check"),
                ("number", "15/QĐ-UBND"),
                ("signed_on", "2026-03-10"),
                ("effective_on", "2026-03-11"),
            ],
            None,
        )
        .await;
    assert!(
        late.body
            .contains("Quyết định được ký sau thời hạn công bố"),
        "late-publication warning"
    );
    let done = app
        .post(
            &format!("{base}/phe-duyet"),
            Some(&leader),
            &[
                ("op", "approve"),
                ("number", "15/QĐ-UBND"),
                ("title", "Công bố"),
                ("signed_on", "2026-03-01"),
                ("effective_on", "2026-04-01"),
            ],
            None,
        )
        .await;
    assert_eq!(
        (done.status, done.location.as_deref()),
        (303, Some(&*format!("/thu-tuc/{HANOI}"))),
        "{}",
        done.body
    );
    let public = app.get(&format!("/thu-tuc/{HANOI}"), None).await;
    assert!(
        public.body.contains("Sửa đổi, bổ sung ngày 01/04/2026")
            && public.body.contains("15/QĐ-UBND")
    );
    assert!(
        public.body.contains("0,5 ngày làm việc"),
        "the new version is shown"
    );
    assert!(
        public.body.contains("Thời hạn giải quyết:"),
        "with its diff"
    );
    let dec = app.get("/quyet-dinh/15/Q%C4%90-UBND", None).await;
    assert_eq!(dec.status, 200);

    // The leader drafts and edits a new amendment: they may not approve it themselves.
    let open = app
        .post(
            &format!("/can-bo/thu-tuc/{HANOI}/du-thao"),
            Some(&leader),
            &[],
            None,
        )
        .await;
    assert_eq!(open.status, 303);
    let (seq2, rev2) = draft_rev(&app, HANOI).await;
    let submit = app
        .post(
            &format!("/can-bo/thu-tuc/{HANOI}/du-thao/{seq2}/trang-thai"),
            Some(&leader),
            &[("rev", &rev2.to_string()), ("to", "in_review")],
            None,
        )
        .await;
    assert_eq!(submit.status, 303);
    let own = app
        .get(
            &format!("/can-bo/thu-tuc/{HANOI}/du-thao/{seq2}/phe-duyet"),
            Some(&leader),
        )
        .await;
    assert_eq!(own.status, 403);
    assert!(own.body.contains("tách bạch nhiệm vụ"));
    let own_post = app
        .post(
            &format!("/can-bo/thu-tuc/{HANOI}/du-thao/{seq2}/phe-duyet"),
            Some(&leader),
            &[
                ("op", "approve"),
                ("number", "16/QĐ-UBND"),
                ("signed_on", "2026-05-01"),
                ("effective_on", "2026-06-01"),
            ],
            None,
        )
        .await;
    assert_eq!(own_post.status, 403);

    let v = app.store.verify_audit().await.expect("verify");
    assert!(v.is_intact() && v.rows >= 4, "{v:?}");
    let actions: Vec<String> = app
        .store
        .audit_entries(&thutuc_store::AuditFilter {
            limit: 50,
            ..Default::default()
        })
        .await
        .expect("audit")
        .items
        .into_iter()
        .map(|e| e.action)
        .collect();
    for a in [
        "decision.create",
        "decision.apply",
        "draft.create",
        "draft.submit",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }
}

#[tokio::test]
async fn a_stale_edit_keeps_what_the_user_typed_and_shows_the_other_change() {
    let app = TestApp::new().await;
    let officer = app.session("canbo@hanoi.gov.vn").await;
    let (seq, rev) = draft_rev(&app, HANOI).await;
    let base = format!("/can-bo/thu-tuc/{HANOI}/du-thao/{seq}");
    let back = app
        .post(
            &format!("{base}/trang-thai"),
            Some(&officer),
            &[("rev", &rev.to_string()), ("to", "draft")],
            None,
        )
        .await;
    assert_eq!(back.status, 303);
    let (_, rev) = draft_rev(&app, HANOI).await;
    let r = rev.to_string();
    let first = app
        .post(
            &base,
            Some(&officer),
            &[
                ("rev", &r),
                ("name", "Cấp bản sao từ sổ gốc (sửa lần 1)"),
                ("op", "save"),
            ],
            None,
        )
        .await;
    assert_eq!(first.status, 303);
    let stale = app
        .post(
            &base,
            Some(&officer),
            &[("rev", &r), ("name", "Tên tôi vừa gõ"), ("op", "save")],
            None,
        )
        .await;
    assert_eq!(stale.status, 409);
    assert!(stale.body.contains("Người khác đã sửa dự thảo này"));
    assert!(
        stale.body.contains("Tên tôi vừa gõ"),
        "the user's input is preserved"
    );
    assert!(
        stale.body.contains("sửa lần 1"),
        "the other change is shown"
    );
    let bad = app
        .post(
            &base,
            Some(&officer),
            &[
                ("rev", &(rev + 1).to_string()),
                ("name", ""),
                ("op", "save"),
            ],
            None,
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Tên thủ tục không được để trống"));
    let xss = app
        .post(
            &base,
            Some(&officer),
            &[
                ("rev", &(rev + 1).to_string()),
                ("name", "<script>alert(1)</script>"),
                ("op", "save"),
            ],
            None,
        )
        .await;
    assert_eq!(xss.status, 303);
    let page = app.get(&base, Some(&officer)).await;
    assert!(
        page.body
            .contains("&#60;script&#62;alert(1)&#60;/script&#62;")
            && !page.body.contains("<script>alert")
    );
}

#[tokio::test]
async fn the_audit_log_page_verifies_the_chain_for_administrators() {
    let app = TestApp::new().await;
    let admin = app.session("admin@thutuc.local").await;
    let created = app
        .post(
            "/quan-tri/nguoi-dung",
            Some(&admin),
            &[
                ("email", "moi@hanoi.gov.vn"),
                ("name", "Cán bộ mới"),
                ("org", "P01"),
                ("role", "officer"),
                ("password", "mat-khau-dai-du"),
            ],
            None,
        )
        .await;
    assert_eq!(created.status, 200);
    assert!(created.body.contains("Đã tạo người dùng"));
    let dup = app
        .post(
            "/quan-tri/nguoi-dung",
            Some(&admin),
            &[
                ("email", "moi@hanoi.gov.vn"),
                ("name", "Lặp"),
                ("org", "P01"),
                ("role", "officer"),
                ("password", "mat-khau-dai-du"),
            ],
            None,
        )
        .await;
    assert_eq!(dup.status, 409);
    let log = app.get("/quan-tri/nhat-ky", Some(&admin)).await;
    assert_eq!(log.status, 200);
    assert!(log.body.contains("Chuỗi băm toàn vẹn") && log.body.contains("user.create"));
    let (ok, report) = thutuc_web::pages::audit::verify_report(
        &thutuc_web::pages::audit::verify(&app.store)
            .await
            .expect("verify"),
    );
    assert!(ok, "{report}");
}
