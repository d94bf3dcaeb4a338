//! Display formats of the portal: dates dd/mm/yyyy, times in Vietnam (UTC+7), money as
//! `1.000.000 đ`, and translated labels of domain enums.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use thutuc_domain::procedure::{ChannelMethod, Duration, Fee, TimeUnit};
use thutuc_domain::version::{ChangeKind, VersionStatus};

use crate::i18n::Lang;

/// `dd/mm/yyyy`.
pub fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// `dd/mm/yyyy` or empty.
pub fn opt_date(d: Option<NaiveDate>) -> String {
    d.map(date).unwrap_or_default()
}

/// `dd/mm/yyyy HH:MM` in Vietnam time.
pub fn datetime(t: DateTime<Utc>) -> String {
    let vn = FixedOffset::east_opt(7 * 3600)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("0 is a valid offset"));
    t.with_timezone(&vn).format("%d/%m/%Y %H:%M").to_string()
}

/// Today in Vietnam.
pub fn today_vn() -> NaiveDate {
    let vn = FixedOffset::east_opt(7 * 3600)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("0 is a valid offset"));
    Utc::now().with_timezone(&vn).date_naive()
}

/// Parses `dd/mm/yyyy` or `yyyy-mm-dd` (the value of `<input type=date>`).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .ok()
}

/// Integer with dots for thousands: `1.000.000`.
pub fn number(n: impl std::borrow::Borrow<i64>) -> String {
    let s = thutuc_domain::diff::money_vi(*n.borrow(), "VND");
    s.trim_end_matches(" đ").to_string()
}

/// A time limit in the interface language.
pub fn duration(lang: Lang, d: &Option<Duration>) -> String {
    match d {
        None => lang.t("proc.none").to_string(),
        Some(d) => {
            let v = if d.value.fract() == 0.0 {
                format!("{}", d.value as i64)
            } else {
                format!("{}", d.value).replace('.', ",")
            };
            format!("{v} {}", lang.t(unit_key(d.unit)))
        }
    }
}

/// UI key of a time unit.
pub fn unit_key(u: TimeUnit) -> &'static str {
    match u {
        TimeUnit::WorkingDay => "unit.working_day",
        TimeUnit::CalendarDay => "unit.calendar_day",
        TimeUnit::Hour => "unit.hour",
        TimeUnit::Month => "unit.month",
        TimeUnit::Year => "unit.year",
        TimeUnit::Unknown => "unit.unknown",
    }
}

/// UI key of a channel.
pub fn method_key(m: ChannelMethod) -> &'static str {
    match m {
        ChannelMethod::Direct => "method.direct",
        ChannelMethod::Online => "method.online",
        ChannelMethod::Postal => "method.postal",
    }
}

/// Fees of a channel as one line.
pub fn fees(lang: Lang, fees: &[Fee]) -> String {
    if fees.is_empty() {
        return lang.t("proc.none").to_string();
    }
    fees.iter()
        .map(|f| {
            let amount = match f.amount {
                Some(0) if f.defined_elsewhere => lang.t("proc.fee_elsewhere").to_string(),
                Some(0) => lang.t("proc.free").to_string(),
                Some(a) => thutuc_domain::diff::money_vi(a, &f.currency),
                None if f.defined_elsewhere => lang.t("proc.fee_elsewhere").to_string(),
                None => String::new(),
            };
            let per = f
                .per
                .as_deref()
                .map(|p| format!("/{p}"))
                .unwrap_or_default();
            let desc = if f.description.is_empty() {
                String::new()
            } else if amount.is_empty() {
                f.description.clone()
            } else {
                format!(" ({})", f.description)
            };
            format!("{amount}{per}{desc}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// UI key of a version status.
pub fn status_key(s: VersionStatus) -> &'static str {
    match s {
        VersionStatus::Draft => "vstatus.draft",
        VersionStatus::InReview => "vstatus.in_review",
        VersionStatus::Published => "vstatus.published",
        VersionStatus::Superseded => "vstatus.superseded",
        VersionStatus::Abolished => "vstatus.abolished",
    }
}

/// UI key of a change kind.
pub fn kind_key(k: ChangeKind) -> &'static str {
    match k {
        ChangeKind::New => "kind.new",
        ChangeKind::Amended => "kind.amended",
        ChangeKind::Replaced => "kind.replaced",
        ChangeKind::Abolished => "kind.abolished",
        ChangeKind::Annulled => "kind.annulled",
    }
}

/// UI key of a level identifier (`ministry`, …).
pub fn level_key(l: &str) -> &'static str {
    match l {
        "ministry" => "level.ministry",
        "province" => "level.province",
        "district" => "level.district",
        "commune" => "level.commune",
        _ => "level.other",
    }
}

/// UI key of a role.
pub fn role_key(r: thutuc_domain::access::Role) -> &'static str {
    use thutuc_domain::access::Role;
    match r {
        Role::Admin => "role.admin",
        Role::Oversight => "role.oversight",
        Role::Officer => "role.officer",
        Role::Leader => "role.leader",
    }
}

/// URL path segment for a document or decision number (`163/QĐ-BTP` → `163/Q%C4%90-BTP`).
pub fn path_enc(s: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    s.split('/')
        .map(|p| percent_encoding::utf8_percent_encode(p, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// Query-string encoding.
pub fn q_enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_money_are_vietnamese() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 5).expect("date");
        assert_eq!(date(d), "05/03/2026");
        assert_eq!(number(1_000_000), "1.000.000");
        assert_eq!(parse_date("05/03/2026"), Some(d));
        assert_eq!(parse_date("2026-03-05"), Some(d));
    }

    #[test]
    fn fees_distinguish_free_from_defined_elsewhere() {
        let fee = |amount, elsewhere| Fee {
            kind: Default::default(),
            amount,
            currency: "VND".into(),
            per: None,
            description: String::new(),
            defined_elsewhere: elsewhere,
        };
        assert_eq!(fees(Lang::Vi, &[fee(Some(0), false)]), "Miễn phí");
        assert!(fees(Lang::Vi, &[fee(Some(0), true)]).starts_with("Theo quy định riêng"));
        assert_eq!(fees(Lang::Vi, &[fee(Some(50_000), false)]), "50.000 đ");
    }

    #[test]
    fn numbers_with_slashes_stay_readable_in_paths() {
        assert_eq!(path_enc("163/QĐ-BTP"), "163/Q%C4%90-BTP");
    }
}
