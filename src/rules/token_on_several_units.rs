//! FTK012: across the files of one run, the same FortiToken Mobile serial (or trial licence)
//! appears in backups of different units: one of them is a migrated copy. Members of one HA
//! cluster are one unit; hardware tokens may legitimately serve several units (KB 194435).
//! One finding per serial or licence, with a bounded list of the other units: linear in the
//! number of files.

use std::collections::BTreeMap;

use super::facts::{FileFacts, TokenFact};
use super::{Context, Finding, Fixable, Intent, Label, Level, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "FTK012",
    name: "token-on-several-units",
    summary: "the same token serial or trial licence is in backups of different units",
    default_severity: Severity::Error,
    fixable: Fixable::No,
    migration_only: false,
    level: Level::Run,
    docs: include_str!("../../docs/rules/token_on_several_units.md"),
};

pub struct TokenOnSeveralUnits;

/// Sanitised serials (`FTKMXXXXXXXXXXXX`) say nothing about identity.
fn meaningful(s: &str) -> bool {
    !s.contains("XXXX")
}

/// At most this many other units are labelled in one finding.
const MAX_LABELS: usize = 8;

/// One place a key was seen: the unit's facts, the token, and whether the key is its licence.
type Place<'f> = (&'f FileFacts, &'f TokenFact, bool);

fn span_of(t: &TokenFact, licence: bool) -> crate::source::Span {
    match (&t.licence, licence) {
        (Some((_, s)), true) => *s,
        _ => t.entry,
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

impl Rule for TokenOnSeveralUnits {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let mut seen: BTreeMap<String, Vec<Place<'_>>> = BTreeMap::new();
        for unit in cx.facts {
            for t in unit.tokens.iter().filter(|t| !t.hardware) {
                if meaningful(&t.serial) {
                    seen.entry(format!("serial {}", t.serial))
                        .or_default()
                        .push((unit, t, false));
                }
                if let Some((l, _)) = t.licence.as_ref().filter(|(l, _)| t.trial && meaningful(l)) {
                    let e = seen.entry(format!("trial licence {l}")).or_default();
                    // One place per file for a licence (the two trial tokens share it).
                    if e.last().is_none_or(|(u, _, _)| u.file != unit.file) {
                        e.push((unit, t, true));
                    }
                }
            }
        }
        for (key, places) in seen {
            // Cluster the places into units: a place joins the first cluster whose
            // representative is not known to be another unit. Few units, many files: linear.
            let mut clusters: Vec<Vec<&Place<'_>>> = Vec::new();
            for p in &places {
                match clusters.iter_mut().find(|c| !c[0].0.other_unit_than(p.0)) {
                    Some(c) => c.push(p),
                    None => clusters.push(vec![p]),
                }
            }
            if clusters.len() < 2 {
                continue;
            }
            let mut files: Vec<usize> = places.iter().map(|(u, _, _)| u.file).collect();
            files.dedup();
            let &(unit, t, lic) = clusters[0][0];
            let others = &clusters[1..];
            let mut related: Vec<Label> = others
                .iter()
                .take(MAX_LABELS)
                .map(|c| {
                    let &(u, ot, olic) = c[0];
                    Label {
                        file: u.file,
                        span: span_of(ot, olic),
                        message: format!(
                            "also on {}",
                            u.hostname.as_deref().unwrap_or("another unit")
                        ),
                    }
                })
                .collect();
            if others.len() > MAX_LABELS {
                let (u, ot, olic) = *others[MAX_LABELS][0];
                related.push(Label {
                    file: u.file,
                    span: span_of(ot, olic),
                    message: format!(
                        "and {} more",
                        plural(others.len() - MAX_LABELS, "unit", "units")
                    ),
                });
            }
            out.push(Finding {
                code: META.code,
                name: META.name,
                severity: META.default_severity,
                vdom: t.vdom.clone(),
                object: format!("user fortitoken/{}", t.serial),
                token: Some(t.serial.clone()),
                user: None,
                message: format!(
                    "{key} appears in backups of {} ({}); one of them is a migrated copy",
                    plural(clusters.len(), "unit", "units"),
                    plural(files.len(), "backup", "backups")
                ),
                help: "keep the token on the unit that owns its licence; on the other units delete it and import \
                       their own licence (trial tokens: both, then the trial code, KB 190171). Members of one HA \
                       cluster share tokens and are not reported"
                    .to_owned(),
                primary: Label {
                    file: unit.file,
                    span: span_of(t, lic),
                    message: format!("{key} also on another unit"),
                },
                related,
                intent: Intent::Advice,
            });
        }
    }
}
