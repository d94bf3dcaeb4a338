//! `thutuc calendar …`: the working-day calendar from the command line.

use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};
use thutuc_domain::calendar;

use thutuc_store::Store;

use crate::config::Config;

/// Output format for holiday lists.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ListFormat {
    /// Aligned text.
    Text,
    /// CSV in the notice format (date,kind,name_vi,source).
    Csv,
    /// JSON array.
    Json,
}

/// Calendar commands.
#[derive(Subcommand, Debug)]
pub enum CalendarCmd {
    /// Gregorian date of Tết Nguyên đán (ISO).
    Tet {
        /// Year, 1900–2100.
        year: i32,
    },
    /// Lunar date of a solar date.
    Lunar {
        /// YYYY-MM-DD.
        date: String,
    },
    /// Non-working weekdays and swapped working Saturdays of a year, with names and sources.
    Holidays {
        /// Year.
        #[arg(long)]
        year: i32,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
    },
    /// The N-th working day after a date.
    AddWorkingDays {
        /// YYYY-MM-DD.
        date: String,
        /// N ≥ 0.
        n: i64,
    },
    /// Working days in (FROM, TO].
    Between {
        /// YYYY-MM-DD.
        from: String,
        /// YYYY-MM-DD.
        to: String,
    },
    /// Load a notice CSV (date,kind,name_vi,source) into the database, checked against the calendar.
    Import {
        /// CSV file.
        file: String,
    },
}

fn date(s: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        anyhow::anyhow!("ngày «{s}» phải có dạng YYYY-MM-DD / date must be YYYY-MM-DD")
    })
}

/// Loads a notice CSV into the database after checking it against the whole calendar: the
/// rows then override the embedded notices for their dates (servers pick them up on start).
pub async fn import<S: Store>(store: &S, cfg: &Config, file: &str) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("{file}: {e}"))?;
    let rows = calendar::parse_notice_csv(&text).map_err(|e| anyhow::anyhow!("{file}: {e}"))?;
    let mut stored = store.calendar_days().await?;
    let new_dates: std::collections::BTreeSet<_> = rows.iter().map(|r| r.date).collect();
    stored.retain(|r| !new_dates.contains(&r.date));
    stored.extend(rows.iter().cloned());
    cfg.calendar_with(stored)
        .map_err(|e| anyhow::anyhow!("{file}: {e}"))?;
    store.upsert_calendar_days(&rows, "cli").await?;
    let years: std::collections::BTreeSet<i32> = rows
        .iter()
        .map(|r| chrono::Datelike::year(&r.date))
        .collect();
    println!(
        "{file}: đã nạp {} dòng cho năm {:?} / loaded {} rows",
        rows.len(),
        years,
        rows.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs a calendar command against the calendar in force (configuration + stored rows).
pub async fn run<S: Store>(store: &S, cfg: &Config, cmd: CalendarCmd) -> anyhow::Result<ExitCode> {
    let cal = cfg.calendar_with(store.calendar_days().await?)?;
    match cmd {
        CalendarCmd::Tet { year } => println!("{}", calendar::tet(year)?),
        CalendarCmd::Lunar { date: d } => {
            let l = calendar::solar_to_lunar(date(&d)?)?;
            println!(
                "{:04}-{:02}-{:02}{}",
                l.year,
                l.month,
                l.day,
                if l.leap { " (nhuận / leap)" } else { "" }
            );
        }
        CalendarCmd::Holidays { year, format } => {
            if !(calendar::lunar::MIN_YEAR..=calendar::lunar::MAX_YEAR).contains(&year) {
                anyhow::bail!("năm {year} ngoài phạm vi 1900–2100 / year out of range");
            }
            let days = cal.holidays(year);
            match format {
                ListFormat::Json => println!("{}", serde_json::to_string_pretty(&days)?),
                ListFormat::Csv => {
                    println!("date,kind,name_vi,source");
                    for d in days {
                        let kind = serde_json::to_value(d.kind)?
                            .as_str()
                            .unwrap_or_default()
                            .to_string();
                        println!(
                            "{},{},\"{}\",\"{}\"",
                            d.date,
                            kind,
                            d.name_vi.replace('"', "\"\""),
                            d.source.replace('"', "\"\"")
                        );
                    }
                }
                ListFormat::Text => {
                    for d in days {
                        println!(
                            "{}  {:<16} {}  [{}]",
                            d.date.format("%d/%m/%Y %a"),
                            format!("{:?}", d.kind),
                            d.name_vi,
                            d.source
                        );
                    }
                }
            }
        }
        CalendarCmd::AddWorkingDays { date: d, n } => {
            if n < 0 {
                anyhow::bail!("số ngày phải ≥ 0 / N must not be negative");
            }
            println!("{}", cal.add_working_days(date(&d)?, n)?);
        }
        CalendarCmd::Between { from, to } => {
            println!("{}", cal.working_days_between(date(&from)?, date(&to)?)?)
        }
        CalendarCmd::Import { file } => return import(store, cfg, &file).await,
    }
    Ok(ExitCode::SUCCESS)
}
