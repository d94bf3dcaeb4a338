//! The workspace storage contract (sessions, throttling, accounts, audit log) on both backends.

use chrono::{Duration, Utc};
use thutuc_store::*;
use thutuc_store_tests::contract_tests;
use thutuc_store_tests::fixtures::*;

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

fn session(id: &str, user_id: i64) -> SessionRecord {
    let now = audit_time(Utc::now());
    SessionRecord {
        id_hash: id.into(),
        user_id,
        csrf_token: format!("csrf-{id}"),
        created_at: now,
        last_seen: now,
        ip: "127.0.0.1".into(),
        user_agent: "test".into(),
        ended_at: None,
    }
}

async fn sessions_live_until_ended_and_sign_out_everywhere_keeps_the_current<S: Store>(s: S) {
    seed_orgs(&s).await;
    let u = user(&s, "a@btp.gov.vn", "BTP").await;
    for id in ["s1", "s2", "s3"] {
        s.create_session(&session(id, u.id)).await.expect("create");
    }
    let (sess, who) = s.live_session("s1").await.expect("live");
    assert_eq!(
        (sess.csrf_token.as_str(), who.email.as_str()),
        ("csrf-s1", "a@btp.gov.vn")
    );
    let later = Utc::now() + Duration::minutes(5);
    s.touch_session("s1", later).await.expect("touch");
    let (sess, _) = s.live_session("s1").await.expect("live");
    assert!(sess.last_seen > sess.created_at);
    s.end_session("s2", Utc::now()).await.expect("end");
    assert!(matches!(
        s.live_session("s2").await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(s.user_sessions(u.id).await.expect("list").len(), 2);
    assert_eq!(
        s.end_user_sessions(u.id, Some("s1"), Utc::now())
            .await
            .expect("all"),
        1
    );
    let left: Vec<String> = s
        .user_sessions(u.id)
        .await
        .expect("list")
        .into_iter()
        .map(|x| x.id_hash)
        .collect();
    assert_eq!(left, vec!["s1".to_string()]);
}

async fn signing_in_and_out_stores_its_audit_entry_in_the_same_transaction<S: Store>(s: S) {
    seed_orgs(&s).await;
    let u = user(&s, "a@btp.gov.vn", "BTP").await;
    let e = |action: &str| NewAuditEntry {
        actor: "a@btp.gov.vn".into(),
        action: action.into(),
        entity_type: "user".into(),
        entity_id: "a@btp.gov.vn".into(),
        before: None,
        after: None,
    };
    for id in ["s1", "s2", "s3"] {
        let (r, left) =
            audit_scope::audited(e("session.login"), s.create_session(&session(id, u.id))).await;
        r.expect("create");
        assert_eq!(left, None, "the session's transaction took the entry");
    }
    let (r, left) =
        audit_scope::audited(e("session.logout"), s.end_session("s2", Utc::now())).await;
    r.expect("end");
    assert_eq!(left, None);
    let (n, left) = audit_scope::audited(
        e("session.end_others"),
        s.end_user_sessions(u.id, Some("s1"), Utc::now()),
    )
    .await;
    assert_eq!((n.expect("others"), left), (1, None));
    let mut log = whole_log(&s).await;
    log.sort_by_key(|x| x.seq);
    let actions: Vec<&str> = log.iter().map(|x| x.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "session.login",
            "session.login",
            "session.login",
            "session.logout",
            "session.end_others"
        ]
    );
    // The store wrote how many sessions it ended.
    assert_eq!(log[4].after.as_deref(), Some(r#"{"ended":1}"#));
    assert!(s.verify_audit().await.expect("verify").is_intact());
}

async fn login_failures_are_counted_in_a_window_and_cleared<S: Store>(s: S) {
    let now = Utc::now();
    for m in [30, 3, 2, 1] {
        s.record_login_failure("acct:a@b", now - Duration::minutes(m))
            .await
            .expect("record");
    }
    s.record_login_failure("ip:10.0.0.1", now)
        .await
        .expect("record");
    let since = now - Duration::minutes(15);
    assert_eq!(s.login_failures("acct:a@b", since).await.expect("count"), 3);
    assert_eq!(
        s.login_failures("ip:10.0.0.1", since).await.expect("count"),
        1
    );
    s.clear_login_failures("acct:a@b").await.expect("clear");
    assert_eq!(s.login_failures("acct:a@b", since).await.expect("count"), 0);
}

async fn accounts_are_listed_by_organisation_and_passwords_change<S: Store>(s: S) {
    seed_orgs(&s).await;
    let a = user(&s, "b@btp.gov.vn", "BTP").await;
    user(&s, "a@hanoi.gov.vn", "P01").await;
    user(&s, "c@ward.gov.vn", "W00004").await;
    let hn: Vec<String> = s
        .list_users(Some(&["P01".to_string(), "W00004".to_string()]))
        .await
        .expect("list")
        .into_iter()
        .map(|u| u.email)
        .collect();
    assert_eq!(
        hn,
        vec!["a@hanoi.gov.vn".to_string(), "c@ward.gov.vn".to_string()]
    );
    assert_eq!(s.list_users(None).await.expect("all").len(), 3);
    s.set_password_hash(a.id, "$argon2id$new")
        .await
        .expect("set");
    assert_eq!(
        s.user_by_id(a.id).await.expect("get").password_hash,
        "$argon2id$new"
    );
    assert!(matches!(
        s.user_by_id(9999).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn the_author_of_a_draft_is_known<S: Store>(s: S) {
    seed_orgs(&s).await;
    let v = s
        .create_draft(NewDraft {
            code: code("1.000080"),
            kind: Default::default(),
            owner_org: "BTP".into(),
            content: content("Đăng ký khai sinh", 5.0),
            created_by: "canbo@btp.gov.vn".into(),
        })
        .await
        .expect("draft");
    assert_eq!(
        s.version_author(&code("1.000080"), v.seq)
            .await
            .expect("author"),
        "canbo@btp.gov.vn"
    );
    assert!(matches!(
        s.version_author(&code("1.000080"), 9).await,
        Err(StoreError::NotFound(_))
    ));
}

fn audit(actor: &str, id: &str) -> NewAuditEntry {
    NewAuditEntry {
        actor: actor.into(),
        action: "draft.update".into(),
        entity_type: "procedure_version".into(),
        entity_id: id.into(),
        before: Some(serde_json::json!({"rev": 1, "name": "Đăng ký khai sinh"})),
        after: Some(
            serde_json::json!({"rev": 2, "name": "Đăng ký khai sinh có yếu tố nước ngoài"}),
        ),
    }
}

async fn the_audit_log_chains_every_row_and_verifies<S: Store>(s: S) {
    let empty = s.verify_audit().await.expect("verify");
    assert_eq!((empty.rows, empty.is_intact()), (0, true));
    let a = s
        .append_audit(&audit("a@b", "1.000080/2"))
        .await
        .expect("append");
    let b = s
        .append_audit(&audit("c@d", "1.000081/1"))
        .await
        .expect("append");
    assert_eq!((a.seq, b.seq), (1, 2));
    assert_eq!(a.prev_hash, GENESIS_HASH);
    assert_eq!(b.prev_hash, a.hash);
    let v = s.verify_audit().await.expect("verify");
    assert_eq!(
        (v.rows, v.head.clone(), v.is_intact()),
        (2, b.hash.clone(), true)
    );
    let page = s
        .audit_entries(&AuditFilter {
            entity_prefix: Some("1.000080".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .expect("browse");
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0], a);
    let all = s
        .audit_entries(&AuditFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .expect("browse");
    assert_eq!(
        all.items.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![2, 1]
    );
}

async fn concurrent_appends_keep_one_chain<S: Store>(s: S) {
    let mut tasks = Vec::new();
    for i in 0..16 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            s.append_audit(&audit("x@y", &format!("1.0000{i:02}/1")))
                .await
                .expect("append")
        }));
    }
    for t in tasks {
        t.await.expect("join");
    }
    let v = s.verify_audit().await.expect("verify");
    assert_eq!((v.rows, v.is_intact()), (16, true), "{:?}", v.broken);
}

async fn whole_log<S: Store>(s: &S) -> Vec<AuditEntry> {
    let filter = AuditFilter {
        limit: 500,
        ..Default::default()
    };
    s.audit_entries(&filter).await.expect("log").items
}

fn draft_request() -> NewDraft {
    NewDraft {
        code: code("1.000080"),
        kind: Default::default(),
        owner_org: "BTP".into(),
        content: content("Đăng ký khai sinh", 5.0),
        created_by: "canbo@btp.gov.vn".into(),
    }
}

async fn a_write_stores_its_pending_audit_entry_in_its_own_transaction<S: Store>(s: S) {
    seed_orgs(&s).await;
    let e = audit("canbo@btp.gov.vn", "1.000080/1");
    let (v, left) = audit_scope::audited(e.clone(), s.create_draft(draft_request())).await;
    v.expect("draft");
    assert_eq!(left, None, "the draft's transaction took the entry");
    let log = whole_log(&s).await;
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].actor.as_str(), log[0].entity_id.as_str()),
        ("canbo@btp.gov.vn", "1.000080/1")
    );
    assert!(s.verify_audit().await.expect("verify").is_intact());
    // A write that fails takes nothing and records nothing.
    let (failed, left) = audit_scope::audited(
        e.clone(),
        s.update_draft(&code("1.000080"), 9, 1, content("x", 1.0)),
    )
    .await;
    assert!(failed.is_err());
    assert_eq!(left, Some(e.clone()));
    // Creating an account takes part too; issuing an API token does not, and leaves the
    // entry to its caller.
    let (u, left) = audit_scope::audited(
        audit("admin@btp.gov.vn", "x@btp.gov.vn"),
        s.create_user(&NewUser {
            email: "x@btp.gov.vn".into(),
            name: "X".into(),
            org_id: "BTP".into(),
            role: "officer".into(),
            password_hash: "$argon2id$x".into(),
        }),
    )
    .await;
    let u = u.expect("user");
    assert_eq!(left, None);
    let (_, left) = audit_scope::audited(e.clone(), s.add_token(u.id, "h", "ci")).await;
    assert_eq!(left, Some(e));
    let log = whole_log(&s).await;
    assert_eq!(log.len(), 2);
    assert!(s.verify_audit().await.expect("verify").is_intact());
}

async fn each_import_batch_stores_its_own_audit_entry_with_what_it_did<S: Store>(s: S) {
    seed_orgs(&s).await;
    let item = |c: &str, name: &str| ImportItem {
        code: code(c),
        kind: Default::default(),
        owner_org: "BTP".into(),
        decision_no: None,
        content: content(name, 5.0),
        list_only: false,
        valid_from: d("2025-07-01"),
    };
    let request = serde_json::json!({"file": "mau.jsonl"});
    let e = NewAuditEntry {
        actor: "canbo@btp.gov.vn".into(),
        action: "import.apply".into(),
        entity_type: "import".into(),
        entity_id: "mau.jsonl".into(),
        before: None,
        after: Some(request.clone()),
    };
    // Two batches of one import: one entry each, none handed back to the caller.
    let (out, left) = audit_scope::audited(e.clone(), async {
        s.import_batch(&[item("1.000080", "Đăng ký khai sinh")])
            .await?;
        s.import_batch(&[
            item("1.000080", "Đăng ký khai sinh (sửa đổi)"),
            item("1.000081", "Đăng ký kết hôn"),
        ])
        .await
    })
    .await;
    assert_eq!(out.expect("import").len(), 2);
    assert_eq!(left, None, "the batches recorded the entry");
    let mut log = whole_log(&s).await;
    log.sort_by_key(|e| e.seq);
    assert_eq!(log.len(), 2);
    let after = |i: usize| -> serde_json::Value {
        serde_json::from_str(log[i].after.as_deref().expect("after")).expect("json")
    };
    let (first, second) = (after(0), after(1));
    assert_eq!(first["request"], request);
    assert_eq!(first["created"], serde_json::json!(["1.000080"]));
    assert_eq!(second["created"], serde_json::json!(["1.000081"]));
    assert_eq!(
        second["updated"],
        serde_json::json!([{"code": "1.000080", "seq": 2}])
    );
    assert!(s.verify_audit().await.expect("verify").is_intact());
    // A batch that fails writes neither its change nor an entry, and the caller gets the entry
    // back (to record nothing: the import failed).
    // (A procedure with a draft and no published version is never overwritten by an import.)
    s.create_draft(NewDraft {
        code: code("1.000090"),
        ..draft_request()
    })
    .await
    .expect("draft");
    let (failed, left) = audit_scope::audited(
        e.clone(),
        s.import_batch(&[item("1.000082", "Mới"), item("1.000090", "Chưa công bố")]),
    )
    .await;
    assert!(failed.is_err());
    assert_eq!(left, Some(e));
    assert_eq!(whole_log(&s).await.len(), 2);
    assert!(s.get_procedure(&code("1.000082")).await.is_err());
    // Outside an audited call (the generator, the CLI) a batch records nothing.
    s.import_batch(&[item("1.000083", "Khác")])
        .await
        .expect("plain");
    assert_eq!(whole_log(&s).await.len(), 2);
}

contract_tests!(
    signing_in_and_out_stores_its_audit_entry_in_the_same_transaction,
    each_import_batch_stores_its_own_audit_entry_with_what_it_did,
    a_write_stores_its_pending_audit_entry_in_its_own_transaction,
    sessions_live_until_ended_and_sign_out_everywhere_keeps_the_current,
    login_failures_are_counted_in_a_window_and_cleared,
    accounts_are_listed_by_organisation_and_passwords_change,
    the_author_of_a_draft_is_known,
    the_audit_log_chains_every_row_and_verifies,
    concurrent_appends_keep_one_chain,
);

#[tokio::test]
async fn the_database_refuses_edits_of_audit_rows_and_verification_finds_tampering() {
    let (s, _dir) = thutuc_store_tests::sqlite().await;
    s.append_audit(&audit("a@b", "1.000080/2"))
        .await
        .expect("append");
    s.append_audit(&audit("c@d", "1.000080/3"))
        .await
        .expect("append");
    let refused = sqlx::query("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1")
        .execute(s.pool())
        .await;
    assert!(refused.is_err(), "the trigger must refuse updates");
    let refused = sqlx::query("DELETE FROM audit_log WHERE seq = 2")
        .execute(s.pool())
        .await;
    assert!(refused.is_err(), "the trigger must refuse deletes");
    // Someone with full database access drops the trigger and edits a row: the chain shows it.
    sqlx::query("DROP TRIGGER audit_log_no_update")
        .execute(s.pool())
        .await
        .expect("drop trigger");
    sqlx::query("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1")
        .execute(s.pool())
        .await
        .expect("tamper");
    let v = s.verify_audit().await.expect("verify");
    assert_eq!(v.broken.map(|b| b.0), Some(1));
}

#[tokio::test]
async fn removing_the_last_audit_rows_is_detected() {
    let (s, _dir) = thutuc_store_tests::sqlite().await;
    for i in 0..3 {
        s.append_audit(&audit("a@b", &format!("1.00008{i}/1")))
            .await
            .expect("append");
    }
    sqlx::query("DROP TRIGGER audit_log_no_delete")
        .execute(s.pool())
        .await
        .expect("drop trigger");
    sqlx::query("DELETE FROM audit_log WHERE seq = 3")
        .execute(s.pool())
        .await
        .expect("tamper");
    let v = s.verify_audit().await.expect("verify");
    assert_eq!(v.broken.map(|b| b.0), Some(3));
}

/// After the chain's head row is removed (so that appending fails): a draft with a pending
/// entry fails and leaves nothing behind.
async fn a_draft_fails_with_its_audit_entry<S: Store>(s: &S) {
    let e = audit("canbo@btp.gov.vn", "1.000080/1");
    let (r, left) = audit_scope::audited(e, s.create_draft(draft_request())).await;
    assert!(r.is_err(), "the draft must fail with its audit entry");
    assert!(left.is_some(), "the entry is given back to the caller");
    assert!(matches!(
        s.get_procedure(&code("1.000080")).await,
        Err(StoreError::NotFound(_))
    ));
}

/// When the audit entry cannot be written, the change it records is not made either, on
/// both backends.
#[tokio::test]
async fn a_change_whose_audit_entry_fails_is_rolled_back() {
    const BREAK: &str = "DELETE FROM audit_head";
    let (s, _dir) = thutuc_store_tests::sqlite().await;
    seed_orgs(&s).await;
    sqlx::query(BREAK).execute(s.pool()).await.expect("break");
    a_draft_fails_with_its_audit_entry(&s).await;
    if let Some((pg, guard)) = thutuc_store_tests::postgres().await {
        seed_orgs(&pg).await;
        sqlx::query(BREAK).execute(pg.pool()).await.expect("break");
        a_draft_fails_with_its_audit_entry(&pg).await;
        guard.drop_db(pg).await;
    }
}
