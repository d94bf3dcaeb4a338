//! Demo feedback (phản ánh, kiến nghị): realistic items about real Ministry of Justice
//! procedures of the demo catalogue, in every state — received, registered, in review,
//! waiting for the sender, transferred to Hà Nội, not accepted, decided with a draft answer,
//! answered and published, rated, reopened, duplicate, and overdue (escalated by the sweep).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use thutuc_domain::calendar::Calendar;
use thutuc_domain::feedback::{
    Classification, ContentKind, Criterion, DeadlineConfig, Evaluation, Outcome, Rating,
    RawFeedback, TrackingCode, Verdict, attachment,
};
use thutuc_store::feedback::{FeedbackAction, FeedbackActor, FeedbackClock, FeedbackSubmission};
use thutuc_store::{ProcedureFilter, Store};

/// (sender, phone, e-mail, procedure index, content kind, content)
const ITEMS: &[(&str, &str, &str, usize, &str, &str)] = &[
    (
        "Nguyễn Văn Hùng",
        "0912000101",
        "hung.nv@example.vn",
        0,
        "unrealistic",
        "Khi làm thủ tục, bộ phận một cửa vẫn yêu cầu bản sao sổ hộ khẩu dù sổ hộ khẩu giấy đã hết giá trị sử dụng từ 01/01/2023.",
    ),
    (
        "Trần Thị Mai",
        "0983000202",
        "mai.tt@example.vn",
        1,
        "conduct",
        "Hồ sơ nộp trực tuyến đã quá hạn 10 ngày làm việc mà chưa nhận được kết quả, không có thông báo lý do chậm trễ.",
    ),
    (
        "Công ty TNHH Minh Phát",
        "02438250303",
        "phaply@minhphat.example.vn",
        2,
        "inconsistent",
        "Thành phần hồ sơ trên Cổng Dịch vụ công quốc gia khác với thành phần hồ sơ niêm yết tại bộ phận một cửa của phường.",
    ),
    (
        "Lê Quang Vinh",
        "0904000404",
        "",
        0,
        "solution",
        "Đề nghị cho phép nộp bản điện tử có chữ ký số thay cho bản sao chứng thực để giảm chi phí cho người dân.",
    ),
    (
        "Phạm Thu Hà",
        "0977000505",
        "ha.pt@example.vn",
        3,
        "illegal",
        "Quy định yêu cầu xác nhận của công an khu vực không có căn cứ trong luật, gây phiền hà cho người dân.",
    ),
    (
        "Hoàng Minh Tuấn",
        "0868000606",
        "tuan.hm@example.vn",
        1,
        "other",
        "Tôi muốn khiếu nại quyết định xử phạt vi phạm hành chính của Ủy ban nhân dân phường.",
    ),
    (
        "Đỗ Thị Lan",
        "0935000707",
        "lan.dt@example.vn",
        2,
        "new_rule_initiative",
        "Kiến nghị ban hành quy định liên thông đăng ký khai sinh, thường trú và cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi.",
    ),
    (
        "Vũ Đức Thắng",
        "0915000808",
        "thang.vd@example.vn",
        0,
        "unrealistic",
        "Bộ phận một cửa vẫn yêu cầu bản sao sổ hộ khẩu mặc dù sổ hộ khẩu giấy đã hết giá trị sử dụng từ ngày 01/01/2023.",
    ),
    (
        "Bùi Thị Hạnh",
        "0987000909",
        "hanh.bt@example.vn",
        3,
        "unrealistic",
        "Thời hạn giải quyết 15 ngày làm việc là quá dài so với thực tế, đề nghị rút ngắn còn 5 ngày.",
    ),
    (
        "Ngô Văn Khải",
        "0966001010",
        "khai.nv@example.vn",
        1,
        "conduct",
        "Cán bộ tiếp nhận yêu cầu nộp thêm giấy tờ không có trong danh mục thành phần hồ sơ đã công bố.",
    ),
];

/// Seeds the demo items; returns a summary line.
pub async fn seed<S: Store>(s: &S, cal: &Calendar, today: NaiveDate) -> anyhow::Result<String> {
    let config = DeadlineConfig::default();
    let clock = FeedbackClock {
        cal,
        config: &config,
    };
    let procs = s
        .list_procedures(&ProcedureFilter {
            owner_orgs: Some(vec!["BTP".into()]),
            limit: 10,
            ..Default::default()
        })
        .await?
        .items;
    let officer = s.user_by_email("canbo@moj.gov.vn").await?;
    let leader = s.user_by_email("lanhdao@moj.gov.vn").await?;
    let hn = s.user_by_email("canbo@hanoi.gov.vn").await?;
    let who = |u: &thutuc_store::User| FeedbackActor {
        user_id: Some(u.id),
        label: u.email.clone(),
    };
    let (o, l, h) = (who(&officer), who(&leader), who(&hn));
    let sender = FeedbackActor {
        user_id: None,
        label: "người gửi".into(),
    };
    let at = |days_ago: i64, hour: u32| -> DateTime<Utc> {
        let d = today - Duration::days(days_ago);
        DateTime::from_naive_utc_and_offset(
            d.and_hms_opt(hour.saturating_sub(7), 0, 0)
                .unwrap_or_default(),
            Utc,
        )
    };
    let all_met = Evaluation {
        findings: Criterion::ALL
            .iter()
            .map(|c| (*c, Verdict::Met, String::new()))
            .collect(),
    };
    let founded = Evaluation {
        findings: Criterion::ALL
            .iter()
            .map(|c| {
                (
                    *c,
                    if *c == Criterion::Necessity {
                        Verdict::NotMet
                    } else {
                        Verdict::Met
                    },
                    String::new(),
                )
            })
            .collect(),
    };
    let mut ids = Vec::new();
    for (n, (name, phone, email, pi, kind, content)) in ITEMS.iter().enumerate() {
        let days_ago = 45 - i64::try_from(n).unwrap_or(0) * 4;
        let raw = RawFeedback {
            sender_name: (*name).into(),
            sender_address: "Hà Nội".into(),
            sender_phone: (*phone).into(),
            sender_email: (*email).into(),
            sender_kind: if name.starts_with("Công ty") {
                "business".into()
            } else {
                "person".into()
            },
            channel: if n == 3 {
                "phone".into()
            } else {
                "portal".into()
            },
            content: (*content).into(),
            procedure_code: procs
                .get(*pi % procs.len().max(1))
                .map(|p| p.code.to_string())
                .unwrap_or_default(),
            content_kind: (*kind).into(),
            ..RawFeedback::default()
        };
        let sub = FeedbackSubmission {
            item: raw.validate().map_err(|e| anyhow::anyhow!("{e}"))?,
            tracking_code: TrackingCode::from_random(0x00D3_0000 + n as u64 * 7919)
                .as_str()
                .to_string(),
            receiving_org: "BTP".into(),
            received_at: at(days_ago, 9),
            attachments: vec![],
            max_attachment_bytes: attachment::DEFAULT_MAX_BYTES,
            entered_by: (n == 3).then_some(officer.id),
        };
        ids.push((s.submit_feedback(&sub, clock).await?, days_ago));
    }
    // Drive each item to its state.
    for (k, (item, days_ago)) in ids.iter().enumerate() {
        let mut it = item.clone();
        let t = |d: i64| at((*days_ago - d).max(0), 10);
        let step = |a: FeedbackAction,
                    who: &FeedbackActor,
                    when: DateTime<Utc>,
                    it: thutuc_store::feedback::FeedbackItem| {
            let a = a.clone();
            let who = who.clone();
            async move {
                s.act_on_feedback(it.id, it.rev, &who, &a, when, clock)
                    .await
            }
        };
        if k == 0 {
            continue; // received, not yet registered
        }
        it = step(FeedbackAction::Register, &o, t(1), it).await?;
        if k == 1 {
            continue; // registered
        }
        let kind = it.content_kind.unwrap_or(ContentKind::Other);
        let classification = match k {
            2 => Classification::OutsideCompetence,
            5 => Classification::NotAccepted,
            _ => Classification::WithinCompetence,
        };
        let reason = (k == 5)
            .then(|| "Nội dung là khiếu nại, được hướng dẫn gửi theo Luật Khiếu nại.".to_string());
        it = step(
            FeedbackAction::Classify {
                classification,
                content_kind: kind,
                sector_id: None,
                reason,
            },
            &o,
            t(2),
            it,
        )
        .await?;
        match k {
            2 => {
                it = step(
                    FeedbackAction::Transfer {
                        to_org: "P01".into(),
                        note: "Thuộc thẩm quyền UBND TP Hà Nội".into(),
                    },
                    &o,
                    t(3),
                    it,
                )
                .await?;
                step(FeedbackAction::Register, &h, t(4), it).await?;
            }
            3 => {
                step(FeedbackAction::RequestInfo, &o, t(3), it).await?;
            }
            4 | 6 | 7 | 8 => {
                if k == 7 {
                    step(
                        FeedbackAction::MarkDuplicate { of: ids[0].0.id },
                        &o,
                        t(3),
                        it,
                    )
                    .await?;
                    continue;
                }
                let (ev, outcome) = if k == 4 {
                    (founded.clone(), Outcome::Recommend)
                } else {
                    (all_met.clone(), Outcome::NoChange)
                };
                it = step(
                    FeedbackAction::Evaluate {
                        evaluation: ev,
                        outcome,
                    },
                    &o,
                    t(5),
                    it,
                )
                .await?;
                let text = match k {
                    4 => {
                        "Bộ Tư pháp đã kiến nghị Bộ Công an bãi bỏ yêu cầu xác nhận của công an khu vực trong thủ tục này."
                    }
                    6 => {
                        "Kiến nghị được ghi nhận và chuyển vào chương trình xây dựng văn bản năm tới."
                    }
                    _ => {
                        "Thời hạn giải quyết theo luật hiện hành; Bộ sẽ nghiên cứu rút ngắn khi sửa đổi nghị định."
                    }
                };
                it = step(
                    FeedbackAction::DraftAnswer {
                        text: text.into(),
                        is_public: true,
                    },
                    &o,
                    t(6),
                    it,
                )
                .await?;
                if k == 6 {
                    continue; // decided, draft awaiting approval
                }
                it = step(FeedbackAction::ApproveAnswer, &l, t(8), it).await?;
                if k == 4 {
                    it = step(FeedbackAction::Rate(Rating::Satisfied), &sender, t(9), it).await?;
                    step(FeedbackAction::Close, &o, t(10), it).await?;
                } else {
                    it = step(
                        FeedbackAction::Rate(Rating::Dissatisfied),
                        &sender,
                        t(9),
                        it,
                    )
                    .await?;
                    step(
                        FeedbackAction::Reopen {
                            reason: "Chưa có thời hạn cụ thể cho việc sửa đổi.".into(),
                        },
                        &sender,
                        t(10),
                        it,
                    )
                    .await?;
                }
            }
            _ => {} // 5 rejected; 9 in review, the newest
        }
    }
    let escalated = s.escalate_feedback(today, clock).await?.len();
    Ok(format!(
        "Phản ánh, kiến nghị / feedback: {} mục ở mọi trạng thái, {escalated} mục quá hạn đã chuyển cấp\n",
        ids.len()
    ))
}
