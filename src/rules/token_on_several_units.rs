//! FTK012: across the files of one run, the same token serial (or trial licence) appears in
//! backups of different units: one of them is a migrated copy.

use std::collections::BTreeMap;

use super::facts::{FileFacts, TokenFact};
use super::{Context, Finding, Label, Level, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "FTK012",
    name: "token-on-several-units",
    summary: "the same token serial or trial licence is in backups of different units",
    default_severity: Severity::Error,
    fixable: false,
    migration_only: false,
    level: Level::Run,
    docs: include_str!("../../docs/rules/token_on_several_units.md"),
};

pub struct TokenOnSeveralUnits;

/// Sanitised serials (`FTKMXXXXXXXXXXXX`) say nothing about identity.
fn meaningful(s: &str) -> bool {
    !s.contains("XXXX")
}

/// One place a key was seen: the unit's facts, the token, and whether the key is its licence.
type Place<'f> = (&'f FileFacts, &'f TokenFact, bool);

fn span_of(t: &TokenFact, licence: bool) -> crate::source::Span {
    match (&t.licence, licence) {
        (Some((_, s)), true) => *s,
        _ => t.entry,
    }
}

impl Rule for TokenOnSeveralUnits {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let mut seen: BTreeMap<String, Vec<Place<'_>>> = BTreeMap::new();
        for unit in cx.facts {
            for t in &unit.tokens {
                if meaningful(&t.serial) {
                    seen.entry(format!("serial {}", t.serial))
                        .or_default()
                        .push((unit, t, false));
                }
                if let Some((l, _)) = t.licence.as_ref().filter(|(l, _)| t.trial && meaningful(l)) {
                    let e = seen.entry(format!("trial licence {l}")).or_default();
                    // One place per file for a licence (the two trial tokens share it).
                    if !e.iter().any(|(u, _, _)| u.file == unit.file) {
                        e.push((unit, t, true));
                    }
                }
            }
        }
        for (key, places) in seen {
            for &(unit, t, lic) in &places {
                let others: Vec<&Place<'_>> = places
                    .iter()
                    .filter(|(u, _, _)| u.other_unit_than(unit))
                    .collect();
                if others.is_empty() {
                    continue;
                }
                let related = others
                    .iter()
                    .map(|&&(u, ot, olic)| Label {
                        file: u.file,
                        span: span_of(ot, olic),
                        message: format!(
                            "also here, on {}",
                            u.hostname.as_deref().unwrap_or("another unit")
                        ),
                    })
                    .collect();
                out.push(Finding {
                    code: META.code,
                    name: META.name,
                    severity: META.default_severity,
                    vdom: t.vdom.clone(),
                    object: format!("user fortitoken/{}", t.serial),
                    token: Some(t.serial.clone()),
                    user: None,
                    message: format!(
                        "{key} also appears in {} backup(s) of another unit; one of them is a migrated copy",
                        others.len()
                    ),
                    help: "keep the token on the unit that owns it; on the other unit delete it and import \
                           its own licence (trial tokens: re-import with the trial code)"
                        .to_owned(),
                    primary: Label { file: unit.file, span: span_of(t, lic), message: format!("{key} also on another unit") },
                    related,
                });
            }
        }
    }
}
