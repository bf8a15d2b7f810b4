//! FTK106: FortiCare refused a FortiToken licence: error code mapped to its documented cause
//! and fix (14 expired, 10 not found, 31/17 registered to another product).

use super::runtime::{anchor, evidence_label};
use super::{Context, Finding, FindingBuilder, Fixable, Level, Rule, RuleMeta, Severity};
use crate::parse::diagnostic::EventKind;

pub static META: RuleMeta = RuleMeta {
    code: "FTK106",
    name: "forticare-licence-error",
    summary: "FortiCare refused a FortiToken licence (error 14, 10, 31/17): cause and documented fix",
    default_severity: Severity::Error,
    fixable: Fixable::No,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/forticare_licence_error.md"),
};

pub struct ForticareLicenceError;

/// Cause and documented fix of a FortiCare error code (remediation doc §8).
fn mapping(code: i64) -> Option<(&'static str, &'static str)> {
    Some(match code {
        14 => (
            "the licence activation code expired or was not redeemed in time",
            "get a new licence code from Fortinet, then import it (KB 194508)",
        ),
        10 => (
            "FortiCare does not know the licence activation code",
            "check the code on the licence certificate (typo?) and import it again; contact \
             Fortinet customer service if it is right (KB 194508)",
        ),
        31 | 17 => (
            "the licence is registered to another product serial (a moved configuration, or an \
             HA licence imported on a secondary)",
            "import on the HA primary; after a move, have Fortinet customer service transfer the \
             licence to this unit's serial (KB 308115, KB 424201)",
        ),
        _ => return None,
    })
}

impl Rule for ForticareLicenceError {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for (file, m) in cx.units() {
            let Some(unit) = m.unit_evidence() else {
                continue;
            };
            let Some((node, object)) = anchor(m) else {
                continue;
            };
            let b = FindingBuilder {
                meta: &META,
                file,
                model: m,
            };
            // One finding per distinct cause: 31 and 17 come together in one response.
            let mut seen: Vec<&str> = Vec::new();
            for e in &unit.events {
                let EventKind::ForticareError { code, message } = &e.kind else {
                    continue;
                };
                let Some((cause, fix)) = mapping(*code) else {
                    continue;
                };
                if seen.contains(&cause) {
                    continue;
                }
                seen.push(cause);
                let mut f = b.at(
                    node,
                    format!("FortiCare error {code}"),
                    format!(
                        "FortiCare error {code} \"{message}\": {cause} (evidence: {})",
                        e.origin
                    ),
                    fix,
                );
                f.object = object.clone();
                f.related
                    .extend(evidence_label(file, &e.origin, "reported here"));
                out.push(f);
            }
        }
    }
}
