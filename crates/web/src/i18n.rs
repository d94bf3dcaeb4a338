//! Interface language: Vietnamese by default, English on request (`?lang=en`, remembered in a
//! cookie). Every UI string lives in [`STRINGS`] in both languages; published content (names,
//! steps, legal text, diff sentences) is shown as published.

use std::collections::HashMap;
use std::sync::LazyLock;

mod feedback_strings;
mod import_strings;
mod stats_strings;
mod strings;
mod tasks_strings;
pub use strings::STRINGS;

/// Every string table: the shell's, then one per feature (tasks, feedback, …) so that
/// features add their strings in their own file.
pub static TABLES: &[&[(&str, &str, &str)]] = &[
    STRINGS,
    stats_strings::STRINGS,
    feedback_strings::STRINGS,
    tasks_strings::STRINGS,
    import_strings::STRINGS,
];

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Tiếng Việt.
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// Parses `vi` / `en`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "vi" => Some(Self::Vi),
            "en" => Some(Self::En),
            _ => None,
        }
    }
    /// The BCP 47 code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Vi => "vi",
            Self::En => "en",
        }
    }
    /// The other language (for the switch link).
    pub fn other(self) -> Self {
        match self {
            Self::Vi => Self::En,
            Self::En => Self::Vi,
        }
    }
    /// Translates a key; an unknown key comes back as itself (a unit test forbids that).
    pub fn t(self, key: &str) -> &'static str {
        match TABLE.get(key) {
            Some((vi, en)) => match self {
                Self::Vi => vi,
                Self::En => en,
            },
            None => {
                tracing::warn!(key, "missing UI string");
                "?"
            }
        }
    }
}

static TABLE: LazyLock<HashMap<&'static str, (&'static str, &'static str)>> = LazyLock::new(|| {
    TABLES
        .iter()
        .flat_map(|t| t.iter())
        .map(|(k, v, e)| (*k, (*v, *e)))
        .collect()
});

/// True when a key exists (used by tests that scan the templates).
pub fn has_key(key: &str) -> bool {
    TABLE.contains_key(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_unique_and_translated() {
        let mut seen = std::collections::HashSet::new();
        for (k, vi, en) in TABLES.iter().flat_map(|t| t.iter()) {
            assert!(seen.insert(*k), "duplicate key {k}");
            assert!(!vi.is_empty() && !en.is_empty(), "empty string for {k}");
        }
    }

    #[test]
    fn every_key_used_in_templates_and_pages_exists() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"));
        let mut missing = Vec::new();
        for dir in ["templates", "src/pages"] {
            for entry in std::fs::read_dir(format!("{root}/{dir}")).expect("dir") {
                let path = entry.expect("entry").path();
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for part in text.split(".t(\"").skip(1) {
                    let key = part.split('"').next().unwrap_or_default();
                    if !key.is_empty() && !has_key(key) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "missing UI strings: {missing:?}");
    }

    #[test]
    fn english_is_the_other_language() {
        assert_eq!(Lang::Vi.other(), Lang::En);
        assert_eq!(Lang::En.t("nav.home"), "Home");
        assert_eq!(Lang::Vi.t("nav.home"), "Trang chủ");
    }
}
