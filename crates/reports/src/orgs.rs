//! The organisation index the engine needs: names, parents, subtrees, and the roll-up of an
//! organisation to the agency that represents it in a breakdown.

use std::collections::{HashMap, HashSet};

use thutuc_domain::org::{OrgKind, Organisation};

/// Organisations by id.
#[derive(Debug, Clone, Default)]
pub struct OrgIndex {
    orgs: HashMap<String, Organisation>,
    children: HashMap<String, Vec<String>>,
}

impl OrgIndex {
    /// Builds the index.
    pub fn new(orgs: Vec<Organisation>) -> Self {
        let mut children: HashMap<String, Vec<String>> = HashMap::new();
        for o in &orgs {
            if let Some(p) = &o.parent {
                children.entry(p.clone()).or_default().push(o.id.clone());
            }
        }
        Self {
            orgs: orgs.into_iter().map(|o| (o.id.clone(), o)).collect(),
            children,
        }
    }

    /// One organisation.
    pub fn get(&self, id: &str) -> Option<&Organisation> {
        self.orgs.get(id)
    }

    /// Display name (the id when unknown).
    pub fn name(&self, id: &str) -> String {
        self.orgs
            .get(id)
            .map(|o| o.name.clone())
            .unwrap_or_else(|| id.to_string())
    }

    /// The organisation and everything below it.
    pub fn subtree(&self, id: &str) -> HashSet<String> {
        let mut out = HashSet::new();
        let mut stack = vec![id.to_string()];
        while let Some(x) = stack.pop() {
            if out.insert(x.clone())
                && let Some(c) = self.children.get(&x)
            {
                stack.extend(c.iter().cloned());
            }
        }
        out
    }

    /// The agency row an organisation is counted under.
    ///
    /// National reports (`scope = None`) roll up to the top agency: the ancestor directly under
    /// the Government (a ministry, ministry-level or government agency, or a province).
    /// Reports for an organisation roll up to its direct child on the path (or itself).
    pub fn rollup(&self, id: &str, scope: Option<&str>) -> String {
        let mut cur = id.to_string();
        let mut guard = 0;
        loop {
            guard += 1;
            let Some(o) = self.orgs.get(&cur) else {
                return cur;
            };
            if Some(cur.as_str()) == scope || guard > 64 {
                return cur;
            }
            let parent = o.parent.as_deref().and_then(|p| self.orgs.get(p));
            match (parent, scope) {
                (None, _) => return cur,
                (Some(p), Some(s)) if p.id == s => return cur,
                (Some(p), None) if p.kind == OrgKind::Government => return cur,
                (Some(p), _) => cur = p.id.clone(),
            }
        }
    }
}
