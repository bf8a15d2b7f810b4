//! FTK004: a user or admin names a token serial that no `config user fortitoken` entry
//! defines (users: in their VDOM; admins: in any VDOM).

use super::{Context, Finding, FindingBuilder, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "FTK004",
    name: "unknown-token-reference",
    summary: "a user or admin names a token that is not defined",
    default_severity: Severity::Error,
    fixable: false,
    migration_only: false,
    after_others: false,
    docs: include_str!("../../docs/rules/unknown_token_reference.md"),
};

pub struct UnknownTokenReference;

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
            for u in &m.users {
                let Some(ft) = &u.fortitoken else { continue };
                if m.tokens
                    .iter()
                    .any(|t| t.serial == ft.value && m.user_sees(u.scope, t.scope))
                {
                    continue;
                }
                let elsewhere = m.tokens.iter().find(|t| t.serial == ft.value);
                let mut f = b.at(
                    ft.node,
                    "no such token here",
                    format!("user \"{}\" names token {}, which is not defined in {}", u.name, ft.value,
                        m.vdom(u.scope).map_or("this unit".to_owned(), |v| format!("VDOM {v}"))),
                    "add the token to `config user fortitoken` in the same VDOM (import or activate it), \
                     or assign the user a token that exists",
                );
                if let Some(t) = elsewhere {
                    f.related.push(b.label(
                        t.entry,
                        format!("defined in {} only", m.scopes[t.scope].label()),
                    ));
                }
                f.vdom = m.vdom(u.scope).map(str::to_owned);
                f.object = format!("user local/{}", u.name);
                f.user = Some(u.name.clone());
                f.token = Some(ft.value.clone());
                out.push(f);
            }
            for a in &m.admins {
                let Some(ft) = &a.fortitoken else { continue };
                if m.tokens.iter().any(|t| t.serial == ft.value) {
                    continue;
                }
                let mut f = b.at(
                    ft.node,
                    "no such token",
                    format!("admin \"{}\" names token {}, which no VDOM defines", a.name, ft.value),
                    "add the token to `config user fortitoken` in the management VDOM, or assign the \
                     admin a token that exists",
                );
                f.object = format!("system admin/{}", a.name);
                f.user = Some(a.name.clone());
                f.token = Some(ft.value.clone());
                out.push(f);
            }
        }
    }
}
