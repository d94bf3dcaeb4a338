//! HTTP tests of feedback (phản ánh, kiến nghị): the lifecycle through the API, the permission
//! matrix, personal data never on public pages, bad input, rate limits, the multipart form and
//! the Open311 facade validated against the official GeoReport v2 schemas.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use thutuc_domain::org::OrgKind;
use tower::ServiceExt;

mod common;
use common::{App, app_with, org};

async fn app() -> App {
    app_with(
        &[
            org("CP", "Văn phòng Chính phủ", OrgKind::Government, None),
            org("BTP", "Bộ Tư pháp", OrgKind::Ministry, Some("CP")),
            org("BYT", "Bộ Y tế", OrgKind::Ministry, Some("CP")),
        ],
        &[
            ("officer@vpcp", "CP", "officer", "tok-cp"),
            ("officer@btp", "BTP", "officer", "tok-btp"),
            ("officer@byt", "BYT", "officer", "tok-byt"),
            ("leader@byt", "BYT", "leader", "tok-byt-lead"),
            ("wg@vpcp", "CP", "oversight", "tok-wg"),
        ],
    )
    .await
}

impl App {
    async fn raw(&self, req: Request<Body>) -> (StatusCode, String) {
        let resp = self.router.clone().oneshot(req).await.expect("response");
        let status = resp.status();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    async fn call(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .expect("request");
        let (status, text) = self.raw(req).await;
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    async fn get_text(&self, uri: &str) -> (StatusCode, String) {
        self.raw(
            Request::get(uri)
                .header(header::ACCEPT, "text/html")
                .body(Body::empty())
                .expect("req"),
        )
        .await
    }

    async fn submit(&self, phone: &str, content: &str) -> String {
        let (s, v) = self
            .call("POST", "/api/v1/feedback", None, Some(body(phone, content)))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        v["tracking_code"].as_str().expect("code").to_string()
    }

    async fn item_id(&self, code: &str) -> i64 {
        let (_, v) = self
            .call("GET", "/api/v1/feedback?limit=500", Some("tok-wg"), None)
            .await;
        let compact: String = code.replace('-', "");
        v["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|r| r["item"]["tracking_code"] == compact.as_str())
            .expect("item")["item"]["id"]
            .as_i64()
            .expect("id")
    }

    async fn act(&self, id: i64, token: &str, action: Value) -> (StatusCode, Value) {
        let (_, cur) = self
            .call(
                "GET",
                &format!("/api/v1/feedback/{id}"),
                Some("tok-wg"),
                None,
            )
            .await;
        let rev = cur["item"]["rev"].as_i64().expect("rev");
        self.call(
            "POST",
            &format!("/api/v1/feedback/{id}/actions"),
            Some(token),
            Some(json!({"rev": rev, "action": action})),
        )
        .await
    }
}

const PHONE: &str = "0912345678";
const EMAIL: &str = "an.nguyen@example.vn";
const NAME: &str = "Nguyễn Văn An";

fn body(phone: &str, content: &str) -> Value {
    json!({"sender_name": NAME, "sender_address": "12 Hàng Bài, Hoàn Kiếm, Hà Nội", "sender_phone": phone,
           "sender_email": EMAIL, "content": content, "content_kind": "unrealistic"})
}

const CONTENT: &str = "Thủ tục cấp phiếu lý lịch tư pháp yêu cầu nộp bản sao sổ hộ khẩu đã bị bãi bỏ. <script>alert('x')</script> Liên hệ tôi qua 0912 345 678 hoặc an.nguyen@example.vn.";

async fn answered_item(app: &App) -> (String, i64) {
    let code = app.submit(PHONE, CONTENT).await;
    let id = app.item_id(&code).await;
    for a in [
        json!({"type": "register"}),
        json!({"type": "classify", "classification": "outside_competence", "content_kind": "unrealistic"}),
    ] {
        let (s, v) = app.act(id, "tok-cp", a).await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    let (s, v) = app
        .act(
            id,
            "tok-cp",
            json!({"type": "transfer", "to_org": "KHONG-CO"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["detail"].as_str().unwrap_or("").contains("to_org"), "{v}");
    let (s, v) = app
        .act(
            id,
            "tok-cp",
            json!({"type": "transfer", "to_org": "BYT", "note": "Thuộc thẩm quyền Bộ Y tế"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let findings: Vec<Value> = [
        "necessity",
        "legality",
        "simplicity",
        "feasibility",
        "consistency",
        "treaty",
    ]
    .iter()
    .map(|c| json!([c, "not_met", ""]))
    .collect();
    for a in [
        json!({"type": "register"}),
        json!({"type": "classify", "classification": "within_competence", "content_kind": "unrealistic"}),
        json!({"type": "evaluate", "evaluation": {"findings": findings}, "outcome": "amend"}),
        json!({"type": "draft_answer", "text": "Bộ đã bãi bỏ yêu cầu bản sao sổ hộ khẩu. Gọi lại cho ông theo số 0912345678.", "is_public": true}),
    ] {
        let (s, v) = app.act(id, "tok-byt", a).await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    let (s, _) = app
        .act(id, "tok-byt", json!({"type": "approve_answer"}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "an officer does not approve");
    let (s, v) = app
        .act(id, "tok-byt-lead", json!({"type": "approve_answer"}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["item"]["status"], "answered");
    assert_eq!(v["item"]["is_public"], true);
    (code, id)
}

#[tokio::test]
async fn a_citizen_follows_an_item_to_a_published_answer_and_no_personal_data_is_public() {
    let app = app().await;
    let (code, id) = answered_item(&app).await;
    let (s, v) = app
        .call("GET", &format!("/api/v1/feedback/track/{code}"), None, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (v["status"].as_str(), v["agency"].as_str()),
        (Some("answered"), Some("Bộ Y tế"))
    );
    assert!(v["answer"].as_str().unwrap_or("").contains("bãi bỏ"));
    let mut public = Vec::new();
    for uri in [
        format!("/phan-anh/tra-cuu?ma={code}"),
        "/phan-anh/da-tra-loi".to_string(),
        "/api/v1/feedback/public".to_string(),
        format!("/api/v1/feedback/track/{code}"),
        "/open311/v2/requests.json".to_string(),
        format!("/open311/v2/requests/{}.json", code.replace('-', "")),
        format!(
            "/api/v1/feedback/similar?text={}",
            "th%E1%BB%A7%20t%E1%BB%A5c%20c%E1%BA%A5p%20phi%E1%BA%BFu%20l%C3%BD%20l%E1%BB%8Bch%20t%C6%B0%20ph%C3%A1p%20y%C3%AAu%20c%E1%BA%A7u%20n%E1%BB%99p%20b%E1%BA%A3n%20sao%20s%E1%BB%95%20h%E1%BB%99%20kh%E1%BA%A9u"
        ),
    ] {
        let (s, text) = app.get_text(&uri).await;
        assert_eq!(s, StatusCode::OK, "{uri}: {text}");
        public.push((uri, text));
    }
    for (uri, text) in &public {
        for secret in [
            PHONE,
            "912 345 678",
            "0912345678",
            EMAIL,
            "example.vn",
            NAME,
            "Hàng Bài",
        ] {
            assert!(!text.contains(secret), "{uri} leaks {secret}");
        }
        if uri.starts_with("/phan-anh") {
            assert!(
                !text.contains("<script>alert"),
                "{uri} renders the script unescaped"
            );
        }
    }
    assert!(public[1].1.contains("N. V. A."), "initials only");
    assert!(
        public[6].1.contains(&code),
        "the duplicate suggestion finds it"
    );
    // The officers' API actions are in the hash-chained audit log with their authors.
    let log = thutuc_store::AuditStore::audit_entries(
        &app.store,
        &thutuc_store::AuditFilter {
            limit: 100,
            ..Default::default()
        },
    )
    .await
    .expect("audit");
    let action = format!("api.post /api/v1/feedback/{id}/actions");
    assert!(
        log.items.iter().any(|e| e.action == action),
        "{:?}",
        log.items.iter().map(|e| &e.action).collect::<Vec<_>>()
    );
    // The officer sees everything, with the history of the transfer.
    let (_, v) = app
        .call(
            "GET",
            &format!("/api/v1/feedback/{id}"),
            Some("tok-byt"),
            None,
        )
        .await;
    assert_eq!(v["item"]["sender_phone"], PHONE);
    let actions: Vec<&str> = v["history"]
        .as_array()
        .expect("h")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(actions.contains(&"transfer"));
    // Rating then reopening by tracking code.
    let (s, v) = app
        .call(
            "POST",
            &format!("/api/v1/feedback/track/{code}/rate"),
            None,
            Some(json!({"rating": "dissatisfied"})),
        )
        .await;
    assert_eq!((s, v["status"].as_str()), (StatusCode::OK, Some("rated")));
    let (s, v) = app
        .call(
            "POST",
            &format!("/api/v1/feedback/track/{code}/reopen"),
            None,
            Some(json!({"reason": ""})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, v) = app
        .call(
            "POST",
            &format!("/api/v1/feedback/track/{code}/reopen"),
            None,
            Some(json!({"reason": "Địa phương vẫn yêu cầu"})),
        )
        .await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("reopened"))
    );
    // Statistics see the agency.
    let (s, v) = app
        .call(
            "GET",
            "/api/v1/feedback/stats?from=2000-01-01&to=2100-01-01",
            Some("tok-wg"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["rows"][0]["key"], "BYT");
}

#[tokio::test]
async fn officers_see_only_their_agency_and_the_working_group_reads_all() {
    let app = app().await;
    let (_, id) = answered_item(&app).await;
    let code2 = app
        .submit(
            "0987654321",
            "Thủ tục đăng ký kinh doanh hộ cá thể yêu cầu xác nhận không cần thiết.",
        )
        .await;
    let id2 = app.item_id(&code2).await;
    let ids = |v: &Value| -> Vec<i64> {
        v["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|r| r["item"]["id"].as_i64())
            .collect()
    };
    let (_, btp) = app
        .call("GET", "/api/v1/feedback", Some("tok-btp"), None)
        .await;
    assert!(ids(&btp).is_empty(), "BTP has no item: {btp}");
    let (_, byt) = app
        .call("GET", "/api/v1/feedback", Some("tok-byt"), None)
        .await;
    assert_eq!(ids(&byt), vec![id]);
    let (_, wg) = app
        .call("GET", "/api/v1/feedback", Some("tok-wg"), None)
        .await;
    assert_eq!(ids(&wg).len(), 2);
    assert_eq!(
        app.call(
            "GET",
            &format!("/api/v1/feedback/{id}"),
            Some("tok-btp"),
            None
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call(
            "GET",
            &format!("/api/v1/feedback/{id2}"),
            Some("tok-byt"),
            None
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call(
            "GET",
            &format!("/api/v1/feedback/{id}"),
            Some("tok-wg"),
            None
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(
        app.act(id2, "tok-wg", json!({"type": "register"})).await.0,
        StatusCode::FORBIDDEN,
        "oversight reads only"
    );
    assert_eq!(
        app.act(id2, "tok-btp", json!({"type": "register"})).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call("GET", "/api/v1/feedback", None, None).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.call("GET", "/api/v1/feedback/escalated", Some("tok-byt"), None)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call("GET", "/api/v1/feedback/escalated", Some("tok-wg"), None)
            .await
            .0,
        StatusCode::OK
    );
    let (s, v) = app
        .call(
            "POST",
            &format!("/api/v1/feedback/{id2}/actions"),
            Some("tok-cp"),
            Some(json!({"rev": 99, "action": {"type": "register"}})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
}

fn multipart(fields: &[(&str, &str)], file: Option<(&str, Vec<u8>)>) -> (String, Vec<u8>) {
    let boundary = "----thutucTestBoundary";
    let mut out = Vec::new();
    for (k, v) in fields {
        out.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        out.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes());
        out.extend_from_slice(&bytes);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), out)
}

const FORM: &[(&str, &str)] = &[
    ("sender_name", NAME),
    ("sender_address", "12 Hàng Bài, Hoàn Kiếm, Hà Nội"),
    ("sender_phone", "0903123456"),
    (
        "content",
        "Hồ sơ cấp giấy phép lao động phải nộp bản giấy dù đã nộp trực tuyến.",
    ),
    ("website", ""),
];

async fn post_form(
    app: &App,
    fields: &[(&str, &str)],
    file: Option<(&str, Vec<u8>)>,
) -> (StatusCode, String) {
    let (ct, bytes) = multipart(fields, file);
    app.raw(
        Request::post("/phan-anh")
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(bytes))
            .expect("req"),
    )
    .await
}

#[tokio::test]
async fn bad_input_gets_a_clear_message_and_nothing_is_stored() {
    let app = app().await;
    let (s, v) = app
        .call(
            "POST",
            "/api/v1/feedback",
            None,
            Some(json!({"content": "Nội dung đủ dài để hợp lệ."})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = v["current"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        ["sender_name", "sender_address", "sender_phone"],
        "{v}"
    );
    let (s, v) = app
        .call("GET", "/api/v1/feedback/track/PA-1234-5678-0", None, None)
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(
        v["detail"].as_str().unwrap_or("").contains("mã tra cứu"),
        "{v}"
    );
    let (s, text) = app.get_text("/phan-anh/tra-cuu?ma=khong-phai-ma").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("mã tra cứu"));
    let mut spam = body("0911111111", "Nội dung quảng cáo không liên quan gì cả.");
    spam["website"] = json!("http://spam.example");
    assert_eq!(
        app.call("POST", "/api/v1/feedback", None, Some(spam))
            .await
            .0,
        StatusCode::BAD_REQUEST
    );

    let (s, text) = post_form(
        &app,
        FORM,
        Some((
            "hoso.pdf",
            b"MZ\x90\x00\x03 This program cannot be run in DOS mode".to_vec(),
        )),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("không phải PDF"), "{text}");
    let big = [b"%PDF-1.7\n".as_slice(), &vec![b'0'; 50 * 1024 * 1024]].concat();
    let (s, text) = post_form(&app, FORM, Some(("lon.pdf", big))).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(text.contains("vượt quá"), "{text}");
    let (_, v) = app
        .call("GET", "/api/v1/feedback", Some("tok-wg"), None)
        .await;
    assert_eq!(v["total"], 0, "nothing stored half-way");

    let (s, text) = post_form(
        &app,
        FORM,
        Some(("to-khai.pdf", b"%PDF-1.7\n%%EOF".to_vec())),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{text}");
    assert!(text.contains("tracking-code"));
    let (_, v) = app
        .call("GET", "/api/v1/feedback", Some("tok-wg"), None)
        .await;
    let id = v["items"][0]["item"]["id"].as_i64().expect("id");
    let (_, v) = app
        .call(
            "GET",
            &format!("/api/v1/feedback/{id}"),
            Some("tok-cp"),
            None,
        )
        .await;
    assert_eq!(v["attachments"][0]["kind"], "pdf");
}

#[tokio::test]
async fn rate_limits_per_contact() {
    let app = app().await;
    for n in 0..10 {
        app.submit(
            "0977000111",
            &format!("Phản ánh thử nghiệm số {n} về thủ tục hành chính."),
        )
        .await;
    }
    let (s, v) = app
        .call(
            "POST",
            "/api/v1/feedback",
            None,
            Some(body("0977000111", "Phản ánh thứ mười một về thủ tục.")),
        )
        .await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{v}");
}

fn validate(schema_file: &str, array: bool, instance: &Value) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/open311");
    let script = r#"
import json, sys
try:
    import jsonschema
except ImportError:
    print("SKIP"); sys.exit(0)
schema = json.load(open(sys.argv[1]))
if sys.argv[2] == "1":
    schema = {"type": "array", "items": schema, "minItems": 1}
jsonschema.validate(json.load(sys.stdin), schema, format_checker=jsonschema.FormatChecker())
print("OK")
"#;
    let mut child = std::process::Command::new("python3")
        .args([
            "-c",
            script,
            &format!("{dir}/{schema_file}"),
            if array { "1" } else { "0" },
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(instance.to_string().as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{schema_file}: {}\n{instance}",
        String::from_utf8_lossy(&out.stderr)
    );
    if stdout.contains("SKIP") {
        eprintln!("python3 jsonschema missing: schema validation skipped");
    }
}

#[tokio::test]
async fn the_open311_facade_validates_against_the_georeport_v2_schemas() {
    let app = app().await;
    let (s, services) = app
        .call("GET", "/open311/v2/services.json", None, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(services.as_array().map(Vec::len), Some(8));
    validate("service.json", true, &services);
    let form = "service_code=illegal&first_name=An&last_name=Nguy%E1%BB%85n&phone=0904555666&address_string=H%C3%A0+N%E1%BB%99i&description=Quy+%C4%91%E1%BB%8Bnh+v%E1%BB%81+h%E1%BB%93+s%C6%A1+tr%C3%A1i+lu%E1%BA%ADt";
    let (s, text) = app
        .raw(
            Request::post("/open311/v2/requests.json")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form))
                .expect("req"),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{text}");
    let created: Value = serde_json::from_str(&text).expect("json");
    let id = created[0]["service_request_id"]
        .as_str()
        .expect("id")
        .to_string();
    let (s, one) = app
        .call(
            "GET",
            &format!("/open311/v2/requests/{id}.json"),
            None,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{one}");
    validate("request.json", true, &one);
    assert_eq!(one[0]["status"], "open");
    let (_, list) = app
        .call(
            "GET",
            &format!("/open311/v2/requests.json?service_request_id={id}"),
            None,
            None,
        )
        .await;
    validate("request.json", true, &list);
    let (s, _) = app
        .raw(
            Request::post("/open311/v2/requests.json")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("service_code=nope&description=x"))
                .expect("req"),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = app
        .call(
            "GET",
            "/open311/v2/requests/PA-0000-0000-1.json",
            None,
            None,
        )
        .await;
    assert!(s.is_client_error());
}

/// The application with `[feedback]` deadlines as the server passes them from `thutuc.toml`.
async fn with_deadlines(mut app: App, cfg: thutuc_domain::feedback::DeadlineConfig) -> App {
    let state = thutuc_web::AppState::new(
        app.store.clone(),
        thutuc_domain::params::PublicationRules::default(),
        thutuc_domain::calendar::Calendar::default_vn().expect("calendar"),
    )
    .await
    .expect("state");
    app.router = thutuc_web::router_full(
        state,
        thutuc_web::session::PagesConfig::from_env(),
        thutuc_web::api::feedback::service::FeedbackRuntime::from_env().with_deadlines(cfg),
    );
    app
}

#[tokio::test]
async fn a_reopen_after_the_configured_window_is_refused_and_changes_nothing() {
    use thutuc_domain::feedback::{DeadlineConfig, DeadlinePolicy};
    let mut cfg = DeadlineConfig::default();
    // Bộ Y tế lets senders reopen only on the day of the answer (0 days): any later instant
    // is after the window.
    cfg.agencies.insert(
        "BYT".into(),
        DeadlinePolicy {
            reopen_window_days: 0,
            ..DeadlinePolicy::default()
        },
    );
    let app = with_deadlines(app().await, cfg).await;
    let (code, id) = answered_item(&app).await;
    let snapshot = |v: &Value| {
        (
            v["item"]["rev"].clone(),
            v["item"]["status"].clone(),
            v["item"]["reopen_count"].clone(),
            v["item"]["answered_on"].clone(),
            v["item"]["is_public"].clone(),
            v["history"].as_array().map(Vec::len),
        )
    };
    let (_, before) = app
        .call(
            "GET",
            &format!("/api/v1/feedback/{id}"),
            Some("tok-wg"),
            None,
        )
        .await;
    // The JSON API.
    let (s, v) = app
        .call(
            "POST",
            &format!("/api/v1/feedback/track/{code}/reopen"),
            None,
            Some(json!({"reason": "Câu trả lời chưa giải quyết vướng mắc"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let detail = v["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("đã quá thời hạn mở lại") && detail.contains("reopen window"),
        "{v}"
    );
    // The public tracking page.
    let form =
        format!("ma={code}&reason=C%C3%A2u+tr%E1%BA%A3+l%E1%BB%9Di+ch%C6%B0a+%C4%91%E1%BB%A7");
    let (s, html) = app
        .raw(
            Request::post("/phan-anh/tra-cuu")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form))
                .expect("req"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("đã quá thời hạn mở lại"), "{html}");
    let (_, after) = app
        .call(
            "GET",
            &format!("/api/v1/feedback/{id}"),
            Some("tok-wg"),
            None,
        )
        .await;
    assert_eq!(snapshot(&before), snapshot(&after), "the item is unchanged");
    assert_eq!(after["item"]["status"], "answered");
    // The same item under the default 30-day window may be reopened.
    let app = with_deadlines(app, DeadlineConfig::default()).await;
    let (s, v) = app
        .call(
            "POST",
            &format!("/api/v1/feedback/track/{code}/reopen"),
            None,
            Some(json!({"reason": "Câu trả lời chưa giải quyết vướng mắc"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "reopened");
}

fn b64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(char::from(A[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

async fn stored(app: &App) -> i64 {
    let (_, v) = app
        .call("GET", "/api/v1/feedback?limit=500", Some("tok-wg"), None)
        .await;
    v["total"].as_i64().expect("total")
}

#[tokio::test]
async fn the_json_api_takes_attachments_with_the_forms_limits_and_sniffing() {
    let app = app().await;
    let with = |files: Value| {
        let mut b = body(
            "0905111222",
            "Thủ tục đăng ký kết hôn yêu cầu giấy xác nhận tình trạng hôn nhân dù đã có cơ sở dữ liệu dân cư.",
        );
        b["attachments"] = files;
        b
    };
    // A real PDF and a PNG: stored with the item, types sniffed from the bytes.
    let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".to_vec();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let (s, v) = app
        .call(
            "POST",
            "/api/v1/feedback",
            None,
            Some(with(json!([
                {"filename": "giay-xac-nhan.pdf", "content_base64": b64(&pdf)},
                {"filename": "anh.png", "content_base64": b64(&png)}
            ]))),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let code = v["tracking_code"].as_str().expect("code").to_string();
    let id = app.item_id(&code).await;
    let (_, item) = app
        .call(
            "GET",
            &format!("/api/v1/feedback/{id}"),
            Some("tok-wg"),
            None,
        )
        .await;
    let kinds: Vec<&str> = item["attachments"]
        .as_array()
        .expect("attachments")
        .iter()
        .filter_map(|a| a["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["pdf", "png"], "{item}");
    assert_eq!(stored(&app).await, 1);

    // An executable named .pdf: refused, naming the attachment; nothing stored.
    let exe = b"MZ\x90\x00\x03 This program cannot be run in DOS mode".to_vec();
    let (s, v) = app
        .call(
            "POST",
            "/api/v1/feedback",
            None,
            Some(with(json!([
                {"filename": "giay-xac-nhan.pdf", "content_base64": b64(&pdf)},
                {"filename": "ho-so.pdf", "content_base64": b64(&exe)}
            ]))),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(
        v["detail"].as_str().unwrap_or("").contains("attachment 2"),
        "{v}"
    );
    // Broken base64: refused with the attachment named.
    let (s, v) = app
        .call(
            "POST",
            "/api/v1/feedback",
            None,
            Some(with(
                json!([{"filename": "a.pdf", "content_base64": "JVBERi0*#"}]),
            )),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["detail"].as_str().unwrap_or("").contains("base64"), "{v}");
    // A 50 MB file: 413 with a clear message, nothing stored.
    let big = [b"%PDF-1.7\n".as_slice(), &vec![b'0'; 50 * 1024 * 1024]].concat();
    let (s, v) = app
        .call(
            "POST",
            "/api/v1/feedback",
            None,
            Some(with(
                json!([{"filename": "lon.pdf", "content_base64": b64(&big)}]),
            )),
        )
        .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
    let detail = v["detail"].as_str().unwrap_or("");
    assert!(
        detail.contains("mỗi tệp đính kèm tối đa 10 MB") && detail.contains("nothing was stored"),
        "{v}"
    );
    // An 11 MB file fits the body but not the per-file limit: 422, nothing stored.
    let eleven = [b"%PDF-1.7\n".as_slice(), &vec![b'0'; 11 * 1024 * 1024]].concat();
    let (s, v) = app
        .call(
            "POST",
            "/api/v1/feedback",
            None,
            Some(with(
                json!([{"filename": "vua.pdf", "content_base64": b64(&eleven)}]),
            )),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(stored(&app).await, 1, "nothing stored half-way");
}
