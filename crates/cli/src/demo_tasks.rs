//! Demo data of directing and urging: the Prime Minister's Working Group with its members, a
//! year of meetings whose conclusion notices assign tasks to ministries and provinces (most done
//! on time, some late, some overdue, some still within term), and the recurring monthly duties of
//! every ministry and province toward the Working Group — report the month's TTHC changes by the
//! 20th, report progress restructuring procedures on the national portal by the 25th, report the
//! simplification of internal procedures by the 28th — materialised for the last twelve months.

use chrono::{Datelike, Duration, NaiveDate};
use thutuc_domain::calendar::Calendar;
use thutuc_domain::org::OrgKind;
use thutuc_domain::tasks::{
    Directive, DirectiveKind, GroupLevel, GroupMember, Meeting, MeetingFormat, MemberRole,
    NonWorkingPolicy, OutputKind, Priority, Recurrence, RecurrenceRule, Task, WorkingGroup,
};
use thutuc_store::{Store, TaskChange, TaskFilter};

use crate::demo::Rng;

/// The Working Group's host organisation (the Government Office) and its demo account.
const WG_ORG: &str = "VPCP";
const WG_USER: &str = "tocongtac@vpcp.gov.vn";

const DUTIES: [(&str, &str, u8, OutputKind); 3] = [
    (
        "bc-bien-dong-tthc",
        "Báo cáo tình hình công bố, công khai thủ tục hành chính trong tháng",
        20,
        OutputKind::Report,
    ),
    (
        "bc-tai-cau-truc",
        "Báo cáo tiến độ tái cấu trúc quy trình, cung cấp dịch vụ công trực tuyến trên Cổng Dịch vụ công quốc gia",
        25,
        OutputKind::Report,
    ),
    (
        "bc-tthc-noi-bo",
        "Báo cáo kết quả rà soát, đơn giản hóa thủ tục hành chính nội bộ",
        28,
        OutputKind::Report,
    ),
];

const MEETING_TASKS: [&str; 8] = [
    "Rà soát, cắt giảm tối thiểu 20% thời gian giải quyết thủ tục hành chính thuộc phạm vi quản lý",
    "Hoàn thành tái cấu trúc quy trình các dịch vụ công trực tuyến toàn trình",
    "Công bố, công khai đầy đủ thủ tục hành chính sau sắp xếp đơn vị hành chính",
    "Đề xuất phương án phân cấp thẩm quyền giải quyết thủ tục hành chính",
    "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực",
    "Xử lý dứt điểm phản ánh, kiến nghị tồn đọng về quy định hành chính",
    "Ban hành kế hoạch rà soát, đánh giá thủ tục hành chính năm",
    "Báo cáo tình hình thực hiện Đề án 06 trong giải quyết thủ tục hành chính",
];

fn group() -> WorkingGroup {
    let m = |person: &str, position: &str, org: &str, role| GroupMember {
        person: person.into(),
        position: position.into(),
        org: org.into(),
        role,
        since: None,
        ended_on: None,
    };
    WorkingGroup {
        code: "TCT-TTG".into(),
        name: "Tổ công tác của Thủ tướng Chính phủ về rà soát, tháo gỡ vướng mắc, cải cách thủ tục hành chính".into(),
        level: GroupLevel::National,
        parent: None,
        org: WG_ORG.into(),
        valid_from: NaiveDate::from_ymd_opt(2022, 12, 15).unwrap_or_default(),
        members: vec![
            m("Tổ trưởng (demo)", "Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ", WG_ORG, MemberRole::Head),
            m("Tổ phó (demo)", "Phó Chủ nhiệm Văn phòng Chính phủ", WG_ORG, MemberRole::Deputy),
            m("Thành viên thường trực (demo)", "Cục trưởng Cục Kiểm soát thủ tục hành chính", WG_ORG, MemberRole::Standing),
            m("Thành viên (demo)", "Thứ trưởng Bộ Tư pháp", "BTP", MemberRole::Member),
            m("Tổ giúp việc (demo)", "Chuyên viên Cục Kiểm soát thủ tục hành chính", WG_ORG, MemberRole::Secretariat),
        ],
    }
}

/// Closes an open task the way its lead organisation did: on time, late, or not at all.
async fn play<S: Store>(s: &S, id: i64, rng: &mut Rng, today: NaiveDate) -> anyhow::Result<()> {
    let r = s.get_task(id).await?;
    let t = &r.task;
    let roll = rng.below(100);
    let on = if roll < 72 {
        t.deadline - Duration::days(i64::try_from(rng.below(6)).unwrap_or(0))
    } else if roll < 88 {
        t.deadline + Duration::days(1 + i64::try_from(rng.below(12)).unwrap_or(0))
    } else {
        // Not done: some progress reported when the deadline is still ahead or just passed.
        if t.deadline >= today - Duration::days(20) && t.assigned_on <= today {
            let pct = u8::try_from(10 + rng.below(70)).unwrap_or(50);
            s.update_task(
                id,
                r.rev,
                &TaskChange::Progress {
                    percent: pct,
                    note: "Đang tổng hợp số liệu".into(),
                    attachments: vec![],
                    files: vec![],
                },
                "demo",
                today.min(t.deadline),
            )
            .await?;
        }
        return Ok(());
    };
    let on = on.max(t.assigned_on);
    if on > today {
        return Ok(());
    }
    let evidence = format!("Báo cáo số {}/BC-{}", 10 + rng.below(400), t.lead_org);
    let r = s
        .update_task(id, r.rev, &TaskChange::Submit { evidence }, "demo", on)
        .await?;
    s.update_task(
        id,
        r.rev,
        &TaskChange::Accept,
        WG_USER,
        on + Duration::days(2),
    )
    .await?;
    Ok(())
}

/// Seeds the Working Group, a year of meetings and directives with tasks, and the recurring
/// duties of every ministry and province; returns a one-line summary.
pub async fn seed<S: Store>(s: &S, cal: &Calendar, today: NaiveDate) -> anyhow::Result<String> {
    s.upsert_working_group(&group()).await?;
    let orgs = s.all_orgs().await?;
    let leads: Vec<String> = orgs
        .iter()
        .filter(|o| o.valid_to.is_none())
        .filter(|o| {
            matches!(
                o.kind,
                OrgKind::Ministry | OrgKind::MinistryLevel | OrgKind::Province
            )
        })
        .map(|o| o.id.clone())
        .collect();
    let mut rng = Rng::new(42_2014);
    let start = today - Duration::days(365);
    let mut created = 0usize;

    // Meetings every two months, each with a public conclusion notice assigning tasks.
    for i in 0..6 {
        let date = cal.add_working_days(start + Duration::days(i * 61), 0)?;
        let meeting = s
            .create_meeting(&Meeting {
                group: "TCT-TTG".into(),
                date,
                format: if i % 2 == 0 { MeetingFormat::Hybrid } else { MeetingFormat::Online },
                participants: vec!["Thành viên Tổ công tác".into(), "Đại diện các bộ, cơ quan ngang bộ".into(), "Đại diện UBND các tỉnh, thành phố".into()],
                agenda: format!("Phiên họp thứ {} của Tổ công tác: đánh giá kết quả cải cách thủ tục hành chính", i + 1),
                minutes: "Biên bản phiên họp (demo).".into(),
                conclusions: "Tổ công tác đề nghị các bộ, địa phương tập trung rà soát, cắt giảm thủ tục hành chính, hoàn thành tái cấu trúc quy trình và báo cáo định kỳ đúng hạn.".into(),
                public: true,
            })
            .await?;
        let notice = s
            .create_directive(&Directive {
                kind: DirectiveKind::ConclusionNotice,
                number: format!("{}/TB-VPCP", 100 + i * 37),
                date: cal.add_working_days(date, 3)?,
                issuer_org: WG_ORG.into(),
                title: format!(
                    "Thông báo kết luận phiên họp thứ {} của Tổ công tác của Thủ tướng Chính phủ",
                    i + 1
                ),
                public: true,
                meeting_id: Some(meeting.id),
            })
            .await?;
        let assigned_on = notice.directive.date;
        let mut tasks = Vec::new();
        for k in 0..12 {
            let lead = leads[rng.below(leads.len().max(1)) % leads.len().max(1)].clone();
            let mut t = Task::new(
                MEETING_TASKS[rng.below(MEETING_TASKS.len())],
                WG_ORG,
                lead,
                assigned_on,
                cal.add_working_days(assigned_on, 20 + i64::try_from(rng.below(40)).unwrap_or(0))?,
            );
            t.directive_id = Some(notice.id);
            t.clause = format!("khoản {} mục II", k + 1);
            t.priority = if k % 5 == 0 {
                Priority::High
            } else {
                Priority::Normal
            };
            t.output_kind = OutputKind::Plan;
            tasks.push(t);
        }
        for r in s.create_tasks(&tasks, WG_USER).await? {
            play(s, r.id, &mut rng, today).await?;
            created += 1;
        }
    }

    // The recurring monthly duties of every ministry and province.
    let from = NaiveDate::from_ymd_opt(start.year(), start.month(), 1).unwrap_or(start);
    for lead in &leads {
        for (series, title, day, output) in DUTIES {
            let rule = RecurrenceRule {
                series: format!("{series}:{lead}"),
                pattern: Recurrence::Monthly { day },
                policy: NonWorkingPolicy::NextWorkingDay,
            };
            let occ = rule.occurrences(cal, from, today + Duration::days(31))?;
            let mut template = Task::new(title, WG_ORG, lead.clone(), from, from);
            template.output_kind = output;
            template.clause = "Nhiệm vụ thường xuyên theo kết luận phiên họp thứ nhất".into();
            created += s.materialise_recurring(&template, &occ, WG_USER).await?;
        }
    }
    let mut due = Vec::new();
    let mut offset = 0;
    loop {
        let page = s
            .list_tasks(&TaskFilter {
                deadline_to: Some(today),
                limit: Some(500),
                offset: Some(offset),
                ..TaskFilter::default()
            })
            .await?;
        due.extend(
            page.items
                .into_iter()
                .filter(|r| r.task.instance_key.is_some())
                .map(|r| r.id),
        );
        offset += 500;
        if offset >= page.total {
            break;
        }
    }
    for id in due {
        play(s, id, &mut rng, today).await?;
    }
    Ok(format!(
        "Chỉ đạo, đôn đốc / tasks: {created} nhiệm vụ, 6 phiên họp Tổ công tác, {} cơ quan có nhiệm vụ định kỳ\n",
        leads.len()
    ))
}
