//! Sign-in, sessions, CSRF and organisation isolation.

use super::*;

#[tokio::test]
async fn workspace_pages_send_anonymous_visitors_to_sign_in() {
    let app = TestApp::new().await;
    for path in [
        "/can-bo",
        "/can-bo/phien",
        "/can-bo/mat-khau",
        "/quan-tri/nguoi-dung",
        "/quan-tri/nhat-ky",
        &format!("/can-bo/thu-tuc/{HANOI}/du-thao/2"),
        "/can-bo/dong/step",
    ] {
        let r = app.get(path, None).await;
        assert_eq!(r.status, 303, "{path}");
        assert!(
            r.location
                .as_deref()
                .is_some_and(|l| l.starts_with("/dang-nhap?next=")),
            "{path}"
        );
    }
}

#[tokio::test]
async fn every_state_changing_route_refuses_a_missing_or_wrong_csrf_token() {
    let app = TestApp::new().await;
    let admin = app.session("admin@thutuc.local").await;
    let (seq, rev) = draft_rev(&app, HANOI).await;
    let rev_s = rev.to_string();
    let routes: Vec<(String, Vec<(&str, &str)>)> = vec![
        ("/dang-xuat".into(), vec![]),
        ("/can-bo/phien/dang-xuat-khac".into(), vec![]),
        (
            "/can-bo/mat-khau".into(),
            vec![
                ("current", PASSWORD),
                ("new", "mat-khau-moi-dai"),
                ("confirm", "mat-khau-moi-dai"),
            ],
        ),
        (format!("/can-bo/thu-tuc/{BIRTH}/du-thao"), vec![]),
        (
            format!("/can-bo/thu-tuc/{HANOI}/du-thao/{seq}"),
            vec![("rev", &rev_s), ("name", "Đổi tên"), ("op", "save")],
        ),
        (
            format!("/can-bo/thu-tuc/{HANOI}/du-thao/{seq}/trang-thai"),
            vec![("rev", &rev_s), ("to", "draft")],
        ),
        (
            format!("/can-bo/thu-tuc/{HANOI}/du-thao/{seq}/phe-duyet"),
            vec![
                ("op", "approve"),
                ("number", "9/QĐ-UBND"),
                ("signed_on", "2026-01-05"),
                ("effective_on", "2026-02-05"),
            ],
        ),
        (
            "/can-bo/ap-dung-quyet-dinh".into(),
            vec![("number", "100/QĐ-BTP"), ("rev", "1")],
        ),
        (
            "/quan-tri/nguoi-dung".into(),
            vec![
                ("email", "x@y.vn"),
                ("name", "X"),
                ("org", "P01"),
                ("role", "officer"),
                ("password", "mat-khau-dai-du"),
            ],
        ),
        (
            "/dang-nhap".into(),
            vec![("email", "admin@thutuc.local"), ("password", PASSWORD)],
        ),
    ];
    for (path, fields) in &routes {
        for token in ["", "0000"] {
            let r = app.post(path, Some(&admin), fields, Some(token)).await;
            assert_eq!(r.status, 403, "{path} with token {token:?}");
            assert!(
                r.body.contains("Biểu mẫu đã hết hạn hoặc không hợp lệ"),
                "{path}"
            );
        }
    }
    // Nothing changed: the draft, the session and the audit log are as they were.
    assert_eq!(draft_rev(&app, HANOI).await, (seq, rev));
    assert!(
        app.store
            .live_session(&thutuc_web::auth::hash_token(&admin.sid))
            .await
            .is_ok()
    );
    assert_eq!(app.store.verify_audit().await.expect("verify").rows, 0);
    // An htmx request may carry the token in its header instead.
    let req = axum::http::Request::post("/can-bo/phien/dang-xuat-khac")
        .header("cookie", format!("thutuc_sid={}", admin.sid))
        .header("x-csrf-token", &admin.csrf)
        .header("hx-request", "true")
        .body(axum::body::Body::empty())
        .expect("req");
    assert_eq!(app.send(req).await.status, 303);
}

#[tokio::test]
async fn signing_in_sets_a_strict_cookie_and_repeated_failures_are_throttled() {
    let app = TestApp::new().await;
    let ok = app.login("canbo@hanoi.gov.vn", PASSWORD).await;
    assert_eq!((ok.status, ok.location.as_deref()), (303, Some("/can-bo")));
    let set = ok
        .cookies
        .iter()
        .find(|c| c.starts_with("thutuc_sid="))
        .expect("session cookie");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/"),
        "{set}"
    );
    let sid = ok.cookie("thutuc_sid").expect("sid");
    let s = Session {
        sid,
        csrf: String::new(),
    };
    assert_eq!(app.get("/can-bo", Some(&s)).await.status, 200);
    let wrong = app.login("lanhdao@hanoi.gov.vn", "sai-mat-khau").await;
    assert_eq!(wrong.status, 401);
    assert!(
        wrong.body.contains("Thư điện tử hoặc mật khẩu không đúng")
            && wrong.body.contains("lanhdao@hanoi.gov.vn")
    );
    for _ in 0..4 {
        app.login("lanhdao@hanoi.gov.vn", "sai-mat-khau").await;
    }
    let blocked = app.login("lanhdao@hanoi.gov.vn", PASSWORD).await;
    assert_eq!(
        blocked.status, 429,
        "the right password is refused while throttled"
    );
    assert!(blocked.body.contains("15 phút"));
    let unknown = app.login("khong-ton-tai@x.vn", PASSWORD).await;
    assert_eq!(unknown.status, 401);
}

#[tokio::test]
async fn an_idle_session_expires_and_asks_to_sign_in_again() {
    let app = TestApp::new().await;
    let s = app.session("canbo@hanoi.gov.vn").await;
    let old = chrono::Utc::now() - chrono::Duration::hours(2);
    // Make the session look idle by ending-then-recreating it with an old last_seen.
    let user = thutuc_store::UserStore::user_by_email(&app.store, "canbo@hanoi.gov.vn")
        .await
        .expect("user");
    let sid = thutuc_web::session::random_token();
    app.store
        .create_session(&thutuc_store::SessionRecord {
            id_hash: thutuc_web::auth::hash_token(&sid),
            user_id: user.id,
            csrf_token: "t".repeat(64),
            created_at: old,
            last_seen: old,
            ip: "1.2.3.4".into(),
            user_agent: "old".into(),
            ended_at: None,
        })
        .await
        .expect("session");
    let r = app
        .get(
            "/can-bo",
            Some(&Session {
                sid: sid.clone(),
                csrf: String::new(),
            }),
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(
        r.location
            .as_deref()
            .is_some_and(|l| l.contains("het-han=1"))
    );
    let form = app.get(r.location.as_deref().unwrap_or("/"), None).await;
    assert!(form.body.contains("Phiên làm việc đã hết hạn"));
    let post = app
        .post(
            "/can-bo/phien/dang-xuat-khac",
            Some(&Session {
                sid,
                csrf: "t".repeat(64),
            }),
            &[],
            None,
        )
        .await;
    assert_eq!(post.status, 401);
    assert!(post.body.contains("Phiên làm việc đã hết hạn"));
    assert_eq!(app.get("/can-bo", Some(&s)).await.status, 200);
}

#[tokio::test]
async fn officers_of_one_province_cannot_reach_another_provinces_drafts() {
    let app = TestApp::new().await;
    let hanoi = app.session("canbo@hanoi.gov.vn").await;
    let (own, own_rev) = draft_rev(&app, HANOI).await;
    let (other, other_rev) = draft_rev(&app, HCM).await;
    assert_eq!(
        app.get(
            &format!("/can-bo/thu-tuc/{HANOI}/du-thao/{own}"),
            Some(&hanoi)
        )
        .await
        .status,
        200
    );
    let page = app
        .get(
            &format!("/can-bo/thu-tuc/{HCM}/du-thao/{other}"),
            Some(&hanoi),
        )
        .await;
    assert_eq!(page.status, 403);
    assert!(page.body.contains("Bạn không có quyền"));
    let r = other_rev.to_string();
    let save = app
        .post(
            &format!("/can-bo/thu-tuc/{HCM}/du-thao/{other}"),
            Some(&hanoi),
            &[("rev", &r), ("name", "Chiếm quyền"), ("op", "save")],
            None,
        )
        .await;
    assert_eq!(save.status, 403);
    let status = app
        .post(
            &format!("/can-bo/thu-tuc/{HCM}/du-thao/{other}/trang-thai"),
            Some(&hanoi),
            &[("rev", &r), ("to", "draft")],
            None,
        )
        .await;
    assert_eq!(status.status, 403);
    assert_eq!(draft_rev(&app, HCM).await, (other, other_rev));
    let dash = app.get("/can-bo", Some(&hanoi)).await;
    assert!(
        dash.body.contains(HANOI) && !dash.body.contains(HCM),
        "the dashboard lists only the officer's subtree"
    );
    let _ = own_rev;
}

#[tokio::test]
async fn sessions_can_be_ended_everywhere_and_passwords_changed() {
    let app = TestApp::new().await;
    let a = app.session("canbo@moj.gov.vn").await;
    let b = app.session("canbo@moj.gov.vn").await;
    let list = app.get("/can-bo/phien", Some(&a)).await;
    assert!(list.body.contains("Phiên hiện tại"));
    let end = app
        .post("/can-bo/phien/dang-xuat-khac", Some(&a), &[], None)
        .await;
    assert_eq!(end.location.as_deref(), Some("/can-bo/phien?da=1"));
    assert_eq!(
        app.get("/can-bo", Some(&b)).await.status,
        303,
        "the other session is gone"
    );
    assert_eq!(app.get("/can-bo", Some(&a)).await.status, 200);
    let wrong = app
        .post(
            "/can-bo/mat-khau",
            Some(&a),
            &[
                ("current", "sai"),
                ("new", "mat-khau-moi-dai"),
                ("confirm", "mat-khau-moi-dai"),
            ],
            None,
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("Mật khẩu hiện tại không đúng"));
    let ok = app
        .post(
            "/can-bo/mat-khau",
            Some(&a),
            &[
                ("current", PASSWORD),
                ("new", "mat-khau-moi-dai"),
                ("confirm", "mat-khau-moi-dai"),
            ],
            None,
        )
        .await;
    assert_eq!(ok.status, 200);
    assert_eq!(
        app.login("canbo@moj.gov.vn", "mat-khau-moi-dai")
            .await
            .status,
        303
    );
    let out = app.post("/dang-xuat", Some(&a), &[], None).await;
    assert_eq!(out.status, 303);
    assert_eq!(app.get("/can-bo", Some(&a)).await.status, 303);
}

#[tokio::test]
async fn an_oversize_form_gets_a_clear_message_and_changes_nothing() {
    let app = TestApp::new().await;
    let s = app.session("canbo@hanoi.gov.vn").await;
    let (seq, rev) = draft_rev(&app, HANOI).await;
    let big = "x".repeat(3 * 1024 * 1024);
    let r = app
        .post(
            &format!("/can-bo/thu-tuc/{HANOI}/du-thao/{seq}"),
            Some(&s),
            &[("rev", &rev.to_string()), ("name", &big), ("op", "save")],
            None,
        )
        .await;
    assert_eq!(r.status, 413);
    assert!(r.body.contains("Dữ liệu gửi lên quá lớn"));
    assert_eq!(draft_rev(&app, HANOI).await, (seq, rev));
}

#[tokio::test]
async fn many_failures_from_one_address_throttle_every_account_from_it() {
    use thutuc_store::LoginThrottle;
    let app = TestApp::new().await;
    let now = chrono::Utc::now();
    for _ in 0..29 {
        app.store
            .record_login_failure("ip:10.0.0.9", now)
            .await
            .expect("record");
    }
    let wrong = app
        .login_from("canbo@moj.gov.vn", "sai", Some("10.0.0.9"))
        .await;
    assert_eq!(wrong.status, 401);
    let blocked = app
        .login_from("lanhdao@moj.gov.vn", PASSWORD, Some("10.0.0.9"))
        .await;
    assert_eq!(
        blocked.status, 429,
        "the 31st attempt from the address is refused"
    );
    let elsewhere = app
        .login_from("lanhdao@moj.gov.vn", PASSWORD, Some("10.0.0.10"))
        .await;
    assert_eq!(elsewhere.status, 303, "other addresses are not affected");
}
