//! FTK012: across the files of one run, the same token serial (or trial licence) appears in
//! backups of different units: one of them is a migrated copy.

use std::collections::BTreeMap;

use super::{Context, Finding, FindingBuilder, Rule, RuleMeta, Severity};
use crate::model::Model;

pub static META: RuleMeta = RuleMeta {
    code: "FTK012",
    name: "token-on-several-units",
    summary: "the same token serial or trial licence is in backups of different units",
    default_severity: Severity::Error,
    fixable: false,
    migration_only: false,
    after_others: false,
    docs: include_str!("../../docs/rules/token_on_several_units.md"),
};

pub struct TokenOnSeveralUnits;

/// Identity of the unit a file belongs to: its serial, else its host name, else the file.
fn unit_id(file: usize, m: &Model<'_>) -> String {
    if let Some(s) = &m.header.serial {
        return format!("serial:{s}");
    }
    match m.hostname() {
        Some(h) => format!("host:{h}"),
        None => format!("file:{file}"),
    }
}

/// Sanitised serials (`FTKMXXXXXXXXXXXX`) say nothing about identity.
fn meaningful(s: &str) -> bool {
    !s.contains("XXXX")
}

impl Rule for TokenOnSeveralUnits {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        // key -> [(file, token index, is-licence)]
        let mut seen: BTreeMap<String, Vec<(usize, usize, bool)>> = BTreeMap::new();
        for (file, m) in cx.units() {
            for (i, t) in m.tokens.iter().enumerate() {
                if meaningful(&t.serial) {
                    seen.entry(format!("serial {}", t.serial))
                        .or_default()
                        .push((file, i, false));
                }
                if let Some(l) = t
                    .license
                    .as_ref()
                    .filter(|l| t.trial && meaningful(&l.value))
                {
                    let e = seen
                        .entry(format!("trial licence {}", l.value))
                        .or_default();
                    // One entry per unit file for a licence (the two trial tokens share it).
                    if !e.iter().any(|(f, _, _)| *f == file) {
                        e.push((file, i, true));
                    }
                }
            }
        }
        for (key, places) in seen {
            let unit =
                |&(f, _, _): &(usize, usize, bool)| cx.models[f].as_ref().map(|m| unit_id(f, m));
            let mut units: Vec<String> = places.iter().filter_map(unit).collect();
            units.sort();
            units.dedup();
            if units.len() < 2 {
                continue;
            }
            for &(file, i, lic) in &places {
                let Some(m) = cx.models[file].as_ref() else {
                    continue;
                };
                let b = FindingBuilder {
                    meta: &META,
                    file,
                    model: m,
                };
                let t = &m.tokens[i];
                let node = if lic {
                    t.license.as_ref().map_or(t.entry, |l| l.node)
                } else {
                    t.entry
                };
                let this_unit = unit(&(file, i, lic)).unwrap_or_default();
                let mut f = b.at(
                    node,
                    format!("{key} also on another unit"),
                    format!("{key} appears in backups of {} different units; one of them is a migrated copy", units.len()),
                    "keep the token on the unit that owns it; on the other unit delete it and import \
                     its own licence (trial tokens: re-import with the trial code)",
                );
                for &(of, oi, olic) in places
                    .iter()
                    .filter(|p| unit(p).as_deref() != Some(this_unit.as_str()))
                {
                    if let Some(om) = cx.models[of].as_ref() {
                        let ot = &om.tokens[oi];
                        let onode = if olic {
                            ot.license.as_ref().map_or(ot.entry, |l| l.node)
                        } else {
                            ot.entry
                        };
                        let ob = FindingBuilder {
                            meta: &META,
                            file: of,
                            model: om,
                        };
                        let host = om.hostname().unwrap_or("another unit");
                        f.related
                            .push(ob.label(onode, format!("also here, on {host}")));
                    }
                }
                out.push(b.for_token(f, t));
            }
        }
    }
}
