//! FTK014: a token with activation data (activation code, reg-id or seed) that nobody holds.

use super::{Context, Finding, FindingBuilder, Fixable, Level, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "FTK014",
    name: "orphan-activated-token",
    summary: "a token carries activation data but nobody holds it (a wasted licence slot)",
    default_severity: Severity::Info,
    fixable: Fixable::No,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/orphan_activated_token.md"),
};

pub struct OrphanActivatedToken;

impl Rule for OrphanActivatedToken {
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
            for t in m
                .tokens
                .iter()
                .filter(|t| t.holders.is_empty() && t.has_activation_data())
            {
                let help = if t.kind == crate::model::TokenKind::Hardware {
                    "assign it to the person it was meant for; do not delete a seeded hardware token on suspicion: \
                     it can be activated only once more, after a TAC lock reset (KB 194508, KB 232153)"
                } else if t.trial {
                    "assign it to the person it was meant for; do not delete it alone: the two trial tokens \
                     go together (deleting one blocks the trial re-import until both are gone, and the \
                     other may be in use, KB 190171)"
                } else {
                    "assign it to the person it was meant for, or unassign-and-delete it to free the licence \
                     slot (a re-import of the licence restores it, KB 198420)"
                };
                let f = b.at(
                    t.entry,
                    "held by nobody",
                    format!(
                        "token {} has activation data but no user or admin holds it",
                        t.serial
                    ),
                    help,
                );
                out.push(b.for_token(f, t));
            }
        }
    }
}
