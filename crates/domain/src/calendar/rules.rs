//! Configuration of the statutory holiday rules (Labour Code 2019, Law 45/2019/QH14, Art 111
//! and 112). Every switch carries its legal source; rules the domain guide marks as not
//! confirmed default to off and say so, so an officer can switch them on in configuration
//! without a code change.

use chrono::Weekday;
use serde::{Deserialize, Serialize};

const ART_112: &str = "Bộ luật Lao động 2019 (Luật 45/2019/QH14) Điều 112 khoản 1";

/// A holiday on a fixed solar date every year (e.g. 30/4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedHoliday {
    /// Solar month 1..=12.
    pub month: u32,
    /// Solar day of month.
    pub day: u32,
    /// Vietnamese name, e.g. "Ngày Chiến thắng".
    pub name_vi: String,
    /// Legal source (or the report the rule rests on).
    pub source: String,
    /// Whether the rule applies at all.
    pub enabled: bool,
    /// First year the rule applies; `None` for every supported year.
    #[serde(default)]
    pub from_year: Option<i32>,
    /// False when the rule is not confirmed by a legal text.
    #[serde(default = "yes")]
    pub confirmed: bool,
}

/// A holiday on a fixed lunar date (e.g. Giỗ Tổ Hùng Vương, 10/3 âm lịch).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LunarHoliday {
    /// Lunar month 1..=12 (never the leap month).
    pub month: u8,
    /// Lunar day 1..=30.
    pub day: u8,
    /// Vietnamese name.
    pub name_vi: String,
    /// Legal source.
    pub source: String,
    /// Whether the rule applies at all.
    pub enabled: bool,
    /// First year the rule applies; `None` for every supported year.
    #[serde(default)]
    pub from_year: Option<i32>,
    /// False when the rule is not confirmed by a legal text.
    #[serde(default = "yes")]
    pub confirmed: bool,
}

/// Tết Âm lịch (lunar new year): which days around mùng 1 are the statutory days when no
/// yearly notice fixes them. The default is the last day of the old year plus the first
/// four days of the new year (5 days).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TetRule {
    /// Whether Tết is a holiday at all.
    pub enabled: bool,
    /// Days taken before mùng 1 (the last days of the old lunar year).
    pub days_before: u8,
    /// Days taken from mùng 1 on, including mùng 1.
    pub days_from_new_year: u8,
    /// Legal source.
    pub source: String,
}

/// Which day is added to 02/9 for Quốc khánh.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdjacentDay {
    /// 01/9 (the choice of 2022 and 2025).
    Before,
    /// 03/9 (the choice of 2021 and 2024).
    After,
}

/// The second National Day holiday (Art 112(1)(đ)): 02/9 plus the day before or after, fixed
/// by the Prime Minister each year. Yearly notices override this default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NationalDayRule {
    /// Whether the second day is granted.
    pub enabled: bool,
    /// The default adjacent day when no notice says otherwise.
    pub adjacent: AdjacentDay,
    /// First year with two National Day holidays (the Labour Code 2019 took effect 01/01/2021).
    pub from_year: i32,
    /// Legal source.
    pub source: String,
}

/// Nghỉ bù (Art 111(3)): a holiday on a weekly rest day is taken on the next working day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MakeUpRule {
    /// Whether make-up days are granted.
    pub enabled: bool,
    /// Legal source.
    pub source: String,
}

/// All switches that turn the legal rules into days off. Serialisable so it can live in
/// `thutuc.toml`; every field has a default, so a partial configuration works.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CalendarRules {
    /// Weekly rest days (ngày nghỉ hằng tuần); Saturday and Sunday for the civil service.
    pub weekly_rest_days: Vec<Weekday>,
    /// Holidays on fixed solar dates.
    pub fixed: Vec<FixedHoliday>,
    /// Holidays on fixed lunar dates.
    pub lunar: Vec<LunarHoliday>,
    /// Tết Âm lịch.
    pub tet: TetRule,
    /// The second National Day holiday.
    pub national_day_adjacent: NationalDayRule,
    /// Make-up days for holidays on weekly rest days.
    pub make_up: MakeUpRule,
}

fn yes() -> bool {
    true
}

fn fixed(month: u32, day: u32, name_vi: &str, point: &str, from_year: Option<i32>) -> FixedHoliday {
    FixedHoliday {
        month,
        day,
        name_vi: name_vi.into(),
        source: format!("{ART_112} điểm {point}"),
        enabled: true,
        from_year,
        confirmed: true,
    }
}

impl Default for CalendarRules {
    fn default() -> Self {
        Self {
            weekly_rest_days: vec![Weekday::Sat, Weekday::Sun],
            fixed: vec![
                fixed(1, 1, "Tết Dương lịch", "a", None),
                fixed(4, 30, "Ngày Chiến thắng", "c", Some(1976)),
                fixed(5, 1, "Ngày Quốc tế Lao động", "d", None),
                fixed(9, 2, "Quốc khánh", "đ", None),
                FixedHoliday {
                    month: 11,
                    day: 24,
                    name_vi: "Ngày Văn hóa Việt Nam".into(),
                    source: "Báo chí đưa tin là ngày nghỉ từ 2026; chưa xác nhận bằng văn bản \
                             (domain guide §12) / reported as a day off from 2026, not confirmed"
                        .into(),
                    enabled: false,
                    from_year: Some(2026),
                    confirmed: false,
                },
            ],
            lunar: vec![LunarHoliday {
                month: 3,
                day: 10,
                name_vi: "Giỗ Tổ Hùng Vương".into(),
                // A holiday since the 2007 amendment of the Labour Code.
                source: format!("{ART_112} điểm e"),
                enabled: true,
                from_year: Some(2007),
                confirmed: true,
            }],
            tet: TetRule {
                enabled: true,
                days_before: 1,
                days_from_new_year: 4,
                source: format!("{ART_112} điểm b"),
            },
            national_day_adjacent: NationalDayRule {
                enabled: true,
                adjacent: AdjacentDay::Before,
                from_year: 2021,
                source: format!("{ART_112} điểm đ"),
            },
            make_up: MakeUpRule {
                enabled: true,
                source: "Bộ luật Lao động 2019 (Luật 45/2019/QH14) Điều 111 khoản 3".into(),
            },
        }
    }
}

impl CalendarRules {
    /// True when `weekday` is a weekly rest day under these rules.
    pub fn is_rest_day(&self, weekday: Weekday) -> bool {
        self.weekly_rest_days.contains(&weekday)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_rules_survive_a_json_round_trip() {
        let rules = CalendarRules::default();
        let json = serde_json::to_string(&rules).expect("serialise");
        let back: CalendarRules = serde_json::from_str(&json).expect("deserialise");
        assert_eq!(back, rules);
    }

    #[test]
    fn a_partial_configuration_keeps_the_other_defaults() {
        let rules: CalendarRules =
            serde_json::from_str(r#"{"national_day_adjacent":{"enabled":true,"adjacent":"after","from_year":2021,"source":"x"}}"#)
                .expect("deserialise");
        assert_eq!(rules.national_day_adjacent.adjacent, AdjacentDay::After);
        assert_eq!(rules.weekly_rest_days, vec![Weekday::Sat, Weekday::Sun]);
    }

    #[test]
    fn culture_day_is_off_and_marked_unconfirmed_by_default() {
        let rules = CalendarRules::default();
        let culture = rules
            .fixed
            .iter()
            .find(|f| f.month == 11 && f.day == 24)
            .expect("listed");
        assert!(!culture.enabled && !culture.confirmed);
    }
}
