//! The pure part of applying a publication decision: given what the database holds for one
//! procedure, decide which version to close and which to publish. Both backends load the
//! state inside their transaction, call [`plan_entry`], and execute the plan, so the rules
//! live once, here, and are unit-tested without a database.

use chrono::NaiveDate;
use thutuc_domain::decision::DecisionEntry;
use thutuc_domain::diff;
use thutuc_domain::procedure::ProcedureContent;
use thutuc_domain::version::{self, ChangeKind, VersionStatus};

/// What the store holds for one procedure, read inside the applying transaction.
#[derive(Debug, Clone, Default)]
pub struct ProcState {
    /// The procedure row exists.
    pub exists: bool,
    /// Already abolished.
    pub abolished: bool,
    /// Open published version: seq, valid_from, content.
    pub current: Option<(i64, NaiveDate, ProcedureContent)>,
    /// Open draft (draft or in review): seq and content.
    pub draft: Option<(i64, ProcedureContent)>,
    /// Highest seq used so far.
    pub max_seq: i64,
}

/// Closing the version in force.
#[derive(Debug, Clone, PartialEq)]
pub struct Close {
    /// Version to close.
    pub seq: i64,
    /// Its last day in force.
    pub valid_to: NaiveDate,
    /// Superseded or Abolished.
    pub status: VersionStatus,
}

/// Publishing a version.
#[derive(Debug, Clone, PartialEq)]
pub struct Publish {
    /// Seq of the version: the draft's, or a new one.
    pub seq: i64,
    /// True when the open draft row becomes the published version (its content replaced by
    /// the entry's content when the entry carries one).
    pub from_draft: bool,
    /// Content to store.
    pub content: ProcedureContent,
    /// First day in force.
    pub valid_from: NaiveDate,
    /// Changed components (amendments), from the entry or computed by diff.
    pub changed_components: Vec<String>,
}

/// The plan for one entry.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryPlan {
    /// Create the procedure row first.
    pub create_procedure: bool,
    /// Close the current version.
    pub close: Option<Close>,
    /// Publish a version.
    pub publish: Option<Publish>,
    /// Mark the procedure abolished.
    pub abolish: bool,
}

/// Plans one entry of decision `number` taking effect on `effective`. Errors are messages for
/// the user naming the line (1-based), the code and the reason.
pub fn plan_entry(
    number: &str,
    line: usize,
    entry: &DecisionEntry,
    effective: NaiveDate,
    st: &ProcState,
) -> Result<EntryPlan, String> {
    let code = entry.code.as_str();
    let at = |msg: String| format!("quyết định {number}, dòng {line}, thủ tục {code}: {msg}");
    if st.abolished {
        return Err(at(
            "thủ tục đã bị bãi bỏ, mã không được dùng lại / procedure already abolished".into(),
        ));
    }
    let new_content = |st: &ProcState| -> Result<(ProcedureContent, Option<i64>), String> {
        if let Some(c) = &entry.content {
            let mut c = c.clone();
            c.normalise();
            return Ok((c, st.draft.as_ref().map(|d| d.0)));
        }
        match &st.draft {
            Some((seq, c)) => Ok((c.clone(), Some(*seq))),
            None => Err(at("không có nội dung trong quyết định và không có dự thảo để công bố / no content and no draft to publish".into())),
        }
    };
    match entry.kind {
        ChangeKind::Abolished | ChangeKind::Annulled => {
            let Some((seq, from, _)) = &st.current else {
                return Err(at(
                    "không có phiên bản đang có hiệu lực để bãi bỏ / nothing in force to abolish"
                        .into(),
                ));
            };
            if effective <= *from {
                return Err(at(format!(
                    "ngày bãi bỏ {effective} không sau ngày có hiệu lực {from} / abolition must follow the version's start"
                )));
            }
            Ok(EntryPlan {
                create_procedure: false,
                close: Some(Close {
                    seq: *seq,
                    valid_to: version::day_before(effective),
                    status: VersionStatus::Abolished,
                }),
                publish: None,
                abolish: true,
            })
        }
        ChangeKind::New => {
            if st.current.is_some() {
                return Err(at("thủ tục đã tồn tại và đang có hiệu lực; dùng «sửa đổi, bổ sung» / already in force".into()));
            }
            let (content, draft_seq) = new_content(st)?;
            Ok(EntryPlan {
                create_procedure: !st.exists,
                close: None,
                publish: Some(Publish {
                    seq: draft_seq.unwrap_or(st.max_seq + 1),
                    from_draft: draft_seq.is_some(),
                    content,
                    valid_from: effective,
                    changed_components: vec![],
                }),
                abolish: false,
            })
        }
        ChangeKind::Amended | ChangeKind::Replaced => {
            let Some((cur_seq, cur_from, cur_content)) = &st.current else {
                if entry.kind == ChangeKind::Replaced && !st.exists {
                    // A replacing procedure with a new code: created like a new one.
                    let (content, _) = new_content(st)?;
                    return Ok(EntryPlan {
                        create_procedure: true,
                        close: None,
                        publish: Some(Publish {
                            seq: 1,
                            from_draft: false,
                            content,
                            valid_from: effective,
                            changed_components: vec![],
                        }),
                        abolish: false,
                    });
                }
                return Err(at(
                    "không có phiên bản đang có hiệu lực để sửa đổi / nothing in force to amend"
                        .into(),
                ));
            };
            version::check_follows(code, *cur_seq, *cur_from, effective)
                .map_err(|e| at(e.to_string()))?;
            let (content, draft_seq) = new_content(st)?;
            let changed = if entry.changed_components.is_empty() {
                diff::changed_components(&diff::diff(cur_content, &content))
            } else {
                entry.changed_components.clone()
            };
            Ok(EntryPlan {
                create_procedure: false,
                close: Some(Close {
                    seq: *cur_seq,
                    valid_to: version::day_before(effective),
                    status: VersionStatus::Superseded,
                }),
                publish: Some(Publish {
                    seq: draft_seq.unwrap_or(st.max_seq + 1),
                    from_draft: draft_seq.is_some(),
                    content,
                    valid_from: effective,
                    changed_components: changed,
                }),
                abolish: false,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use thutuc_domain::TthcCode;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }
    fn entry(kind: ChangeKind, content: Option<ProcedureContent>) -> DecisionEntry {
        DecisionEntry {
            kind,
            code: TthcCode::parse("1.000080").expect("code"),
            name: String::new(),
            legal_document: None,
            effective_date: None,
            changed_components: vec![],
            internal: false,
            replaces: None,
            content,
        }
    }
    fn named(n: &str) -> ProcedureContent {
        ProcedureContent {
            name: n.into(),
            ..Default::default()
        }
    }

    #[test]
    fn amending_closes_the_current_version_the_day_before() {
        let st = ProcState {
            exists: true,
            current: Some((1, d("2025-01-01"), named("A"))),
            max_seq: 1,
            ..Default::default()
        };
        let p = plan_entry(
            "1/QĐ",
            1,
            &entry(ChangeKind::Amended, Some(named("B"))),
            d("2025-07-01"),
            &st,
        )
        .expect("plan");
        assert_eq!(
            p.close,
            Some(Close {
                seq: 1,
                valid_to: d("2025-06-30"),
                status: VersionStatus::Superseded
            })
        );
        let publish = p.publish.expect("publish");
        assert_eq!(publish.seq, 2);
        assert_eq!(publish.changed_components, vec!["Tên thủ tục".to_string()]);
    }

    #[test]
    fn an_amendment_without_content_publishes_the_open_draft() {
        let st = ProcState {
            exists: true,
            current: Some((1, d("2025-01-01"), named("A"))),
            draft: Some((2, named("B"))),
            max_seq: 2,
            ..Default::default()
        };
        let p = plan_entry(
            "1/QĐ",
            1,
            &entry(ChangeKind::Amended, None),
            d("2025-07-01"),
            &st,
        )
        .expect("plan");
        let publish = p.publish.expect("publish");
        assert!(publish.from_draft);
        assert_eq!((publish.seq, publish.content.name.as_str()), (2, "B"));
    }

    #[test]
    fn abolishing_an_abolished_procedure_is_refused() {
        let st = ProcState {
            exists: true,
            abolished: true,
            ..Default::default()
        };
        let err = plan_entry(
            "1/QĐ",
            3,
            &entry(ChangeKind::Abolished, None),
            d("2025-07-01"),
            &st,
        )
        .expect_err("refused");
        assert!(err.contains("dòng 3"), "{err}");
    }

    #[test]
    fn a_new_entry_for_a_procedure_in_force_is_refused() {
        let st = ProcState {
            exists: true,
            current: Some((1, d("2025-01-01"), named("A"))),
            max_seq: 1,
            ..Default::default()
        };
        assert!(
            plan_entry(
                "1/QĐ",
                1,
                &entry(ChangeKind::New, Some(named("A"))),
                d("2025-07-01"),
                &st
            )
            .is_err()
        );
    }

    #[test]
    fn an_amendment_effective_before_the_current_start_overlaps() {
        let st = ProcState {
            exists: true,
            current: Some((1, d("2025-08-01"), named("A"))),
            max_seq: 1,
            ..Default::default()
        };
        let err = plan_entry(
            "1/QĐ",
            1,
            &entry(ChangeKind::Amended, Some(named("B"))),
            d("2025-07-01"),
            &st,
        )
        .expect_err("overlap");
        assert!(err.contains("chồng lấn"), "{err}");
    }
}
