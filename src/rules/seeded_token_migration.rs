//! FTK001: a token entry carries `set seed` in a config that moves to another unit.

use super::{Context, Finding, FindingBuilder, Level, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "FTK001",
    name: "seeded-token-migration",
    summary: "seeded token in a config restored on another unit: delete and re-import it",
    default_severity: Severity::Error,
    fixable: true,
    migration_only: true,
    level: Level::File,
    docs: include_str!("../../docs/rules/seeded_token_migration.md"),
};

pub struct SeededTokenMigration;

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
            for t in &m.tokens {
                let Some(seed) = t.seed else { continue };
                let mut f = b.at(
                    seed,
                    "seed bound to the original unit",
                    format!("token {} carries a seed that FortiGuard bound to the original unit", t.serial),
                    "delete the token and re-import or re-activate it on the new unit, then reassign it \
                     (`fortilint fix` writes the script)",
                );
                f.related = b.holder_labels(t);
                out.push(b.for_token(f, t));
            }
        }
    }
}
