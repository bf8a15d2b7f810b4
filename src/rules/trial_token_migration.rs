//! FTK008: a free-trial token (`FTMTRIAL…` licence) in a config that moves to another unit.

use super::{Context, Finding, FindingBuilder, Fixable, Intent, Level, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "FTK008",
    name: "trial-token-migration",
    summary: "free-trial tokens cannot move: delete both and re-import them on the new unit",
    default_severity: Severity::Error,
    fixable: Fixable::Yes,
    migration_only: true,
    level: Level::File,
    docs: include_str!("../../docs/rules/trial_token_migration.md"),
};

pub struct TrialTokenMigration;

impl Rule for TrialTokenMigration {
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
            for (i, t) in m.tokens.iter().enumerate().filter(|(_, t)| t.trial) {
                let Some(lic) = &t.license else { continue };
                let mut f = b.at(
                    lic.node,
                    "free-trial licence",
                    format!(
                        "trial token {} (licence {}) is bound to the original unit",
                        t.serial, lic.value
                    ),
                    "trial tokens cannot move: unassign and delete both trial tokens of the VDOM, import \
                     `execute fortitoken-mobile import 0000-0000-0000-0000-0000`, then reassign by the serials \
                     the new unit lists (they are new); deleting only one blocks the re-import (KB 190171, \
                     KB 193793; `fortilint fix` writes the staged script). An HA cluster shares one pair: \
                     replacing a member is not a move",
                );
                f.intent = Intent::ReimportTrialPair { token: i };
                f.related = b.holder_labels(t);
                out.push(b.for_token(f, t));
            }
        }
    }
}
