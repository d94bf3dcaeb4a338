//! [`IndexDoc`]: the searchable projection of one procedure's current version, built from
//! store records ([`IndexDoc::from_version`]) or from parsed content
//! ([`IndexDoc::from_content`]), and its conversion into a tantivy document.

use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;
use thutuc_domain::TthcCode;
use thutuc_domain::org::Sector;
use thutuc_domain::procedure::{Level, ProcedureContent, ProcedureKind};
use thutuc_domain::version::{Procedure, ProcedureVersion, VersionStatus};
use thutuc_store::Localisation;

use crate::analysis::{key_term, normalise};
use crate::schema::Fields;

/// Longest secondary text kept for snippets (characters).
const SNIPPET_SOURCE_CHARS: usize = 1_500;
/// Shortest key prefix indexed for partial code / number lookups.
pub const KEY_PREFIX_MIN: usize = 4;

/// Hiệu lực: whether a procedure is in force or abolished (đã bãi bỏ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocStatus {
    /// Đang có hiệu lực.
    InForce,
    /// Đã bãi bỏ.
    Abolished,
}

impl DocStatus {
    /// Stable identifier (`in_force`, `abolished`).
    pub fn as_str(self) -> &'static str {
        match self {
            DocStatus::InForce => "in_force",
            DocStatus::Abolished => "abolished",
        }
    }

    /// Parses the identifier.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "in_force" => Some(Self::InForce),
            "abolished" => Some(Self::Abolished),
            _ => None,
        }
    }
}

/// Everything the index knows about one procedure. Texts are NFC-normalised on the way in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexDoc {
    /// Mã TTHC.
    pub code: String,
    /// External or internal.
    pub kind: ProcedureKind,
    /// Owning organisation id.
    pub owner_org: String,
    /// In force or abolished.
    pub status: DocStatus,
    /// Tên thủ tục.
    pub name: String,
    /// Lĩnh vực (name).
    pub sector: String,
    /// Lĩnh vực id (the managed id, or the folded slug of the name).
    pub sector_id: String,
    /// Cấp thực hiện.
    pub levels: Vec<Level>,
    /// Local service codes of localisations.
    pub local_codes: Vec<String>,
    /// Organisation ids of the provinces that localised the procedure.
    pub provinces: Vec<String>,
    /// Medium-weight texts: sector, subjects, results, legal titles, description.
    pub meta: Vec<String>,
    /// Agencies (medium weight, like `meta`): competent, executing, authorised and
    /// coordinating agencies, and the localisations' executing agencies.
    #[serde(default)]
    pub agencies: Vec<String>,
    /// Legal document numbers (số ký hiệu) of the legal bases.
    pub legal_numbers: Vec<String>,
    /// Low-weight texts: steps, dossier components, requirements.
    pub body: Vec<String>,
}

impl IndexDoc {
    /// Builds a document from parsed content, with no database involved.
    pub fn from_content(
        code: &str,
        kind: ProcedureKind,
        owner_org: &str,
        content: &ProcedureContent,
        status: DocStatus,
    ) -> Self {
        let c = content;
        let mut meta = Vec::new();
        meta.push(c.sector.clone());
        meta.extend(c.subjects.iter().cloned());
        let mut agencies = Vec::new();
        for list in [
            &c.competent_authority,
            &c.executing_agency,
            &c.authorised_agency,
            &c.coordinating_agency,
        ] {
            agencies.extend(list.iter().map(|a| a.name.clone()));
        }
        meta.extend(c.results.iter().map(|r| r.name.clone()));
        meta.extend(c.legal_bases.iter().map(|b| b.title.clone()));
        if !c.description.is_empty() {
            meta.push(c.description.clone());
        }
        let mut body: Vec<String> = Vec::new();
        for s in &c.steps {
            body.push(s.title.clone());
            body.push(s.description.clone());
        }
        for case in &c.dossier {
            body.push(case.name.clone());
            body.extend(case.components.iter().map(|d| d.name.clone()));
        }
        body.push(c.requirements.clone());
        let clean = |v: Vec<String>| -> Vec<String> {
            v.into_iter()
                .map(|s| normalise(&s).trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        Self {
            code: code.trim().to_string(),
            kind,
            owner_org: owner_org.to_string(),
            status,
            name: normalise(&c.name).trim().to_string(),
            sector: normalise(&c.sector).trim().to_string(),
            sector_id: c
                .sector_id
                .clone()
                .unwrap_or_else(|| Sector::id_for(&c.sector)),
            levels: c.levels.iter().copied().collect(),
            local_codes: Vec::new(),
            provinces: Vec::new(),
            meta: clean(meta),
            agencies: clean(agencies),
            legal_numbers: c
                .legal_bases
                .iter()
                .filter_map(|b| b.number.clone())
                .collect(),
            body: clean(body),
        }
    }

    /// Builds a document from a procedure, its current version and its localisations.
    pub fn from_version(
        procedure: &Procedure,
        version: &ProcedureVersion,
        localisations: &[Localisation],
    ) -> Self {
        Self::from_parts(
            (&procedure.code, procedure.kind, &procedure.owner_org),
            procedure.abolished,
            version,
            localisations,
        )
    }

    /// Builds a document from a procedure's identity (code, kind, owner), its abolished flag,
    /// its current version and its localisations (a summary row is enough: bulk reindex).
    pub fn from_parts(
        (code, kind, owner_org): (&TthcCode, ProcedureKind, &str),
        abolished: bool,
        version: &ProcedureVersion,
        localisations: &[Localisation],
    ) -> Self {
        let status = if abolished || version.status == VersionStatus::Abolished {
            DocStatus::Abolished
        } else {
            DocStatus::InForce
        };
        let mut doc = Self::from_content(code.as_str(), kind, owner_org, &version.content, status);
        for l in localisations {
            doc.provinces.push(l.org_id.clone());
            if let Some(lc) = &l.local_code {
                doc.local_codes.push(lc.clone());
            }
            if let Some(a) = &l.overrides.executing_agency {
                doc.agencies.push(normalise(a));
            }
        }
        doc
    }

    /// Every keyword term: the code, local codes and legal document numbers, folded.
    pub fn key_terms(&self) -> Vec<String> {
        let mut keys: Vec<String> = std::iter::once(&self.code)
            .chain(&self.local_codes)
            .chain(&self.legal_numbers)
            .map(|k| key_term(k))
            .filter(|k| !k.is_empty())
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }

    /// Converts to a tantivy document.
    pub fn to_tantivy(&self, f: &Fields) -> TantivyDocument {
        let mut d = TantivyDocument::default();
        d.add_text(f.code, &self.code);
        for field in [f.name_exact, f.name_folded, f.name_bigram, f.name_edge] {
            d.add_text(field, &self.name);
        }
        for m in &self.meta {
            d.add_text(f.meta_exact, m);
            d.add_text(f.meta_folded, m);
        }
        for b in &self.body {
            d.add_text(f.body_folded, b);
        }
        for a in &self.agencies {
            d.add_text(f.agency_exact, a);
            d.add_text(f.agency_folded, a);
        }
        d.add_u64(f.text_group, self.text_group());
        d.add_u64(f.agency_group, self.agency_group());
        let mut prefixes = Vec::new();
        for k in self.key_terms() {
            let chars: Vec<(usize, char)> = k.char_indices().collect();
            for (n, (i, c)) in chars.iter().enumerate() {
                if n + 1 >= KEY_PREFIX_MIN {
                    prefixes.push(k[..i + c.len_utf8()].to_string());
                }
            }
            d.add_text(f.keys, &k);
        }
        prefixes.sort();
        prefixes.dedup();
        for p in &prefixes {
            d.add_text(f.key_prefixes, p);
        }
        d.add_text(f.sector, &self.sector);
        d.add_text(f.sector_id, &self.sector_id);
        d.add_text(f.owner_org, &self.owner_org);
        for l in &self.levels {
            d.add_text(f.levels, l.as_str());
        }
        d.add_text(f.kind, self.kind.as_str());
        d.add_text(f.status, self.status.as_str());
        for p in &self.provinces {
            d.add_text(f.provinces, p);
        }
        d.add_text(f.snippet, self.snippet_source());
        d
    }

    /// The group of documents whose [`SHARED`](crate::schema::SHARED) fields hold the same
    /// texts: a hash of the name, `meta` and `body` (each text and each list delimited, so that
    /// moving a text from one list to the next changes the hash). When the groups are built
    /// (`crate::groups`), a document whose field lengths differ from its group's is kept apart;
    /// a collision between texts of equal lengths would go unnoticed (about one chance in
    /// 10^9 for 100,000 distinct texts of 64-bit hashes).
    pub fn text_group(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        self.name.hash(&mut h);
        self.meta.hash(&mut h);
        self.body.hash(&mut h);
        h.finish()
    }

    /// The group of documents with the same agencies (the [`AGENCY`](crate::schema::AGENCY)
    /// fields), checked as [`Self::text_group`] is.
    pub fn agency_group(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        self.agencies.hash(&mut h);
        h.finish()
    }

    /// The secondary text kept for snippets: meta first, then agencies and body, truncated.
    fn snippet_source(&self) -> String {
        let mut s = String::new();
        let mut chars = 0;
        for part in self.meta.iter().chain(&self.agencies).chain(&self.body) {
            if chars >= SNIPPET_SOURCE_CHARS {
                break;
            }
            if !s.is_empty() {
                s.push_str(" · ");
                chars += 3;
            }
            for c in part
                .chars()
                .take(SNIPPET_SOURCE_CHARS.saturating_sub(chars))
            {
                s.push(c);
                chars += 1;
            }
        }
        s
    }
}
