//! Finding an organisation from what people write: an id (`BTP`, `P01`), an electronic id
//! (`000.00.00.G02`), a statistical code (`01`, `00004`), a name in any accent/case form with
//! or without "Tỉnh", "Thành phố", "UBND tỉnh" …, or the symbol of a decision number
//! (`163/QĐ-BTP`). Historic units can be mapped to the current ones through their successions.

use std::collections::HashMap;

use thutuc_domain::org::{OrgKind, Organisation, UnitSuccession};
use thutuc_domain::text;

/// Leading words naming the people's committee rather than the unit (folded).
const AUTHORITY_PREFIXES: &[&[&str]] = &[&["uy", "ban", "nhan", "dan"], &["ubnd"]];

/// Leading words naming the unit type (folded). Longer forms come first.
const LEVEL_PREFIXES: &[&[&str]] = &[
    &["thanh", "pho"],
    &["thi", "xa"],
    &["thi", "tran"],
    &["dac", "khu"],
    &["tp"],
    &["tinh"],
    &["xa"],
    &["phuong"],
    &["quan"],
    &["huyen"],
];

/// Trailing words that official central names carry and people drop ("Việt Nam").
const NAME_SUFFIXES: &[&[&str]] = &[&["viet", "nam"]];

/// Other spellings of an id: decision-number symbols and common abbreviations.
/// Added only when the target id exists in the indexed list.
const ALIASES: &[(&str, &str)] = &[
    ("TTg", "CP"),
    ("Thủ tướng Chính phủ", "CP"),
    ("TP.HCM", "P79"),
    ("HCM", "P79"),
];

/// A lookup index over a list of organisations (built once, queried many times).
#[derive(Debug, Clone)]
pub struct OrgIndex<'a> {
    orgs: &'a [Organisation],
    by_id: HashMap<&'a str, usize>,
    by_eid: HashMap<&'a str, usize>,
    by_code: HashMap<&'a str, Vec<usize>>,
    /// Folded ids and aliases: what a decision-number symbol may say.
    by_symbol: HashMap<String, usize>,
    /// Folded full names (and the entries of `by_symbol`).
    by_name: HashMap<String, Vec<usize>>,
    /// Folded names without their unit-type prefix or "Việt Nam" suffix.
    by_short: HashMap<String, Vec<usize>>,
    /// Old id → successors, main (or converter-default) successor first.
    successors: HashMap<&'a str, Vec<(usize, bool)>>,
}

impl<'a> OrgIndex<'a> {
    /// Indexes `orgs` by id, eid, statistical code and name.
    pub fn new(orgs: &'a [Organisation]) -> Self {
        let mut idx = OrgIndex {
            orgs,
            by_id: HashMap::with_capacity(orgs.len()),
            by_eid: HashMap::new(),
            by_code: HashMap::with_capacity(orgs.len()),
            by_symbol: HashMap::with_capacity(orgs.len()),
            by_name: HashMap::with_capacity(orgs.len()),
            by_short: HashMap::with_capacity(orgs.len()),
            successors: HashMap::new(),
        };
        for (i, o) in orgs.iter().enumerate() {
            idx.by_id.insert(o.id.as_str(), i);
            if let Some(eid) = &o.eid {
                idx.by_eid.insert(eid.as_str(), i);
            }
            if let Some(code) = &o.admin_code {
                idx.by_code.entry(code.as_str()).or_default().push(i);
            }
            idx.by_symbol.entry(text::match_key(&o.id)).or_insert(i);
            let words = words(&o.name);
            push(&mut idx.by_name, words.concat(), i);
            let short = strip_suffix(strip_prefix(&words, LEVEL_PREFIXES), NAME_SUFFIXES);
            if short.len() < words.len() && !short.is_empty() {
                push(&mut idx.by_short, short.concat(), i);
            }
        }
        for (alias, id) in ALIASES {
            if let Some(&i) = idx.by_id.get(id) {
                idx.by_symbol.entry(text::match_key(alias)).or_insert(i);
            }
        }
        for (key, &i) in &idx.by_symbol {
            let slot = idx.by_name.entry(key.clone()).or_default();
            if !slot.contains(&i) {
                slot.push(i);
            }
        }
        idx
    }

    /// Adds successions so that [`OrgIndex::match_current`] can follow them. Successions whose
    /// ids are not in the index are ignored.
    pub fn with_successions(mut self, successions: &[UnitSuccession]) -> Self {
        for s in successions {
            if let (Some((old, _)), Some(&new)) = (
                self.by_id.get_key_value(s.old.as_str()),
                self.by_id.get(s.new.as_str()),
            ) {
                self.successors
                    .entry(*old)
                    .or_default()
                    .push((new, s.partial));
            }
        }
        self
    }

    /// Every organisation the query may mean, best first: current before historic, then
    /// central bodies, provinces, districts, communes.
    ///
    /// Tiers are tried in order and the first that matches wins: exact id or eid,
    /// statistical code, full name (or folded id / alias), name without prefixes.
    pub fn candidates(&self, query: &str) -> Vec<&'a Organisation> {
        let q = text::clean_inline(query);
        if q.is_empty() {
            return Vec::new();
        }
        if let Some(&i) = self
            .by_id
            .get(q.as_str())
            .or_else(|| self.by_eid.get(q.as_str()))
        {
            return vec![&self.orgs[i]];
        }
        let mut hits: Vec<usize> = if q.bytes().all(|b| b.is_ascii_digit()) {
            self.by_code.get(q.as_str()).cloned().unwrap_or_default()
        } else {
            Vec::new()
        };
        let words = words(&q);
        let full = words.concat();
        if hits.is_empty() {
            hits = self.by_name.get(&full).cloned().unwrap_or_default();
        }
        if hits.is_empty() {
            let unit = strip_prefix(&words, AUTHORITY_PREFIXES);
            let bare = strip_prefix(unit, LEVEL_PREFIXES);
            let mut keys = vec![
                full,
                unit.concat(),
                bare.concat(),
                strip_suffix(bare, NAME_SUFFIXES).concat(),
            ];
            keys.retain(|k| !k.is_empty());
            keys.dedup();
            for k in &keys {
                for map in [&self.by_name, &self.by_short] {
                    for &i in map.get(k).into_iter().flatten() {
                        if !hits.contains(&i) {
                            hits.push(i);
                        }
                    }
                }
            }
        }
        hits.sort_by_key(|&i| (preference(&self.orgs[i]), i));
        hits.into_iter().map(|i| &self.orgs[i]).collect()
    }

    /// The organisation the query means, or `None` when nothing matches or when two equally
    /// preferred organisations match (e.g. "Xã Tân Phú", which exists in many provinces).
    pub fn find(&self, query: &str) -> Option<&'a Organisation> {
        let c = self.candidates(query);
        match c.as_slice() {
            [] => None,
            [one] => Some(one),
            [a, b, ..] => (preference(a) < preference(b)).then_some(*a),
        }
    }

    /// Like [`OrgIndex::find`], but a historic unit is replaced by its current successor
    /// (e.g. "Tỉnh Hà Giang" → Tỉnh Tuyên Quang). Needs [`OrgIndex::with_successions`].
    pub fn match_current(&self, query: &str) -> Option<&'a Organisation> {
        let found = self.find(query)?;
        self.current_successor(&found.id)
    }

    /// The current organisation that took over `id`: `id` itself when still in force; otherwise
    /// the chain of successions is followed, preferring a whole (non-partial) successor and
    /// else the first listed (the main or converter-default one).
    pub fn current_successor(&self, id: &str) -> Option<&'a Organisation> {
        let mut i = *self.by_id.get(id)?;
        for _ in 0..8 {
            let o = &self.orgs[i];
            if o.valid_to.is_none() {
                return Some(o);
            }
            let next = self.successors.get(o.id.as_str())?;
            i = next
                .iter()
                .find(|(_, partial)| !partial)
                .or_else(|| next.first())?
                .0;
        }
        None
    }

    /// The organisation whose symbol ends a decision number: `163/QĐ-BTP` → Bộ Tư pháp,
    /// `Quyết định số 6225/QĐ-BQP` → Bộ Quốc phòng, `09/2025/QĐ-TTg` → Chính phủ.
    /// `QĐ-UBND` names no particular province and gives `None`.
    pub fn issuer_from_decision_number(&self, number: &str) -> Option<&'a Organisation> {
        let cleaned = text::clean_inline(number);
        let token = cleaned
            .split_whitespace()
            .find(|t| t.contains('/') && t.contains('-'))?;
        let symbol = token.rsplit('/').next()?;
        let mut parts = symbol
            .split('-')
            .map(|p| p.trim_matches(|c: char| !c.is_alphanumeric()));
        parts.next()?; // the kind of document: QĐ, TT, NĐ …
        let issuers: Vec<&str> = parts.filter(|p| !p.is_empty()).collect();
        std::iter::once(issuers.concat())
            .chain(issuers.iter().map(|p| (*p).to_string()))
            .find_map(|p| self.by_symbol.get(&text::match_key(&p)))
            .map(|&i| &self.orgs[i])
    }
}

/// Looks up `name_or_id` (see [`OrgIndex::find`]).
pub fn match_org<'a>(orgs: &OrgIndex<'a>, name_or_id: &str) -> Option<&'a Organisation> {
    orgs.find(name_or_id)
}

/// The issuing organisation named by a decision number's symbol (see
/// [`OrgIndex::issuer_from_decision_number`]).
pub fn issuer_from_decision_number<'a>(
    orgs: &OrgIndex<'a>,
    number: &str,
) -> Option<&'a Organisation> {
    orgs.issuer_from_decision_number(number)
}

/// Sort key: current before historic, then by level (central first).
fn preference(o: &Organisation) -> (bool, u8) {
    let rank = match o.kind {
        OrgKind::Government => 0,
        OrgKind::Ministry | OrgKind::MinistryLevel | OrgKind::GovernmentAgency => 1,
        OrgKind::Province => 2,
        OrgKind::Department => 3,
        OrgKind::Unit => 4,
        OrgKind::District => 5,
        OrgKind::Commune => 6,
    };
    (o.valid_to.is_some(), rank)
}

/// Folded alphanumeric words of a name: "UBND tỉnh Hà Giang" → `["ubnd", "tinh", "ha", "giang"]`.
fn words(s: &str) -> Vec<String> {
    text::fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Drops the first of `prefixes` that starts `words`, if any.
fn strip_prefix<'w>(words: &'w [String], prefixes: &[&[&str]]) -> &'w [String] {
    prefixes
        .iter()
        .find(|p| words.len() > p.len() && words.iter().zip(p.iter()).all(|(w, p)| w == p))
        .map_or(words, |p| &words[p.len()..])
}

/// Drops the first of `suffixes` that ends `words`, if any.
fn strip_suffix<'w>(words: &'w [String], suffixes: &[&[&str]]) -> &'w [String] {
    suffixes
        .iter()
        .find(|s| {
            words.len() > s.len() && words.iter().rev().zip(s.iter().rev()).all(|(w, s)| w == s)
        })
        .map_or(words, |s| &words[..words.len() - s.len()])
}

/// Appends `i` under `key` once.
fn push(map: &mut HashMap<String, Vec<usize>>, key: String, i: usize) {
    let slot = map.entry(key).or_default();
    if !slot.contains(&i) {
        slot.push(i);
    }
}
