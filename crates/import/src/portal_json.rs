//! Format `portal-json`: national portal API responses (`get-formality-by-citizen`), one
//! typed object per line.
//!
//! Mappings that are choices, not facts:
//! - fee `type` `SERVICE_FEE` → [`FeeKind::Charge`] (phí, a charge for a service), `FEE` →
//!   [`FeeKind::StateFee`] (lệ phí); anything else → `Unspecified`.
//! - `processingTimeUnit` / `processingDay.type`: `WORKING_DAY` → working days, `DAY` →
//!   calendar days, `HOUR` → hours, `MONTH`, `YEAR`; an unknown unit is kept as `Unknown`
//!   and flagged.
//! - `cases[].processingDay` goes on the [`DossierCase`] whose name matches (accent- and
//!   case-insensitive); cases with no matching execution case are added as cases of their own
//!   (the portal's execution cases are often unnamed).

use std::io::BufRead;

use serde_json::Value;
use thutuc_domain::ProcedureContent;
use thutuc_domain::codes::normalize_doc_number;
use thutuc_domain::procedure::{
    AgencyRef, Channel, ChannelMethod, DossierCase, DossierComponent, Duration, Fee, FeeKind,
    LegalBasis, Level, ProcedureKind, ResultDoc, Step, TimeUnit,
};
use thutuc_domain::text::match_key;

use crate::cells::finish_fee;
use crate::jsonl::{JsonLines, str_field};
use crate::record::{
    DetailLevel, DuplicateGuard, FieldProblem, ParsedRecord, Rejection, clean_decision_no,
    parse_code,
};
use crate::text_fields;

/// Streams portal API responses (JSON Lines) as records.
pub fn read_portal_json<R: BufRead>(
    reader: R,
) -> impl Iterator<Item = Result<ParsedRecord, Rejection>> {
    let mut guard = DuplicateGuard::default();
    JsonLines::new(reader).map(move |(line, v)| {
        v.and_then(|v| parse_api(line, &v))
            .and_then(|r| guard.filter(r))
    })
}

fn arr<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn flag(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn unit(s: &str) -> TimeUnit {
    match s {
        "WORKING_DAY" => TimeUnit::WorkingDay,
        "DAY" => TimeUnit::CalendarDay,
        "HOUR" => TimeUnit::Hour,
        "MONTH" => TimeUnit::Month,
        "YEAR" => TimeUnit::Year,
        _ => TimeUnit::Unknown,
    }
}

fn duration(
    value: Option<f64>,
    unit_s: &str,
    field: &str,
    problems: &mut Vec<FieldProblem>,
) -> Option<Duration> {
    let value = value?;
    let u = unit(unit_s);
    if u == TimeUnit::Unknown {
        problems.push(FieldProblem {
            field: field.into(),
            message: "unit-unknown: đơn vị thời hạn không rõ / unknown time unit".into(),
            original: unit_s.into(),
        });
    }
    Some(Duration { value, unit: u })
}

fn named(list: &[Value]) -> Vec<AgencyRef> {
    list.iter()
        .map(|d| AgencyRef {
            name: str_field(d, "name").to_string(),
            org_id: None,
        })
        .collect()
}

/// Parses one API object.
pub fn parse_api(line: usize, v: &Value) -> Result<ParsedRecord, Rejection> {
    let raw_code = [str_field(v, "codeNotation"), str_field(v, "code")]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or("");
    let (code, repair) = parse_code(raw_code, "code").map_err(|reason| Rejection {
        line,
        code: Some(raw_code.to_string()),
        field: "code".into(),
        column: None,
        reason,
    })?;
    let mut problems: Vec<FieldProblem> = repair.into_iter().collect();
    let mut c = ProcedureContent {
        name: str_field(v, "name").to_string(),
        description: str_field(v, "description").to_string(),
        sector: arr(v, "categoriesDetails")
            .iter()
            .map(|d| str_field(d, "name"))
            .collect::<Vec<_>>()
            .join(", "),
        subjects: arr(v, "subjectTypesDetails")
            .iter()
            .map(|d| str_field(d, "name").to_string())
            .collect(),
        executing_agency: named(arr(v, "departmentsExecuting")),
        competent_authority: named(arr(v, "departmentsAuthority")),
        coordinating_agency: named(arr(v, "departmentsCoordinating")),
        receiving_address: str_field(v, "dossierReceivingAddresses").to_string(),
        requirements: str_field(v, "requirementsAndConditions").to_string(),
        non_territorial: flag(v, "isNonTerritorial"),
        ..Default::default()
    };
    if c.executing_agency.is_empty() {
        c.executing_agency = text_fields::agencies(str_field(v, "executingAgencies"));
    }
    c.authorised_agency = text_fields::agencies(str_field(v, "authorizedAgencies"));
    for (key, level) in [
        ("isMinistry", Level::Ministry),
        ("isProvince", Level::Province),
        ("isWard", Level::Commune),
        ("isOtherAgency", Level::Other),
    ] {
        if flag(v, key) {
            c.levels.insert(level);
        }
    }
    c.steps = arr(v, "executionSteps")
        .iter()
        .map(|s| Step {
            title: str_field(s, "name").to_string(),
            description: str_field(s, "description").to_string(),
        })
        .collect();
    for m in arr(v, "executionMethods") {
        let method = match str_field(m, "submissionMethod") {
            "ONLINE" => ChannelMethod::Online,
            "POSTAL" => ChannelMethod::Postal,
            "DIRECT" => ChannelMethod::Direct,
            other => {
                problems.push(FieldProblem {
                    field: "executionMethods".into(),
                    message: "cách thức nộp không rõ / unknown submission method".into(),
                    original: other.into(),
                });
                continue;
            }
        };
        let time = duration(
            m.get("processingTime").and_then(Value::as_f64),
            str_field(m, "processingTimeUnit"),
            "executionMethods",
            &mut problems,
        );
        let fees = arr(m, "fees").iter().map(fee).collect();
        c.channels.push(Channel {
            method,
            time,
            fees,
            description: str_field(m, "description").to_string(),
        });
    }
    c.dossier = arr(v, "executionCases").iter().map(dossier_case).collect();
    for case in arr(v, "cases") {
        let pd = case.get("processingDay").unwrap_or(&Value::Null);
        let time = duration(
            pd.get("qty").and_then(Value::as_f64),
            str_field(pd, "type"),
            "cases",
            &mut problems,
        );
        let name = str_field(case, "name");
        match c.dossier.iter_mut().find(|d| {
            !d.name.is_empty() && match_key(&d.name) == match_key(name) && d.time.is_none()
        }) {
            Some(d) => d.time = time,
            None => c.dossier.push(DossierCase {
                name: name.to_string(),
                time,
                components: Vec::new(),
            }),
        }
    }
    c.legal_bases = arr(v, "legalBasisesDetails")
        .iter()
        .map(|b| LegalBasis {
            number: normalize_doc_number(str_field(b, "code")),
            title: str_field(b, "name").to_string(),
            article: None,
        })
        .collect();
    c.results = arr(v, "resultsDetails")
        .iter()
        .map(|r| ResultDoc {
            name: str_field(r, "name").to_string(),
            kq_code: Some(str_field(r, "code").to_string()).filter(|s| !s.is_empty()),
        })
        .collect();
    if let Some(obj) = v.as_object() {
        for (k, val) in obj {
            if let Some(s) = val.as_str().filter(|s| !s.is_empty()) {
                c.source_text.insert(k.clone(), s.to_string());
            }
        }
    }
    c.normalise();
    let proposal = v.get("procedureProposal").unwrap_or(&Value::Null);
    let decision_no = clean_decision_no(str_field(v, "decisionNo"))
        .or_else(|| clean_decision_no(str_field(proposal, "proposalNumber")));
    let issuer = proposal
        .get("issuingAgency")
        .map(|a| str_field(a, "name"))
        .unwrap_or("");
    let hint = [str_field(v, "departmentPromulgateName"), issuer]
        .into_iter()
        .find(|s| !s.is_empty())
        .map(str::to_string);
    Ok(ParsedRecord {
        line,
        code,
        kind: if flag(v, "isInternal") {
            ProcedureKind::Internal
        } else {
            ProcedureKind::External
        },
        decision_no,
        publisher_hint: hint,
        content: c,
        problems,
        detail: DetailLevel::Full,
    })
}

fn fee(f: &Value) -> Fee {
    let kind = match str_field(f, "type") {
        "SERVICE_FEE" => FeeKind::Charge,
        "FEE" => FeeKind::StateFee,
        _ => FeeKind::Unspecified,
    };
    let currency = match str_field(f, "currencyId") {
        "" => "VND".to_string(),
        other => other.to_string(),
    };
    let amount = f
        .get("value")
        .and_then(|x| x.as_i64().or_else(|| x.as_f64().map(|v| v.round() as i64)));
    let mut fee = Fee {
        kind,
        amount,
        currency,
        per: None,
        description: str_field(f, "description").to_string(),
        defined_elsewhere: false,
    };
    finish_fee(&mut fee);
    fee
}

fn dossier_case(case: &Value) -> DossierCase {
    let components = arr(case, "profileComponents")
        .iter()
        .map(|p| DossierComponent {
            name: str_field(p, "name").to_string(),
            templates: arr(p, "attachments")
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            originals: p.get("originalQty").and_then(Value::as_u64).unwrap_or(0) as u32,
            copies: p.get("copyQty").and_then(Value::as_u64).unwrap_or(0) as u32,
            required: p.get("required").and_then(Value::as_bool).unwrap_or(true),
            mode: Default::default(),
            code: Some(str_field(p, "code").to_string()).filter(|s| !s.is_empty()),
        })
        .collect();
    DossierCase {
        name: str_field(case, "name").to_string(),
        time: None,
        components,
    }
}
