//! FTK002: two or more tokens share one non-empty `reg-id` (one phone bound to several tokens).

use std::collections::BTreeMap;

use super::{Context, Finding, FindingBuilder, Level, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "FTK002",
    name: "duplicate-reg-id",
    summary: "several tokens share one phone registration (reg-id)",
    default_severity: Severity::Error,
    fixable: true,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/duplicate_reg_id.md"),
};

pub struct DuplicateRegId;

impl Rule for DuplicateRegId {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for (file, m) in cx.units() {
            let b = FindingBuilder {
                meta: &META,
                file,
                model: m,
            };
            let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for (i, t) in m.tokens.iter().enumerate() {
                if let Some(r) = &t.reg_id {
                    groups.entry(r.value.as_str()).or_default().push(i);
                }
            }
            let mut groups: Vec<Vec<usize>> =
                groups.into_values().filter(|g| g.len() > 1).collect();
            groups.sort_by_key(|g| m.tokens[g[0]].entry);
            for group in groups {
                // The first token of the group keeps the registration; the others are re-issued.
                let first = &m.tokens[group[0]];
                for &i in &group[1..] {
                    let t = &m.tokens[i];
                    let Some(reg) = &t.reg_id else { continue };
                    let mut f = b.at(
                        reg.node,
                        "same reg-id as another token",
                        format!(
                            "token {} has the same reg-id as {} other token(s), starting with {}",
                            t.serial,
                            group.len() - 1,
                            first.serial
                        ),
                        format!(
                            "one phone registration can serve one token: keep {} and re-issue {} to its user \
                             (`fortilint fix` writes the script)",
                            first.serial, t.serial
                        ),
                    );
                    f.related = group
                        .iter()
                        .filter(|&&j| j != i)
                        .filter_map(|&j| {
                            let o = &m.tokens[j];
                            o.reg_id
                                .as_ref()
                                .map(|r| b.label(r.node, format!("same reg-id on {}", o.serial)))
                        })
                        .collect();
                    out.push(b.for_token(f, t));
                }
            }
        }
    }
}
