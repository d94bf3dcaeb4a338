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
    /// Feedback reply deadlines (`[feedback]`): the default and per-agency overrides.
    #[serde(default)]
    pub feedback: FeedbackConfig,
}

/// `[feedback]`: reply deadlines of feedback items (phản ánh, kiến nghị) in working days,
/// each with its legal source. The 05-working-day transfer of items outside the receiver's
/// competence is law (Decree 20/2008/NĐ-CP Art 9) and is not configurable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedbackConfig {
    /// Working days to reply, for agencies without an override.
    pub reply_days: i64,
    /// Legal source (or "cấu hình") of `reply_days`.
    pub reply_source: String,
    /// Working days an extension may add at most.
    pub max_extension_days: i64,
    /// What a transfer does to the reply clock: `restart` or `continue`.
    pub on_transfer: thutuc_domain::feedback::ClockOnTransfer,
    /// Calendar days after the answer during which the sender may reopen.
    pub reopen_window_days: u32,
    /// Escalation ladder (working days overdue → `agency_leader` / `working_group`).
    pub escalation: Vec<thutuc_domain::feedback::EscalationStep>,
    /// Overrides by agency id (`[feedback.agencies.BCT]`).
    pub agencies: std::collections::BTreeMap<String, FeedbackAgencyConfig>,
}

/// `[feedback.agencies.ID]`: one agency's reply deadline; `reply_days` and `reply_source` are
/// required, the other keys default to the `[feedback]` values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedbackAgencyConfig {
    /// Working days to reply.
    pub reply_days: i64,
    /// Legal source of `reply_days` (circular, decision…).
    pub reply_source: String,
    /// Overrides `feedback.max_extension_days`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_extension_days: Option<i64>,
    /// Overrides `feedback.on_transfer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_transfer: Option<thutuc_domain::feedback::ClockOnTransfer>,
    /// Overrides `feedback.reopen_window_days`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reopen_window_days: Option<u32>,
}

impl Default for FeedbackConfig {
    fn default() -> Self {
        let d = thutuc_domain::feedback::DeadlinePolicy::default();
        Self {
            reply_days: d.reply_days,
            reply_source: d.reply_source,
            max_extension_days: d.max_extension_days,
            on_transfer: d.on_transfer,
            reopen_window_days: d.reopen_window_days,
            escalation: d.escalation,
            agencies: std::collections::BTreeMap::new(),
        }
    }
}

impl FeedbackConfig {
    /// The validated policy book; an error names the offending key.
    pub fn deadline_config(&self) -> anyhow::Result<thutuc_domain::feedback::DeadlineConfig> {
        use thutuc_domain::feedback::{DeadlineConfig, DeadlinePolicy};
        fn check(key: &str, days: i64, source: &str, ext: i64) -> anyhow::Result<()> {
            if !(1..=365).contains(&days) {
                anyhow::bail!(
                    "{key}.reply_days = {days}: phải từ 1 đến 365 ngày làm việc / must be 1 to 365 working days"
                );
            }
            if source.trim().is_empty() {
                anyhow::bail!(
                    "{key}.reply_source: cần ghi căn cứ pháp lý của thời hạn / the legal source of the deadline is required"
                );
            }
            if !(0..=365).contains(&ext) {
                anyhow::bail!(
                    "{key}.max_extension_days = {ext}: phải từ 0 đến 365 / must be 0 to 365"
                );
            }
            Ok(())
        }
        check(
            "feedback",
            self.reply_days,
            &self.reply_source,
            self.max_extension_days,
        )?;
        let mut last = 0;
        for (n, step) in self.escalation.iter().enumerate() {
            if step.after_overdue_days < 1 || step.after_overdue_days <= last {
                anyhow::bail!(
                    "feedback.escalation[{n}].after_overdue_days = {}: phải tăng dần và ≥ 1 / must increase and be ≥ 1",
                    step.after_overdue_days
                );
            }
            last = step.after_overdue_days;
        }
        let base = DeadlinePolicy {
            reply_days: self.reply_days,
            reply_source: self.reply_source.trim().to_string(),
            max_extension_days: self.max_extension_days,
            on_transfer: self.on_transfer,
            reopen_window_days: self.reopen_window_days,
            escalation: self.escalation.clone(),
            ..DeadlinePolicy::default()
        };
        let mut agencies = std::collections::BTreeMap::new();
        for (id, a) in &self.agencies {
            let key = format!("feedback.agencies.{id}");
            let ext = a.max_extension_days.unwrap_or(self.max_extension_days);
            check(&key, a.reply_days, &a.reply_source, ext)?;
            agencies.insert(
                id.clone(),
                DeadlinePolicy {
                    reply_days: a.reply_days,
                    reply_source: a.reply_source.trim().to_string(),
                    max_extension_days: ext,
                    on_transfer: a.on_transfer.unwrap_or(self.on_transfer),
                    reopen_window_days: a.reopen_window_days.unwrap_or(self.reopen_window_days),
                    ..base.clone()
                },
            );
        }
        Ok(DeadlineConfig {
            default: base,
            agencies,
        })
    }
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
            feedback: FeedbackConfig::default(),
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
        let cfg: Self = fig
            .extract()
            .map_err(|e| anyhow::anyhow!("cấu hình không hợp lệ / invalid configuration: {e}"))?;
        cfg.feedback
            .deadline_config()
            .map_err(|e| anyhow::anyhow!("cấu hình không hợp lệ / invalid configuration: {e}"))?;
        Ok(cfg)
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
        let fb = cfg.feedback.deadline_config().expect("feedback");
        assert_eq!(
            fb.default,
            thutuc_domain::feedback::DeadlinePolicy::default()
        );
        let bct = fb.for_agency("BCT");
        assert_eq!((bct.reply_days, bct.transfer_days), (10, 5));
        assert!(bct.reply_source.contains("11/2014/TT-BCT"));
    }

    #[test]
    fn feedback_defaults_are_todays_behaviour() {
        let fb = Config::default()
            .feedback
            .deadline_config()
            .expect("feedback");
        assert_eq!(fb, thutuc_domain::feedback::DeadlineConfig::default());
    }

    fn with(toml: &str) -> anyhow::Result<Config> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("t.toml");
        std::fs::write(&path, toml)?;
        Config::load(Some(path.to_str().unwrap_or_default()))
    }

    #[test]
    fn feedback_validation_errors_name_the_key() {
        let err = |t: &str| with(t).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err("[feedback]\nreply_days = 0\n").contains("feedback.reply_days"));
        assert!(
            err("[feedback.agencies.BYT]\nreply_days = 20\nreply_source = \" \"\n")
                .contains("feedback.agencies.BYT.reply_source")
        );
        assert!(err("[feedback.agencies.BYT]\nreply_source = \"TT\"\n").contains("reply_days"));
        // The 05-day transfer is law: not a key.
        assert!(err("[feedback]\ntransfer_days = 7\n").contains("transfer_days"));
        assert!(
            err("[feedback]\nescalation = [{ after_overdue_days = 5, level = \"agency_leader\" }, { after_overdue_days = 2, level = \"working_group\" }]\n")
                .contains("feedback.escalation[1]")
        );
        let ok = with("[feedback]\nreply_days = 12\nreply_source = \"QĐ 1\"\n[feedback.agencies.BYT]\nreply_days = 20\nreply_source = \"TT 2\"\nreopen_window_days = 10\n")
            .expect("valid");
        let fb = ok.feedback.deadline_config().expect("fb");
        assert_eq!(fb.for_agency("BTP").reply_days, 12);
        assert_eq!(fb.for_agency("BYT").reopen_window_days, 10);
        assert_eq!(fb.for_agency("BYT").max_extension_days, 10);
    }
}
