//! FTK004: a user or admin names a token serial that no `config user fortitoken` entry
//! defines (users: in their VDOM; admins: in any VDOM).

use super::{Context, Finding, FindingBuilder, Fixable, Level, Rule, RuleMeta, Severity};
use crate::model::HolderKind;

pub static META: RuleMeta = RuleMeta {
    code: "FTK004",
    name: "unknown-token-reference",
    summary: "a user or admin names a token that is not defined",
    default_severity: Severity::Error,
    fixable: Fixable::No,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/unknown_token_reference.md"),
};

pub struct UnknownTokenReference;

/// Whether `name` is the one and only `super_admin` of the unit.
fn only_super_admin(m: &crate::model::Model<'_>, name: &str) -> bool {
    let supers: Vec<&str> = m
        .admins
        .iter()
        .filter(|a| a.is_super_admin())
        .map(|a| a.name.as_str())
        .collect();
    supers == [name]
}

impl Rule for UnknownTokenReference {
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
            for v in m.people() {
                let Some(ft) = v.fortitoken else { continue };
                // Users see tokens of their own VDOM; admins see every VDOM.
                let visible = |t: &&crate::model::Token| {
                    t.serial == ft.value
                        && (v.kind == HolderKind::Admin || m.user_sees(v.scope, t.scope))
                };
                let named = m.tokens_named(&ft.value);
                if named.iter().any(|&i| visible(&&m.tokens[i as usize])) {
                    continue;
                }
                let (message, help) = match v.kind {
                    HolderKind::User => (
                        format!(
                            "{} names token {}, which is not defined in {}",
                            v.describe(),
                            ft.value,
                            m.vdom(v.scope)
                                .map_or("this unit".to_owned(), |x| format!("VDOM {x}"))
                        ),
                        "add the token to `config user fortitoken` in the same VDOM (import or activate it), \
                         or assign the user a token that exists",
                    ),
                    HolderKind::Admin => (
                        format!(
                            "{} names token {}, which no VDOM defines{}",
                            v.describe(),
                            ft.value,
                            if only_super_admin(m, v.name) {
                                ": it is the only super_admin, so a two-factor login fails and nobody is left to fix it (lockout)"
                            } else {
                                ""
                            }
                        ),
                        "add the token to `config user fortitoken` in the management VDOM, or assign the \
                         admin a token that exists",
                    ),
                };
                let mut f = b.at(
                    ft.node,
                    if v.kind == HolderKind::User {
                        "no such token here"
                    } else {
                        "no such token"
                    },
                    message,
                    help,
                );
                if let Some(t) = named.first().map(|&i| &m.tokens[i as usize]) {
                    f.related.push(b.label(
                        t.entry,
                        format!("defined in {} only", m.scopes[t.scope].label()),
                    ));
                }
                f.vdom = m.vdom(v.scope).map(str::to_owned);
                f.object = v.object();
                f.user = Some(v.name.to_owned());
                f.token = Some(ft.value.to_string());
                out.push(f);
            }
        }
    }
}
