//! Feedback benchmark (issue 9) on SQLite: N feedback items (default 1,000,000, env
//! THUTUC_BENCH_N) spread over 3 years and 60 agencies, about 10% still open; measures an
//! officer's filtered inbox (p50/p99), the duplicate suggestion at intake (band keys, candidate
//! lookup and Jaccard ranking, p50/p99) and a year of statistics by agency.
//!
//! `cargo bench -p thutuc-store-tests --bench feedback`

use std::time::Instant;

use chrono::NaiveDate;
use thutuc_domain::feedback::similar;
use thutuc_domain::org::{OrgKind, Organisation};
use thutuc_store::feedback::{FeedbackFilter, FeedbackGroupBy};
use thutuc_store::{FeedbackStore, OrgStore};

const SUBJECTS: [&str; 10] = [
    "đăng ký khai sinh",
    "cấp phiếu lý lịch tư pháp",
    "đăng ký kết hôn",
    "chứng thực bản sao",
    "cấp giấy phép xây dựng",
    "đăng ký thường trú",
    "cấp giấy phép lao động",
    "đăng ký doanh nghiệp",
    "cấp căn cước",
    "đăng ký đất đai",
];
const PROBLEMS: [&str; 8] = [
    "yêu cầu bản sao sổ hộ khẩu đã bị bãi bỏ",
    "quá hạn giải quyết mà không có thư xin lỗi",
    "đòi thêm giấy tờ ngoài danh mục đã công bố",
    "thu phí cao hơn mức quy định",
    "không tiếp nhận hồ sơ trực tuyến",
    "thành phần hồ sơ trên cổng khác với niêm yết",
    "thời hạn giải quyết quá dài so với thực tế",
    "yêu cầu xác nhận của công an khu vực",
];
const PLACES: [&str; 5] = [
    "tại phường",
    "tại Ủy ban nhân dân xã",
    "tại Trung tâm phục vụ hành chính công tỉnh",
    "tại bộ phận một cửa quận",
    "trên Cổng Dịch vụ công quốc gia",
];

fn text(t: usize) -> String {
    format!(
        "Thủ tục {} {} {}, đề nghị xem xét sửa đổi.",
        SUBJECTS[t % 10],
        PROBLEMS[(t / 10) % 8],
        PLACES[(t / 80) % 5]
    )
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn stats(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (pct(&v, 0.5), pct(&v, 0.99))
}

async fn load(s: &thutuc_store_sqlite::SqliteStore, n: usize) {
    let mut orgs = vec![Organisation {
        id: "CP".into(),
        name: "Chính phủ".into(),
        kind: OrgKind::Government,
        eid: None,
        admin_code: None,
        parent: None,
        valid_from: None,
        valid_to: None,
    }];
    for i in 0..60 {
        orgs.push(Organisation {
            id: format!("A{i:02}"),
            name: format!("Cơ quan {i}"),
            kind: OrgKind::Ministry,
            eid: None,
            admin_code: None,
            parent: Some("CP".into()),
            valid_from: None,
            valid_to: None,
        });
    }
    s.upsert_orgs(&orgs).await.expect("orgs");
    let pool = s.pool();
    // 400 real texts with their band keys; item n uses template n % 400.
    sqlx::query("CREATE TABLE tpl_text (tpl INTEGER PRIMARY KEY, title TEXT, content TEXT)")
        .execute(pool)
        .await
        .expect("tpl");
    sqlx::query("CREATE TABLE tpl_keys (tpl INTEGER, band_key INTEGER)")
        .execute(pool)
        .await
        .expect("tpl keys");
    for t in 0..400 {
        let full = text(t);
        let title: String = full.chars().take(120).collect();
        sqlx::query("INSERT INTO tpl_text VALUES ($1, $2, $3)")
            .bind(t as i64)
            .bind(&title)
            .bind(&full)
            .execute(pool)
            .await
            .expect("text");
        for k in similar::band_keys(&format!("{title} {full}")) {
            sqlx::query("INSERT INTO tpl_keys VALUES ($1, $2)")
                .bind(t as i64)
                .bind(k)
                .execute(pool)
                .await
                .expect("keys");
        }
    }
    // Items, generated in SQL: agency, status mix, dates over 2024-01-01 .. 2026-12-31.
    let sql = format!(
        "WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < {n}) \
         INSERT INTO feedback_items (tracking_code, rev, status, is_open, channel, sender_name, sender_address, sender_phone, sender_email, sender_kind, \
           title, content, procedure_code, legal_document, sector_id, content_kind, feedback_type, classification, reject_reason, receiving_org, current_org, \
           register_year, register_seq, assigned_to, entered_by, received_at, received_on, transferred_on, was_transferred, transfer_due_on, due_on, paused_since, \
           pauses, extension_days, evaluation, outcome, answer_text, answer_public, answer_drafted_by, answer_approved_by, answered_at, answered_on, is_public, \
           published_at, rating, rated_at, reopen_count, duplicate_of, escalation, escalation_rank, created_at, updated_at) \
         SELECT printf('PB%09d', n), 1, \
           CASE WHEN n % 10 = 0 THEN 'in_review' WHEN n % 23 = 0 THEN 'rejected' ELSE 'closed' END, \
           CASE WHEN n % 10 = 0 THEN 1 ELSE 0 END, 'portal', 'Người gửi ' || n, 'Hà Nội', printf('09%08d', n % 100000000), NULL, 'person', \
           (SELECT title FROM tpl_text WHERE tpl = n % 400), (SELECT content FROM tpl_text WHERE tpl = n % 400), printf('1.%06d', n % 5000), NULL, 'S' || (n % 40), 'unrealistic', 'report', 'within_competence', NULL, \
           'CP', printf('A%02d', n % 60), 2024 + (n % 3), n / 180 + 1, NULL, NULL, \
           date('2024-01-01', '+' || (n % 1096) || ' days') || 'T02:00:00Z', date('2024-01-01', '+' || (n % 1096) || ' days'), NULL, n % 7 = 0, \
           date('2024-01-01', '+' || ((n % 1096) + 7) || ' days'), date('2024-01-01', '+' || ((n % 1096) + 14) || ' days'), NULL, '[]', 0, NULL, 'no_change', \
           CASE WHEN n % 10 = 0 THEN NULL ELSE 'Trả lời ' || n END, 1, NULL, NULL, \
           CASE WHEN n % 10 = 0 THEN NULL ELSE date('2024-01-01', '+' || ((n % 1096) + (n % 19)) || ' days') || 'T08:00:00Z' END, \
           CASE WHEN n % 10 = 0 THEN NULL ELSE date('2024-01-01', '+' || ((n % 1096) + (n % 19)) || ' days') END, n % 10 <> 0, NULL, \
           CASE WHEN n % 10 = 0 THEN NULL WHEN n % 9 = 0 THEN 'dissatisfied' ELSE 'satisfied' END, NULL, n % 31 = 0, NULL, NULL, 0, \
           '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM seq"
    );
    sqlx::query(&sql).execute(pool).await.expect("items");
    sqlx::query("INSERT OR IGNORE INTO feedback_dup_keys (band_key, item_id) SELECT k.band_key, i.id FROM feedback_items i JOIN tpl_keys k ON k.tpl = (i.id - 1) % 400")
        .execute(pool).await.expect("dup keys");
    // The rows were written behind the store's back: rebuild the per-day statistics table with
    // the backfill statement of migration 0009 (the store keeps it current on every change).
    let m = include_str!("../../store-sqlite/migrations/0009_feedback_daily.sql");
    let start = m.find("INSERT INTO feedback_daily").expect("backfill");
    let end = start + m[start..].find(';').expect("end of backfill");
    sqlx::query(&m[start..end])
        .execute(pool)
        .await
        .expect("daily");
    sqlx::query("ANALYZE").execute(pool).await.expect("analyze");
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("THUTUC_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("tmp");
    let s =
        thutuc_store_sqlite::SqliteStore::connect(dir.path().join("fb.db").to_str().expect("path"))
            .await
            .expect("store");
    let t0 = Instant::now();
    load(&s, n).await;
    println!(
        "sqlite: loaded {n} feedback items in {:.1} s",
        t0.elapsed().as_secs_f64()
    );
    let as_of = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default();
    let mut x: u64 = 7;
    let mut rnd = |m: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % m
    };
    // Officer inbox: one agency, rotating filters (status, overdue, procedure, period), page 1;
    // the first 40 queries warm the caches and are not counted.
    let mut inbox = Vec::new();
    for i in 0..340 {
        let org = format!("A{:02}", rnd(60));
        let mut f = FeedbackFilter {
            orgs: Some(vec![org]),
            limit: 50,
            ..FeedbackFilter::default()
        };
        match i % 4 {
            0 => f.statuses = vec![thutuc_domain::feedback::Status::InReview],
            1 => f.overdue_as_of = Some(as_of),
            2 => f.procedure_code = Some(format!("1.{:06}", rnd(5000))),
            _ => {
                f.from = Some(NaiveDate::from_ymd_opt(2025, 3, 1).unwrap_or_default());
                f.to = Some(NaiveDate::from_ymd_opt(2025, 3, 31).unwrap_or_default());
            }
        }
        let t = Instant::now();
        let page = s.list_feedback(&f).await.expect("inbox");
        if i >= 40 {
            inbox.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        assert!(page.items.len() <= 50);
    }
    let (p50, p99) = stats(inbox);
    println!(
        "sqlite: officer inbox (1 agency, filtered, 50 rows + total) p50 {p50:.2} ms, p99 {p99:.2} ms (target ≤ 50 ms)"
    );
    // Duplicate suggestion at intake: a near-duplicate draft of a random template.
    let mut dup = Vec::new();
    let mut found = 0;
    for _ in 0..300 {
        let t = rnd(400) as usize;
        let draft = text(t).replace("đề nghị xem xét", "kính đề nghị cơ quan xem xét");
        let title: String = draft.chars().take(120).collect();
        let full = format!("{title} {draft}");
        let start = Instant::now();
        let keys = similar::band_keys(&full);
        let sh = similar::shingles(&full);
        let cands = s
            .feedback_candidates(&keys, None, 50)
            .await
            .expect("candidates");
        let best = cands
            .iter()
            .map(|c| {
                similar::jaccard(
                    &sh,
                    &similar::shingles(&format!("{} {}", c.title, c.content)),
                )
            })
            .fold(0.0, f64::max);
        dup.push(start.elapsed().as_secs_f64() * 1000.0);
        if best >= 0.3 {
            found += 1;
        }
    }
    let (p50, p99) = stats(dup);
    println!(
        "sqlite: duplicate suggestion p50 {p50:.2} ms, p99 {p99:.2} ms (target ≤ 50 ms); a similar item found for {found}/300 drafts"
    );
    // Statistics for a year, by agency.
    let mut st = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let rows = s
            .feedback_stats(
                NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default(),
                NaiveDate::from_ymd_opt(2025, 12, 31).unwrap_or_default(),
                as_of,
                None,
                FeedbackGroupBy::Agency,
            )
            .await
            .expect("stats");
        st.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(rows.len(), 60);
    }
    let (p50, max) = {
        let mut v = st.clone();
        v.sort_by(f64::total_cmp);
        (pct(&v, 0.5), pct(&v, 1.0))
    };
    println!(
        "sqlite: statistics for 2025 by agency (≈{} items) median {p50:.1} ms, max {max:.1} ms (target ≤ 200 ms)",
        n / 3
    );
}
