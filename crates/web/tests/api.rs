//! HTTP-level tests of `/api/v1`: status codes, problem+json, ETags, authorisation and
//! optimistic concurrency, through the real router on a SQLite database.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use thutuc_domain::org::OrgKind;
use thutuc_store::AuditStore as _;
use tower::ServiceExt;

mod common;
use common::{App, app_with, org};

async fn app() -> App {
    app_with(
        &[
            org("CP", "Chính phủ", OrgKind::Government, None),
            org("BTP", "Bộ Tư pháp", OrgKind::Ministry, Some("CP")),
            org("BYT", "Bộ Y tế", OrgKind::Ministry, Some("CP")),
            org("P01", "Thành phố Hà Nội", OrgKind::Province, Some("CP")),
        ],
        &[
            ("officer@btp", "BTP", "officer", "tok-officer"),
            ("leader@btp", "BTP", "leader", "tok-leader"),
            ("officer@byt", "BYT", "officer", "tok-byt"),
            ("wg@vpcp", "CP", "oversight", "tok-wg"),
            ("officer@hn", "P01", "officer", "tok-hn"),
        ],
    )
    .await
}

impl App {
    async fn call(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, axum::http::HeaderMap, Value) {
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
        let resp = self.router.clone().oneshot(req).await.expect("response");
        let (status, headers) = (resp.status(), resp.headers().clone());
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        let v = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
        (status, headers, v)
    }
}

fn content(name: &str, days: u32) -> Value {
    json!({
        "name": name,
        "levels": ["commune"],
        "sector": "Hộ tịch",
        "subjects": ["Công dân Việt Nam"],
        "executing_agency": [{"name": "Ủy ban nhân dân cấp xã"}],
        "steps": [{"description": "Nộp hồ sơ"}],
        "channels": [{"method": "direct", "time": {"value": days, "unit": "working_day"}, "fees": []}],
        "dossier": [{"components": [{"name": "Tờ khai", "originals": 1, "copies": 0}]}]
    })
}

fn decision(
    number: &str,
    kind: &str,
    signed: &str,
    effective: &str,
    content: Option<Value>,
) -> Value {
    json!({
        "number": number, "title": "Công bố", "signed_on": signed, "effective_on": effective,
        "issuer_org": "BTP", "issuer_kind": "ministry",
        "entries": [{"kind": kind, "code": "1.000080", "content": content}]
    })
}

async fn publish_first_version(a: &App) {
    let (s, _, body) = a
        .call(
            "POST",
            "/api/v1/decisions",
            Some("tok-officer"),
            Some(decision(
                "1/QĐ-BTP",
                "new",
                "2025-01-02",
                "2025-02-01",
                Some(content("Đăng ký khai sinh", 15)),
            )),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let (s, _, body) = a
        .call(
            "POST",
            "/api/v1/decisions/1%2FQ%C4%90-BTP/apply",
            Some("tok-leader"),
            Some(json!({"rev": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn health_openapi_and_unknown_routes_answer_cleanly() {
    let a = app().await;
    let (s, _, v) = a.call("GET", "/healthz", None, None).await;
    assert_eq!((s, v["status"].as_str()), (StatusCode::OK, Some("ok")));
    let (s, _, v) = a.call("GET", "/api/openapi.json", None, None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["openapi"].as_str().map(|x| &x[..3]), Some("3.1"));
    assert!(v["paths"]["/api/v1/procedures/{code}"].is_object());
    let (s, h, v) = a.call("GET", "/nope", None, None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(h[header::CONTENT_TYPE], "application/problem+json");
    assert_eq!(v["status"], 404);
    let (s, _, _) = a.call("GET", "/api/docs/", None, None).await;
    assert_eq!(s, StatusCode::OK);
    let (s, h, v) = a.call("DELETE", "/api/v1/procedures", None, None).await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(h[header::CONTENT_TYPE], "application/problem+json");
    assert_eq!(v["status"], 405);
    let (s, _, _) = a.call("GET", "/dang-xuat", None, None).await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn malformed_and_unknown_codes_get_clear_errors() {
    let a = app().await;
    let (s, _, v) = a
        .call("GET", "/api/v1/procedures/1.00008", None, None)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        v["detail"].as_str().unwrap_or_default().contains("1.00008"),
        "{v}"
    );
    let (s, _, v) = a
        .call("GET", "/api/v1/procedures/9.999999", None, None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    let (s, _, _) = a
        .call("GET", "/api/v1/procedures?status=bogus", None, None)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_published_procedure_is_served_with_an_etag_and_revalidates() {
    let a = app().await;
    publish_first_version(&a).await;
    let (s, h, v) = a
        .call("GET", "/api/v1/procedures/1.000080", None, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["version"]["content"]["name"], "Đăng ký khai sinh");
    assert_eq!(v["completeness"]["complete"], true, "{v}");
    let etag = h[header::ETAG].to_str().expect("etag").to_string();
    let req = Request::get("/api/v1/procedures/1.000080")
        .header(header::IF_NONE_MATCH, &etag)
        .body(Body::empty())
        .expect("req");
    let resp = a.router.clone().oneshot(req).await.expect("resp");
    assert_eq!(resp.status(), StatusCode::NOT_MODIFIED);
    let (s, _, v) = a
        .call("GET", "/api/v1/procedures?q=dang%20ky&limit=5", None, None)
        .await;
    assert_eq!((s, v["total"].as_i64()), (StatusCode::OK, Some(1)));
}

#[tokio::test]
async fn writes_need_a_token_and_the_right_organisation() {
    let a = app().await;
    publish_first_version(&a).await;
    let body = json!({"content": content("Đăng ký khai sinh", 10)});
    let (s, _, _) = a
        .call(
            "POST",
            "/api/v1/procedures/1.000080/drafts",
            None,
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _, _) = a
        .call(
            "POST",
            "/api/v1/procedures/1.000080/drafts",
            Some("bad-token"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _, v) = a
        .call(
            "POST",
            "/api/v1/procedures/1.000080/drafts",
            Some("tok-byt"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    let (s, _, _) = a
        .call(
            "POST",
            "/api/v1/procedures/1.000080/drafts",
            Some("tok-wg"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "oversight reads but does not edit"
    );
    let (s, _, v) = a
        .call(
            "POST",
            "/api/v1/procedures/1.000080/drafts",
            Some("tok-officer"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["seq"], 2);
    let (s, _, v) = a
        .call(
            "POST",
            "/api/v1/procedures/1.000080/drafts",
            Some("tok-officer"),
            Some(body),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    // Drafts are not public.
    let (s, _, _) = a
        .call("GET", "/api/v1/procedures/1.000080/versions/2", None, None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, _) = a
        .call(
            "GET",
            "/api/v1/procedures/1.000080/versions/2",
            Some("tok-byt"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = a
        .call(
            "GET",
            "/api/v1/procedures/1.000080/versions/2",
            Some("tok-wg"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn a_stale_edit_gets_409_with_the_current_state_and_nothing_is_overwritten() {
    let a = app().await;
    publish_first_version(&a).await;
    a.call(
        "POST",
        "/api/v1/procedures/1.000080/drafts",
        Some("tok-officer"),
        Some(json!({"content": content("Đăng ký khai sinh", 10)})),
    )
    .await;
    let (s, _, _) = a
        .call(
            "PUT",
            "/api/v1/procedures/1.000080/versions/2",
            Some("tok-officer"),
            Some(json!({"rev": 1, "content": content("Đăng ký khai sinh", 9)})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, h, v) = a
        .call(
            "PUT",
            "/api/v1/procedures/1.000080/versions/2",
            Some("tok-leader"),
            Some(json!({"rev": 1, "content": content("Đăng ký khai sinh", 7)})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(h[header::CONTENT_TYPE], "application/problem+json");
    assert_eq!(v["current"]["rev"], 2, "{v}");
    assert_eq!(v["current"]["content"]["channels"][0]["time"]["value"], 9.0);
}

#[tokio::test]
async fn a_leader_publishes_an_amendment_and_the_public_view_updates_at_once() {
    let a = app().await;
    publish_first_version(&a).await;
    let (_, _, first) = a
        .call("GET", "/api/v1/procedures/1.000080", None, None)
        .await;
    assert_eq!(first["version"]["seq"], 1);
    let (s, _, _) = a
        .call(
            "POST",
            "/api/v1/decisions",
            Some("tok-officer"),
            Some(decision(
                "2/QĐ-BTP",
                "amended",
                "2025-05-02",
                "2025-05-12",
                Some(content("Đăng ký khai sinh", 10)),
            )),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, _, v) = a
        .call("GET", "/api/v1/decisions/2%2FQ%C4%90-BTP", None, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        v["timeliness"]["late"], true,
        "a ministry must publish 20 days ahead: {v}"
    );
    let (s, _, _) = a
        .call(
            "POST",
            "/api/v1/decisions/2%2FQ%C4%90-BTP/apply",
            Some("tok-officer"),
            Some(json!({"rev": 1})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "officers prepare, leaders publish"
    );
    let (s, _, v) = a
        .call(
            "POST",
            "/api/v1/decisions/2%2FQ%C4%90-BTP/apply",
            Some("tok-leader"),
            Some(json!({"rev": 1, "dry_run": true})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, _, still) = a
        .call("GET", "/api/v1/procedures/1.000080", None, None)
        .await;
    assert_eq!(still["version"]["seq"], 1, "dry run changes nothing");
    let (s, _, v) = a
        .call(
            "POST",
            "/api/v1/decisions/2%2FQ%C4%90-BTP/apply",
            Some("tok-leader"),
            Some(json!({"rev": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, _, now) = a
        .call("GET", "/api/v1/procedures/1.000080", None, None)
        .await;
    assert_eq!(now["version"]["seq"], 2);
    let (s, _, d) = a
        .call("GET", "/api/v1/procedures/1.000080/diff", None, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        d["changes"][0]["text_vi"],
        "Thời hạn giải quyết (Trực tiếp): 15 ngày làm việc → 10 ngày làm việc"
    );
    let (_, _, vs) = a
        .call("GET", "/api/v1/procedures/1.000080/versions", None, None)
        .await;
    assert_eq!(vs.as_array().map(Vec::len), Some(2));
    assert_eq!(vs[0]["valid_to"], "2025-05-11");
    let (s, _, _) = a
        .call(
            "POST",
            "/api/v1/decisions/2%2FQ%C4%90-BTP/apply",
            Some("tok-leader"),
            Some(json!({"rev": 2})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "applied twice");
    // API writes are in the audit log with their author; the dry run and the refusals are not.
    let log = a
        .store
        .audit_entries(&thutuc_store::AuditFilter {
            limit: 100,
            ..Default::default()
        })
        .await
        .expect("audit");
    let actions: Vec<(String, String)> = log
        .items
        .iter()
        .map(|e| (e.actor.clone(), e.action.clone()))
        .collect();
    assert!(
        actions.contains(&("officer@btp".into(), "api.post /api/v1/decisions".into())),
        "{actions:?}"
    );
    let applies: Vec<_> = log
        .items
        .iter()
        .filter(|e| e.action.ends_with("2/QĐ-BTP/apply"))
        .collect();
    assert_eq!(applies.len(), 1, "only the real application: {actions:?}");
    assert_eq!(applies[0].entity_type, "api.decisions");
    assert_eq!(applies[0].entity_id, "2/QĐ-BTP/apply");
    // Stored by the application's own transaction, with the request as "after".
    assert!(
        applies[0]
            .after
            .as_deref()
            .is_some_and(|a| a.contains("rev")),
        "{:?}",
        applies[0].after
    );
    assert!(
        thutuc_web::pages::audit::verify(&a.store)
            .await
            .expect("verify")
            .broken
            .is_none()
    );
}

#[tokio::test]
async fn a_decision_for_a_missing_procedure_is_refused_with_its_line() {
    let a = app().await;
    let (s, _, _) = a
        .call(
            "POST",
            "/api/v1/decisions",
            Some("tok-officer"),
            Some(decision(
                "3/QĐ-BTP",
                "amended",
                "2025-01-02",
                "2025-02-01",
                None,
            )),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, _, v) = a
        .call(
            "POST",
            "/api/v1/decisions/3%2FQ%C4%90-BTP/apply",
            Some("tok-leader"),
            Some(json!({"rev": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        v["detail"].as_str().unwrap_or_default().contains("dòng 1"),
        "{v}"
    );
    let (s, h, v) = a
        .call(
            "POST",
            "/api/v1/decisions",
            Some("tok-officer"),
            Some(json!({"number": "x"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(h[header::CONTENT_TYPE], "application/problem+json");
    assert!(
        v["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("signed_on"),
        "{v}"
    );
}

#[tokio::test]
async fn calendar_endpoints_answer_and_reject_bad_dates() {
    let a = app().await;
    let (s, _, v) = a.call("GET", "/api/v1/calendar/tet/2025", None, None).await;
    assert_eq!(
        (s, v["date"].as_str()),
        (StatusCode::OK, Some("2025-01-29"))
    );
    let (_, _, v) = a
        .call(
            "GET",
            "/api/v1/calendar/add-working-days?date=2025-04-25&days=3",
            None,
            None,
        )
        .await;
    assert_eq!(
        v["result"], "2025-04-29",
        "Sat 26/04/2025 is a swapped working day"
    );
    let (_, _, v) = a
        .call("GET", "/api/v1/calendar/holidays?year=2025", None, None)
        .await;
    assert!(v.as_array().is_some_and(|d| d.len() >= 12));
    let (s, _, _) = a
        .call("GET", "/api/v1/calendar/lunar/2025-13-01", None, None)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _, _) = a.call("GET", "/api/v1/calendar/tet/2200", None, None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _, _) = a
        .call(
            "GET",
            "/api/v1/calendar/add-working-days?date=2025-04-25&days=-1",
            None,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn organisations_and_metrics_are_served() {
    let a = app().await;
    let (_, _, v) = a
        .call("GET", "/api/v1/organisations?parent=CP", None, None)
        .await;
    assert_eq!(v["total"], 3);
    let (_, _, v) = a
        .call("GET", "/api/v1/organisations?q=ha%20noi", None, None)
        .await;
    assert_eq!(v["items"][0]["id"], "P01");
    let (s, _, _) = a
        .call("GET", "/api/v1/organisations/NOPE", None, None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, v) = a.call("GET", "/metrics", None, None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        v.as_str()
            .unwrap_or_default()
            .contains("thutuc_http_requests_total")
    );
}

#[tokio::test]
async fn a_province_localises_a_central_procedure_and_sees_drift() {
    let a = app().await;
    publish_first_version(&a).await;
    let body = json!({"rev": 0, "local_code": "1.000080.000.00.00.H26", "overrides": {"notes": "Phí theo Nghị quyết HĐND"}});
    let (s, _, _) = a
        .call(
            "PUT",
            "/api/v1/procedures/1.000080/localisations/P01",
            Some("tok-byt"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, v) = a
        .call(
            "PUT",
            "/api/v1/procedures/1.000080/localisations/P01",
            Some("tok-hn"),
            Some(json!({"rev": 0, "local_code": "1.000081.H26"})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "local code of another procedure: {v}"
    );
    let (s, _, v) = a
        .call(
            "PUT",
            "/api/v1/procedures/1.000080/localisations/P01",
            Some("tok-hn"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["rev"].as_i64(), v["drifted"].as_bool()),
        (Some(1), Some(false))
    );
    let (s, _, _) = a
        .call(
            "PUT",
            "/api/v1/procedures/1.000080/localisations/P01",
            Some("tok-hn"),
            Some(body),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "rev 0 is stale now");
    a.call(
        "POST",
        "/api/v1/decisions",
        Some("tok-officer"),
        Some(decision(
            "2/QĐ-BTP",
            "amended",
            "2025-05-02",
            "2025-06-01",
            Some(content("Đăng ký khai sinh", 10)),
        )),
    )
    .await;
    let (s, _, v) = a
        .call(
            "POST",
            "/api/v1/decisions/2%2FQ%C4%90-BTP/apply",
            Some("tok-leader"),
            Some(json!({"rev": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, _, v) = a
        .call(
            "GET",
            "/api/v1/procedures/1.000080/localisations",
            None,
            None,
        )
        .await;
    assert_eq!(v[0]["drifted"], true, "{v}");
}

#[tokio::test]
async fn open_data_exports_and_json_ld_by_content_negotiation() {
    let a = app().await;
    publish_first_version(&a).await;
    let (s, h, v) = a.call("GET", "/api/v1/export/json", None, None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        h[header::CONTENT_TYPE]
            .to_str()
            .unwrap_or_default()
            .starts_with("application/x-ndjson")
    );
    assert!(v.to_string().contains("1.000080"), "{v}");
    let (s, _, v) = a
        .call("GET", "/api/v1/export/csv?agency=BTP", None, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(v.as_str().unwrap_or_default().contains("Đăng ký khai sinh"));
    let (s, _, _) = a.call("GET", "/api/v1/export/pdf", None, None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _, _) = a
        .call("GET", "/api/v1/export/json?agency=NOPE", None, None)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let req = Request::get("/api/v1/procedures/1.000080")
        .header(header::ACCEPT, "application/ld+json")
        .body(Body::empty())
        .expect("req");
    let resp = a.router.clone().oneshot(req).await.expect("resp");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[header::CONTENT_TYPE], "application/ld+json");
    let doc: Value =
        serde_json::from_slice(&resp.into_body().collect().await.expect("body").to_bytes())
            .expect("json");
    assert!(
        doc["@context"].is_array() || doc["@context"].is_object(),
        "{doc}"
    );
    assert!(doc.to_string().contains("Đăng ký khai sinh"));
}

#[tokio::test]
async fn search_ranks_and_highlights_without_diacritics_and_suggests() {
    let a = app().await;
    publish_first_version(&a).await;
    let (s, _, v) = a
        .call(
            "GET",
            "/api/v1/procedures?q=dang%20ky%20khai%20sinh",
            None,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["items"][0]["code"], "1.000080", "{v}");
    assert!(
        v["items"][0]["highlights"]["name"]
            .as_str()
            .unwrap_or_default()
            .contains("<mark>"),
        "{v}"
    );
    assert!(v["facets"].is_object(), "{v}");
    let (_, _, v) = a
        .call("GET", "/api/v1/suggest?q=%C4%91%C4%83ng%20k", None, None)
        .await;
    assert_eq!(v[0]["code"], "1.000080", "{v}");
    for bad in ["%22%3A%28%29*", "%00%01", "%FF%FE"] {
        let (s, _, v) = a
            .call("GET", &format!("/api/v1/procedures?q={bad}"), None, None)
            .await;
        assert!(
            s == StatusCode::OK || s == StatusCode::BAD_REQUEST,
            "{bad}: {s} {v}"
        );
    }
    let long = "a".repeat(10_000);
    let (s, _, _) = a
        .call("GET", &format!("/api/v1/procedures?q={long}"), None, None)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_government_office_edits_the_calendar_and_deadlines_follow_at_once() {
    let a = app().await;
    let row = json!({"kind": "holiday", "name_vi": "Ngày Văn hóa Việt Nam", "source": "Thông báo giả định 1/TB-BNV"});
    let (s, _, _) = a
        .call(
            "PUT",
            "/api/v1/calendar/days/2027-11-24",
            Some("tok-officer"),
            Some(row.clone()),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "a ministry officer does not edit the national calendar"
    );
    let (_, _, before) = a
        .call(
            "GET",
            "/api/v1/calendar/add-working-days?date=2027-11-23&days=1",
            None,
            None,
        )
        .await;
    assert_eq!(before["result"], "2027-11-24");
    let (s, _, v) = a
        .call(
            "PUT",
            "/api/v1/calendar/days/2027-11-24",
            Some("tok-wg"),
            Some(row),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, _, after) = a
        .call(
            "GET",
            "/api/v1/calendar/add-working-days?date=2027-11-23&days=1",
            None,
            None,
        )
        .await;
    assert_eq!(
        after["result"], "2027-11-25",
        "Wed 24/11/2027 is now a day off"
    );
    let bad = json!({"kind": "swapped_workday", "name_vi": "Làm bù", "source": "x"});
    let (s, _, v) = a
        .call(
            "PUT",
            "/api/v1/calendar/days/2027-11-23",
            Some("tok-wg"),
            Some(bad),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "a swapped working day must be a weekend day: {v}"
    );
    let (s, _, _) = a
        .call(
            "POST",
            "/api/v1/calendar/days/2027-11-24/withdraw",
            Some("tok-wg"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, _, again) = a
        .call(
            "GET",
            "/api/v1/calendar/add-working-days?date=2027-11-23&days=1",
            None,
            None,
        )
        .await;
    assert_eq!(again["result"], "2027-11-24");
}

#[tokio::test]
async fn officers_import_real_portal_json_idempotently_over_http() {
    let a = app().await;
    let file = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/tthc/portal-api-sample.jsonl"
    ))
    .expect("sample");
    let post = |uri: &str, token: &str| {
        Request::post(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::from(file.clone()))
            .expect("req")
    };
    let send = |req| async { a.router.clone().oneshot(req).await.expect("resp") };
    let resp = send(post(
        "/api/v1/imports?format=portal-json&dry_run=true",
        "tok-officer",
    ))
    .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let resp = send(post("/api/v1/imports?format=portal-json", "tok-officer")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let v: Value = serde_json::from_slice(&resp.into_body().collect().await.expect("b").to_bytes())
        .expect("json");
    assert_eq!(
        (
            v["created"].as_u64(),
            v["rejected"].as_array().map(Vec::len)
        ),
        (Some(5), Some(0)),
        "{v}"
    );
    let resp = send(post("/api/v1/imports?format=portal-json", "tok-officer")).await;
    let v: Value = serde_json::from_slice(&resp.into_body().collect().await.expect("b").to_bytes())
        .expect("json");
    assert_eq!(
        (v["created"].as_u64(), v["unchanged"].as_u64()),
        (Some(0), Some(5)),
        "re-import changes nothing: {v}"
    );
    let (s, _, v) = a
        .call("GET", "/api/v1/procedures/1.012648", None, None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["owner_org"], "BTP");
    assert_eq!(
        send(post("/api/v1/imports?format=portal-json", "tok-wg"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(post("/api/v1/imports?format=pdf", "tok-officer"))
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        send(post(
            "/api/v1/imports?format=portal-json&org=BYT",
            "tok-officer"
        ))
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
}
