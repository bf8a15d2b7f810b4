//! FTK013: the same serial twice in one table, or defined in two VDOMs.

use super::{Context, Finding, FindingBuilder, Fixable, Level, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "FTK013",
    name: "duplicate-token-entry",
    summary: "the same token serial is defined twice (one table, or two VDOMs)",
    default_severity: Severity::Error,
    fixable: Fixable::No,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/duplicate_token_entry.md"),
};

pub struct DuplicateTokenEntry;

impl Rule for DuplicateTokenEntry {
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
            for (i, t) in m.tokens.iter().enumerate() {
                // The first token of this serial, in file order.
                let j = m.tokens_named(&t.serial)[0] as usize;
                if j == i {
                    continue;
                }
                let o = &m.tokens[j];
                let (label, message) = if o.scope == t.scope {
                    (
                        "defined again in the same table".to_owned(),
                        format!("token {} is defined twice in the same table", t.serial),
                    )
                } else {
                    (
                        format!("defined again in {}", m.scopes[t.scope].label()),
                        format!(
                            "token {} is defined in {} and in {}",
                            t.serial,
                            m.scopes[o.scope].label(),
                            m.scopes[t.scope].label()
                        ),
                    )
                };
                let mut f = b.at(
                    t.entry,
                    label,
                    message,
                    "a token belongs to one VDOM once: delete the extra entry",
                );
                f.related.push(b.label(o.entry, "first defined here"));
                out.push(b.for_token(f, t));
            }
        }
    }
}
