//! FTK001: in a config restored on another unit, a token carries state that FortiGuard bound
//! to the original unit: a seed, a registered phone (`reg-id`/`os-ver`) or a started
//! provisioning (activation code, expiry). Trial tokens are FTK008's (they move as a pair);
//! unseeded hardware tokens are FTK009's.

use super::{Context, Finding, FindingBuilder, Fixable, Intent, Level, Rule, RuleMeta, Severity};
use crate::model::{Token, TokenKind};
use crate::parse::NodeId;

pub static META: RuleMeta = RuleMeta {
    code: "FTK001",
    name: "seeded-token-migration",
    summary: "token bound to the original unit (seed, registered phone, started activation) in a config restored on another unit",
    default_severity: Severity::Error,
    fixable: Fixable::Yes,
    migration_only: true,
    level: Level::File,
    docs: include_str!("../../docs/rules/seeded_token_migration.md"),
};

pub struct SeededTokenMigration;

/// The statement that shows the unit-bound state, and what it is.
fn evidence(t: &Token) -> Option<(NodeId, &'static str)> {
    if let Some(n) = t.seed() {
        return Some((n, "seed bound to the old unit"));
    }
    if let Some(r) = t.reg_id().or(t.os_ver()) {
        return Some((r.node, "phone registered via the old unit"));
    }
    if let Some(n) = t.activation_code() {
        return Some((n, "activation started on the old unit"));
    }
    t.activation_expire()
        .filter(|&(_, at)| at != 0)
        .map(|(n, _)| (n, "activation started on the old unit"))
}

impl Rule for SeededTokenMigration {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for (file, m) in cx.units().filter(|(f, _)| cx.migration(*f)) {
            let b = FindingBuilder {
                meta: &META,
                file,
                model: m,
            };
            for (i, t) in m.tokens.iter().enumerate() {
                if t.trial {
                    continue;
                }
                let mut f = match (t.kind, evidence(t)) {
                    (TokenKind::Hardware, _) if t.seed().is_none() => continue,
                    (TokenKind::Hardware, Some((node, _))) if t.is_offline_hardware() => {
                        let mut f = b.at(
                            node,
                            "seeded from the CD on the original unit",
                            format!(
                                "FortiToken-200CD {} is offline: its seed came from the CD and does not move with the backup",
                                t.serial
                            ),
                            "do not delete or activate it: import its seed file on the new unit \
                             (`execute fortitoken import ftp|tftp …`, KB 194435, KB 232153); \
                             Fortinet support cannot reset an FTK211",
                        );
                        f.intent = Intent::ImportSeedFile { token: i };
                        f
                    }
                    (TokenKind::Hardware, Some((node, _))) => {
                        let mut f = b.at(
                            node,
                            "activated on the original unit",
                            format!(
                                "hardware token {} was activated on the original unit; FortiGuard may have locked it to that unit",
                                t.serial
                            ),
                            "never delete it on suspicion: run `diagnose fortitoken info` on the new unit; only if it shows \
                             `token already activated, and seed won't be returned` open a TAC ticket to reset the lock, \
                             then activate it once with debug on (KB 194508, KB 232153; `fortilint fix` writes the runbook)",
                        );
                        f.intent = Intent::HardwareLockCheck { token: i };
                        f
                    }
                    (_, Some((node, label))) => {
                        let licence = t.purchased_licence();
                        let mut f = b.at(
                            node,
                            label,
                            format!(
                                "token {} carries state bound to the original unit ({}); it will not work on the new unit until it is deleted and re-imported",
                                t.serial,
                                bound_what(t)
                            ),
                            match licence {
                                Some(l) => format!(
                                    "have Customer Service transfer licence {l} to the new unit's serial and issue a new \
                                     activation code, then unassign, delete and re-import the licence and reassign \
                                     (KB 194574, KB 193723; `fortilint fix` writes the script); or move the tokens to \
                                     FortiToken Cloud with `execute fortitoken-cloud migrate-ftm` before the move"
                                ),
                                None => "unassign, delete and re-import the token's licence on the new unit, then reassign \
                                         (KB 194508, KB 194574; `fortilint fix` writes the script)"
                                    .to_owned(),
                            },
                        );
                        f.intent = Intent::ReimportLicence { token: i };
                        f
                    }
                    (_, None) => {
                        let Some(licence) = t.purchased_licence() else {
                            continue;
                        };
                        let node = t.license.as_ref().map_or(t.entry, |l| l.node);
                        let mut f = b.at(
                            node,
                            "licensed to the original unit",
                            format!(
                                "token {} names licence {licence}, which is registered to the original unit's serial",
                                t.serial
                            ),
                            format!(
                                "before the token can be assigned on the new unit, have Customer Service transfer licence \
                                 {licence} (both serials) and re-import it with the new activation code (KB 194574, KB 193723); \
                                 licences shipped from 4 Aug 2025 move only for an RMA (KB 205363)"
                            ),
                        );
                        f.severity = Severity::Warning;
                        f
                    }
                };
                f.related = b.holder_labels(t);
                out.push(b.for_token(f, t));
            }
        }
    }
}

/// `a seed, a registered phone` …
fn bound_what(t: &Token) -> String {
    let mut parts = Vec::new();
    if t.seed().is_some() {
        parts.push("a seed");
    }
    if t.phone_registered() {
        parts.push("a registered phone");
    }
    if t.provisioning_started() {
        parts.push("a started activation");
    }
    parts.join(", ")
}
