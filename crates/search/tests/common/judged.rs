//! The judged query set (`tests/judged_queries.tsv`) and the metrics computed over it,
//! shared by the quality test and the engine comparison.

use unicode_normalization::UnicodeNormalization;

/// One judged query.
#[derive(Debug, Clone)]
pub struct Judged {
    /// The query exactly as sent (NFD already applied for `nfd:` rows).
    pub query: String,
    /// Relevant codes.
    pub expected: Vec<String>,
    /// Query kind (accented, folded, nfd, code, …).
    pub kind: String,
}

/// Reads the judged query file.
pub fn load() -> Vec<Judged> {
    let text = include_str!("../judged_queries.tsv");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert!(cols.len() >= 3, "bad judged line: {l}");
            let query = match cols[0].strip_prefix("nfd:") {
                Some(q) => q.nfd().collect(),
                None => cols[0].to_string(),
            };
            Judged {
                query,
                expected: cols[1].split(',').map(|c| c.trim().to_string()).collect(),
                kind: cols[2].trim().to_string(),
            }
        })
        .collect()
}

/// Recall@5 and reciprocal rank of one ranked list.
pub fn score(expected: &[String], ranked: &[String]) -> (f64, f64) {
    let top5 = &ranked[..ranked.len().min(5)];
    let found = expected.iter().filter(|e| top5.contains(e)).count();
    let recall = found as f64 / expected.len().min(5) as f64;
    let rr = ranked
        .iter()
        .position(|c| expected.contains(c))
        .map_or(0.0, |i| 1.0 / (i as f64 + 1.0));
    (recall, rr)
}

/// Aggregate figures of one engine.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    /// Mean recall@5.
    pub recall5: f64,
    /// Mean reciprocal rank (over the top 10).
    pub mrr: f64,
    /// Queries whose recall@5 was below 1, with what came back.
    pub misses: Vec<(String, Vec<String>, Vec<String>)>,
    /// Per query kind: (sum of recall@5, queries).
    pub by_kind: std::collections::BTreeMap<String, (f64, usize)>,
}

impl Figures {
    /// "kind recall (n)" pairs, for printing.
    pub fn kinds_line(&self) -> String {
        self.by_kind
            .iter()
            .map(|(k, (sum, n))| format!("{k} {:.2} ({n})", sum / *n as f64))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Evaluates a search function (query → ranked codes, top 10) over the judged set.
pub fn evaluate(set: &[Judged], mut search: impl FnMut(&str) -> Vec<String>) -> Figures {
    let mut f = Figures::default();
    for j in set {
        let ranked = search(&j.query);
        let (r, rr) = score(&j.expected, &ranked);
        f.recall5 += r;
        f.mrr += rr;
        let e = f.by_kind.entry(j.kind.clone()).or_default();
        e.0 += r;
        e.1 += 1;
        if r < 1.0 {
            f.misses.push((
                j.query.clone(),
                j.expected.clone(),
                ranked.into_iter().take(5).collect(),
            ));
        }
    }
    f.recall5 /= set.len() as f64;
    f.mrr /= set.len() as f64;
    f
}
