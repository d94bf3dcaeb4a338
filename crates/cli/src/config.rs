//! Configuration: built-in defaults, then `thutuc.toml` (or `--config FILE`), then
//! `THUTUC_*` environment variables (`THUTUC_DB`, `THUTUC_LISTEN`, nested keys with `__`,
//! e.g. `THUTUC_PUBLICATION__MINISTRY_LEAD__DAYS=15`), then command-line flags.
//! Legal parameters carry their source; see `docs/CONFIGURATION.md`.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use thutuc_domain::calendar::CalendarRules;
use thutuc_domain::params::PublicationRules;

/// The whole configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Config {
    /// Database URL: `sqlite://path` (default `./thutuc-data/thutuc.db`) or `postgres://…`.
    pub db: String,
    /// Listen address.
    pub listen: String,
    /// Publication and posting deadlines with their legal sources.
    pub publication: PublicationRules,
    /// Calendar rules (switchable holidays, Tết span) with sources.
    pub calendar: CalendarRules,
    /// Extra calendar notice rows (CSV files in the notice format) loaded on start.
    #[serde(default)]
    pub calendar_notice_files: Vec<String>,
    /// Directory of the server's search index (memory-mapped, rebuilt from the database at
    /// start); empty keeps the index in RAM.
    #[serde(default)]
    pub search_dir: String,
    /// Outgoing mail (`[mail]`): transport URL and sender.
    #[serde(default)]
    pub mail: thutuc_jobs::MailConfig,
    /// Background jobs (`[jobs]`): tick, retries, the monthly report edition.
    #[serde(default)]
    pub jobs: JobsConfig,
}

/// `[jobs]`: the scheduler of sweeps and the outbox worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct JobsConfig {
    /// Seconds between ticks (sweeps, then mail delivery); 0 disables background jobs.
    pub tick_secs: u64,
    /// Mail retry policy.
    pub delivery: thutuc_jobs::DeliveryPolicy,
    /// When the monthly report edition is frozen and for which scopes; absent disables it.
    pub monthly_edition: Option<thutuc_reports::edition::EditionSchedule>,
    /// Place printed on generated documents.
    pub place: String,
    /// Task reminders and escalation: working days before the deadline, overdue interval,
    /// escalation thresholds.
    pub task_reminders: thutuc_domain::tasks::ReminderPolicy,
}

impl Default for JobsConfig {
    fn default() -> Self {
        Self {
            tick_secs: 30,
            delivery: thutuc_jobs::DeliveryPolicy::default(),
            monthly_edition: Some(thutuc_reports::edition::EditionSchedule {
                day_of_month: 5,
                scopes: vec![String::new()],
                basis: Default::default(),
                recheck_months: 2,
            }),
            place: "Hà Nội".into(),
            task_reminders: thutuc_domain::tasks::ReminderPolicy::default(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            db: "sqlite://thutuc-data/thutuc.db".into(),
            listen: "127.0.0.1:8080".into(),
            publication: PublicationRules::default(),
            calendar: CalendarRules::default(),
            calendar_notice_files: Vec::new(),
            search_dir: "thutuc-data/search-index".into(),
            mail: thutuc_jobs::MailConfig::default(),
            jobs: JobsConfig::default(),
        }
    }
}

impl Config {
    /// Loads the layered configuration.
    pub fn load(file: Option<&str>) -> anyhow::Result<Self> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(f) => {
                if !std::path::Path::new(f).exists() {
                    anyhow::bail!("không tìm thấy tệp cấu hình {f} / config file not found");
                }
                fig = fig.merge(Toml::file(f));
            }
            None => fig = fig.merge(Toml::file("thutuc.toml")),
        }
        fig = fig.merge(Env::prefixed("THUTUC_").split("__"));
        fig.extract()
            .map_err(|e| anyhow::anyhow!("cấu hình không hợp lệ / invalid configuration: {e}"))
    }

    /// The working-day calendar built from the rules, the embedded notices and extra files.
    pub fn calendar(&self) -> anyhow::Result<thutuc_domain::calendar::Calendar> {
        self.calendar_with(Vec::new())
    }

    /// The calendar with stored rows (entered or imported by officers) applied last, so they
    /// override the embedded notices for their dates.
    pub fn calendar_with(
        &self,
        stored: Vec<thutuc_domain::calendar::CalendarDay>,
    ) -> anyhow::Result<thutuc_domain::calendar::Calendar> {
        let mut rows =
            thutuc_domain::calendar::parse_notice_csv(thutuc_domain::calendar::NOTICES_CSV)?;
        for f in &self.calendar_notice_files {
            let text = std::fs::read_to_string(f).map_err(|e| anyhow::anyhow!("{f}: {e}"))?;
            rows.extend(
                thutuc_domain::calendar::parse_notice_csv(&text)
                    .map_err(|e| anyhow::anyhow!("{f}: {e}"))?,
            );
        }
        let stored_dates: std::collections::BTreeSet<_> = stored.iter().map(|d| d.date).collect();
        rows.retain(|r| !stored_dates.contains(&r.date));
        rows.extend(stored);
        Ok(thutuc_domain::calendar::Calendar::new(
            self.calendar.clone(),
            rows,
        )?)
    }
}

#[cfg(test)]
mod example_tests {
    use super::*;

    #[test]
    fn the_example_configuration_parses_and_names_every_section() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../thutuc.example.toml");
        let cfg = Config::load(Some(path)).expect("example config");
        assert_eq!(cfg.jobs.tick_secs, 30);
        assert_eq!(cfg.jobs.delivery.max_attempts, 12);
        assert_eq!(
            cfg.jobs.monthly_edition.as_ref().map(|m| m.day_of_month),
            Some(5)
        );
        assert!(cfg.mail.transport.is_empty());
        thutuc_jobs::Mailer::from_config(&cfg.mail).expect("mailer");
    }
}
