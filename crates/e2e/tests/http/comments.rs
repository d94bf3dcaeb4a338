//! Review comments on drafts: who may comment, what is refused, escaping, the author's
//! notification and the audit entry.

use super::*;
use thutuc_store::OutboxStore;

#[tokio::test]
async fn a_leader_comments_on_a_draft_and_its_author_is_told() {
    let app = TestApp::new().await;
    let (seq, _) = draft_rev(&app, HANOI).await;
    let path = format!("/can-bo/thu-tuc/{HANOI}/du-thao/{seq}");
    let leader = app.session("lanhdao@hanoi.gov.vn").await;
    let sent = app
        .post(
            &format!("{path}/y-kien"),
            Some(&leader),
            &[(
                "body",
                "Đề nghị rút thời hạn <script>alert(1)</script> còn 3 ngày.",
            )],
            None,
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let officer = app.session("canbo@hanoi.gov.vn").await;
    let page = app.get(&path, Some(&officer)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Ý kiến góp ý (1)"));
    assert!(page.body.contains("lanhdao@hanoi.gov.vn"));
    let at = page
        .body
        .find("Đề nghị rút thời hạn")
        .expect("comment shown");
    let shown: String = page.body[at..].chars().take(80).collect();
    assert!(
        shown.contains("&#60;script&#62;alert(1)"),
        "escaped: {shown}"
    );
    assert!(!page.body.contains("<script>alert(1)"));
    let u = thutuc_store::UserStore::user_by_email(&app.store, "canbo@hanoi.gov.vn")
        .await
        .expect("user");
    let n = app
        .store
        .notifications_for(u.id, &[], true, 10)
        .await
        .expect("notifications");
    assert_eq!(n.len(), 1, "the draft's author is told");
    assert!(n[0].link.ends_with("#y-kien"));
    let home = app.get("/can-bo", Some(&officer)).await;
    assert!(
        home.body.contains("1 mới"),
        "unread count on the workspace home"
    );
    let list = app
        .get("/can-bo/thong-bao?chua_doc=1", Some(&officer))
        .await;
    assert!(list.body.contains("Ý kiến mới về dự thảo"));
    let open = app
        .post(
            &format!("/can-bo/thong-bao/{}", n[0].id),
            Some(&officer),
            &[],
            None,
        )
        .await;
    assert_eq!(open.status, 303);
    assert!(
        open.location
            .as_deref()
            .is_some_and(|l| l.ends_with("#y-kien"))
    );
    assert!(
        app.store
            .notifications_for(u.id, &[], true, 10)
            .await
            .expect("after")
            .is_empty(),
        "read now"
    );
    let foreign = app.session("canbo@hcm.gov.vn").await;
    let theirs = app
        .post(
            &format!("/can-bo/thong-bao/{}", n[0].id),
            Some(&foreign),
            &[],
            None,
        )
        .await;
    assert_eq!(theirs.status, 404, "someone else's notification");
    let log = app
        .store
        .audit_entries(&thutuc_store::AuditFilter {
            limit: 50,
            ..Default::default()
        })
        .await
        .expect("audit");
    assert!(
        log.items
            .iter()
            .any(|e| e.action == "draft.comment" && e.actor == "lanhdao@hanoi.gov.vn")
    );
}

#[tokio::test]
async fn another_province_cannot_comment_and_an_empty_comment_is_refused() {
    let app = TestApp::new().await;
    let (seq, _) = draft_rev(&app, HANOI).await;
    let path = format!("/can-bo/thu-tuc/{HANOI}/du-thao/{seq}/y-kien");
    let other = app.session("canbo@hcm.gov.vn").await;
    let refused = app
        .post(&path, Some(&other), &[("body", "Ý kiến")], None)
        .await;
    assert_eq!(refused.status, 403);
    let leader = app.session("lanhdao@hanoi.gov.vn").await;
    let empty = app
        .post(&path, Some(&leader), &[("body", "   ")], None)
        .await;
    assert_eq!(empty.status, 422, "{}", empty.body);
    assert!(empty.body.contains("ý kiến trống"));
    let wg = app.session("tocongtac@vpcp.gov.vn").await;
    let ok = app
        .post(
            &path,
            Some(&wg),
            &[("body", "Tổ công tác đề nghị bổ sung căn cứ pháp lý.")],
            None,
        )
        .await;
    assert_eq!(
        ok.status, 303,
        "the Working Group reads every draft and may comment"
    );
}
