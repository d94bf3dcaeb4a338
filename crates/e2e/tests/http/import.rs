//! Upload with preview in the workspace: real national-portal records (the portal API
//! sample) are previewed, confirmed and audited; nothing is written before the confirmation;
//! a changed catalogue between preview and confirmation shows a new preview instead of
//! writing; another organisation's procedures are refused; bad files and missing tokens get
//! clear answers.

use axum::body::Body;
use axum::http::{Request, header};
use thutuc_web::session::SESSION_COOKIE;

use super::*;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/tthc/portal-api-sample.jsonl"
);
const BOUNDARY: &str = "thutucBoundary7MA4YWxkTrZu0gW";

/// Posts the upload form as a browser does (`multipart/form-data`).
async fn upload(
    app: &TestApp,
    s: &Session,
    csrf: Option<&str>,
    fields: &[(&str, &str)],
    file: (&str, &[u8]),
) -> thutuc_e2e::Page {
    let mut body = Vec::new();
    let mut field = |name: &str, value: &str| {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    };
    field("_csrf", csrf.unwrap_or(&s.csrf));
    for (k, v) in fields {
        field(k, v);
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
            file.0
        )
        .as_bytes(),
    );
    body.extend_from_slice(file.1);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let req = Request::post("/can-bo/nhap-du-lieu")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::COOKIE, format!("{SESSION_COOKIE}={}", s.sid))
        .body(Body::from(body))
        .expect("request");
    app.send(req).await
}

fn token(page: &str) -> String {
    let at = page
        .find("name=\"token\" value=\"")
        .unwrap_or_else(|| panic!("no confirmation token in {page}"));
    let rest = &page[at + "name=\"token\" value=\"".len()..];
    rest[..rest.find('"').expect("end")].to_string()
}

fn sample() -> Vec<u8> {
    std::fs::read(SAMPLE).expect("portal API sample")
}

fn sample_codes() -> Vec<String> {
    std::fs::read_to_string(SAMPLE)
        .expect("sample")
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).expect("json")["code"]
                .as_str()
                .expect("code")
                .to_string()
        })
        .collect()
}

const OPTS: [(&str, &str); 3] = [
    ("format", "portal-json"),
    ("org", "BTP"),
    ("valid_from", "2026-01-15"),
];

#[tokio::test]
async fn an_officer_previews_then_confirms_real_portal_records() {
    let app = TestApp::new().await;
    let officer = app.session("canbo@moj.gov.vn").await;
    let form = app.get("/can-bo/nhap-du-lieu", Some(&officer)).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    let home = app.get("/can-bo", Some(&officer)).await;
    assert!(home.body.contains("/can-bo/nhap-du-lieu"));

    let codes = sample_codes();
    assert_eq!(codes.len(), 5);
    let preview = upload(&app, &officer, None, &OPTS, ("mau.jsonl", &sample())).await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(
        preview.body.contains("Sẽ tạo mới</dt><dd>5</dd>"),
        "{}",
        preview.body
    );
    for c in &codes {
        assert!(
            preview.body.contains(c.as_str()),
            "{c} missing from the preview"
        );
        // Nothing is written by the preview.
        assert!(
            app.store.get_procedure(&code(c)).await.is_err(),
            "{c} written before the confirmation"
        );
    }
    let t = token(&preview.body);
    let done = app
        .post(
            "/can-bo/nhap-du-lieu/xac-nhan",
            Some(&officer),
            &[("token", &t)],
            None,
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(
        done.body.contains("Đã tạo mới</dt><dd>5</dd>"),
        "{}",
        done.body
    );
    for c in &codes {
        let p = app.store.get_procedure(&code(c)).await.expect("imported");
        assert_eq!(p.owner_org, "BTP");
        // The public page shows it at once.
        assert_eq!(app.get(&format!("/thu-tuc/{c}"), None).await.status, 200);
    }
    let audit = app
        .store
        .audit_entries(&thutuc_store::AuditFilter {
            actor: Some("canbo@moj.gov.vn".into()),
            entity_type: Some("import".into()),
            entity_prefix: None,
            limit: 10,
            offset: 0,
        })
        .await
        .expect("audit");
    assert_eq!(audit.items.len(), 1);
    assert_eq!(audit.items[0].action, "import.apply");
    let after: serde_json::Value =
        serde_json::from_str(audit.items[0].after.as_deref().expect("after")).expect("json");
    // Stored with the batch that created them: the codes written, and the request.
    let mut created: Vec<String> = serde_json::from_value(after["created"].clone()).expect("codes");
    created.sort();
    let mut want: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
    want.sort();
    assert_eq!(created, want);
    assert_eq!(after["request"]["file"], "mau.jsonl");
    assert_eq!(after["unchanged"], 0);

    // The token is used up.
    let again = app
        .post(
            "/can-bo/nhap-du-lieu/xac-nhan",
            Some(&officer),
            &[("token", &t)],
            None,
        )
        .await;
    assert_eq!(again.status, 404);
    assert!(again.body.contains("hết hạn hoặc đã được dùng"));

    // The same file again: nothing new, nothing to confirm.
    let same = upload(&app, &officer, None, &OPTS, ("mau.jsonl", &sample())).await;
    assert_eq!(same.status, 200);
    assert!(same.body.contains("Không có gì mới để ghi"));
    assert!(same.body.contains("Không thay đổi</dt><dd>5</dd>"));
    assert!(!same.body.contains("name=\"token\""));
}

#[tokio::test]
async fn a_catalogue_change_after_the_preview_is_shown_before_anything_is_written() {
    let app = TestApp::new().await;
    let officer = app.session("canbo@moj.gov.vn").await;
    let leader = app.session("lanhdao@moj.gov.vn").await;
    let p = upload(&app, &officer, None, &OPTS, ("mau.jsonl", &sample())).await;
    let t = token(&p.body);
    let ok = app
        .post(
            "/can-bo/nhap-du-lieu/xac-nhan",
            Some(&officer),
            &[("token", &t)],
            None,
        )
        .await;
    assert_eq!(ok.status, 200);
    let first = sample_codes()[0].clone();
    // The officer renames the first procedure in their file and previews.
    let text = String::from_utf8(sample()).expect("utf-8");
    let mut lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    let renamed = |lines: &mut Vec<serde_json::Value>, name: &str| {
        lines[0]["name"] = serde_json::Value::String(name.into());
        lines
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes()
    };
    let mine = renamed(&mut lines, "Tên mới do cán bộ đề xuất");
    let preview = upload(&app, &officer, None, &OPTS, ("sua.jsonl", &mine)).await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(
        preview
            .body
            .contains("Sẽ sửa đổi (phiên bản mới)</dt><dd>1</dd>")
    );
    assert!(
        preview.body.contains("Tên thủ tục"),
        "changed component named"
    );
    let mine_token = token(&preview.body);
    // Meanwhile the leader imports another change to the same procedure.
    let theirs = renamed(&mut lines, "Tên do lãnh đạo công bố");
    let lp = upload(&app, &leader, None, &OPTS, ("lanh-dao.jsonl", &theirs)).await;
    let lt = token(&lp.body);
    let applied = app
        .post(
            "/can-bo/nhap-du-lieu/xac-nhan",
            Some(&leader),
            &[("token", &lt)],
            None,
        )
        .await;
    assert_eq!(applied.status, 200, "{}", applied.body);
    let seq_before = app
        .store
        .current_version(&code(&first))
        .await
        .expect("current")
        .seq;
    // The officer's confirmation does not overwrite it unseen.
    let confirm = app
        .post(
            "/can-bo/nhap-du-lieu/xac-nhan",
            Some(&officer),
            &[("token", &mine_token)],
            None,
        )
        .await;
    assert_eq!(confirm.status, 409, "{}", confirm.body);
    assert!(
        confirm
            .body
            .contains("Danh mục đã thay đổi kể từ lần xem trước")
    );
    let now = app
        .store
        .current_version(&code(&first))
        .await
        .expect("current");
    assert_eq!(now.seq, seq_before);
    assert_eq!(now.content.name, "Tên do lãnh đạo công bố");
    // Confirming the new preview applies it.
    let t2 = token(&confirm.body);
    let ok = app
        .post(
            "/can-bo/nhap-du-lieu/xac-nhan",
            Some(&officer),
            &[("token", &t2)],
            None,
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let now = app
        .store
        .current_version(&code(&first))
        .await
        .expect("current");
    assert_eq!(now.content.name, "Tên mới do cán bộ đề xuất");
}

#[tokio::test]
async fn another_organisations_procedures_and_bad_uploads_are_refused_clearly() {
    let app = TestApp::new().await;
    let moj = app.session("canbo@moj.gov.vn").await;
    let p = upload(&app, &moj, None, &OPTS, ("mau.jsonl", &sample())).await;
    let t = token(&p.body);
    app.post(
        "/can-bo/nhap-du-lieu/xac-nhan",
        Some(&moj),
        &[("token", &t)],
        None,
    )
    .await;

    // Hà Nội may not overwrite the Ministry's procedures by importing them as its own.
    let hanoi = app.session("canbo@hanoi.gov.vn").await;
    let hn = upload(
        &app,
        &hanoi,
        None,
        &[("format", "portal-json"), ("org", "P01")],
        ("mau.jsonl", &sample()),
    )
    .await;
    assert_eq!(hn.status, 200, "{}", hn.body);
    assert!(hn.body.contains("Bị từ chối</dt><dd>5</dd>"), "{}", hn.body);
    assert!(hn.body.contains("ngoài phạm vi của bạn"));
    assert!(hn.body.contains("sẽ không nhập gì"));
    assert!(!hn.body.contains("name=\"token\""));
    // Nor name another organisation as the owner.
    let other = upload(
        &app,
        &hanoi,
        None,
        &[("format", "portal-json"), ("org", "P79")],
        ("mau.jsonl", &sample()),
    )
    .await;
    assert_eq!(other.status, 403, "{}", other.body);

    // A broken line is reported with its line number; nothing is written.
    let mut broken = sample();
    broken.extend_from_slice(b"\n{\"code\": \"1.999999\", \"name\": ");
    let b = upload(&app, &moj, None, &OPTS, ("hong.jsonl", &broken)).await;
    assert_eq!(b.status, 200, "{}", b.body);
    // (The sample ends with a newline, so the appended record is line 7.)
    assert!(
        b.body.contains("<tr><td>7</td>") && b.body.contains("JSON không hợp lệ"),
        "line 7 named: {}",
        b.body
    );
    assert!(b.body.contains("sẽ không nhập gì"));

    // No file, an unknown format: the form again with the reasons.
    let none = upload(&app, &moj, None, &[("format", "docx")], ("", b"")).await;
    assert_eq!(none.status, 422, "{}", none.body);
    assert!(none.body.contains("chưa chọn tệp") && none.body.contains("chọn định dạng"));
    // An unreadable spreadsheet.
    let junk = upload(
        &app,
        &moj,
        None,
        &[("format", "csdl-xlsx"), ("org", "BTP")],
        ("ds.xlsx", b"PK\x03\x04 not really a zip"),
    )
    .await;
    assert_eq!(junk.status, 422, "{}", junk.body);

    // CSRF is checked inside multipart bodies too.
    let forged = upload(&app, &moj, Some("forged"), &OPTS, ("mau.jsonl", &sample())).await;
    assert_eq!(forged.status, 403);
    // The Working Group reads but does not import; anonymous visitors are sent to sign in.
    let wg = app.session("tocongtac@vpcp.gov.vn").await;
    assert_eq!(app.get("/can-bo/nhap-du-lieu", Some(&wg)).await.status, 403);
    assert_eq!(app.get("/can-bo/nhap-du-lieu", None).await.status, 303);
    // Another user cannot use someone else's preview.
    let text = String::from_utf8(sample()).expect("utf-8").replacen(
        "\"name\": \"",
        "\"name\": \"(sửa) ",
        1,
    );
    let p = upload(&app, &moj, None, &OPTS, ("sua.jsonl", text.as_bytes())).await;
    let t = token(&p.body);
    let leader = app.session("lanhdao@moj.gov.vn").await;
    let stolen = app
        .post(
            "/can-bo/nhap-du-lieu/xac-nhan",
            Some(&leader),
            &[("token", &t)],
            None,
        )
        .await;
    assert_eq!(stolen.status, 404);
}
