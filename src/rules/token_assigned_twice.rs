//! FTK005: one token is assigned to more than one user/admin.

use super::{
    Context, Finding, FindingBuilder, Fixable, Level, Rule, RuleMeta, Severity, holder_ref,
};

pub static META: RuleMeta = RuleMeta {
    code: "FTK005",
    name: "token-assigned-twice",
    summary: "one token is assigned to several users or admins",
    default_severity: Severity::Error,
    fixable: Fixable::No,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/token_assigned_twice.md"),
};

pub struct TokenAssignedTwice;

impl Rule for TokenAssignedTwice {
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
            for t in m.tokens.iter().filter(|t| t.holders.len() > 1) {
                let names: Vec<String> = t.holders.iter().map(|h| holder_ref(m, h).1).collect();
                let (second, _) = holder_ref(m, &t.holders[1]);
                let mut f = b.at(
                    second,
                    "also assigned here",
                    format!(
                        "token {} is assigned to {} holders: {}",
                        t.serial,
                        names.len(),
                        names.join(", ")
                    ),
                    "a token serves one person: give every other holder a token of their own",
                );
                f.related = t
                    .holders
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != 1)
                    .map(|(_, h)| {
                        let (node, what) = holder_ref(m, h);
                        b.label(node, format!("assigned to {what}"))
                    })
                    .collect();
                out.push(b.for_token(f, t));
            }
        }
    }
}
