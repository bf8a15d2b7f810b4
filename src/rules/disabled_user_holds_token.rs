//! FTK022: a disabled local user still holds a FortiToken.

use super::{Context, Finding, FindingBuilder, Fixable, Level, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "FTK022",
    name: "disabled-user-holds-token",
    summary: "a disabled user still holds a FortiToken (licence slot kept by a leaver)",
    default_severity: Severity::Warning,
    fixable: Fixable::No,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/disabled_user_holds_token.md"),
};

pub struct DisabledUserHoldsToken;

impl Rule for DisabledUserHoldsToken {
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
                let (Some(status), Some(token)) = (
                    u.status.as_ref().filter(|s| s.value == "disable"),
                    u.fortitoken.as_ref(),
                ) else {
                    continue;
                };
                let mut f = b.at(
                    token.node,
                    "token still assigned",
                    format!(
                        "user \"{}\" is disabled but still holds token {}: the token keeps a licence slot and stays valid if the account is enabled again",
                        u.name, token.value
                    ),
                    "if the user has left, `set two-factor disable` (this unassigns the token) and delete or reuse the token; otherwise ignore this finding with a reason",
                );
                f.related.push(b.label(status.node, "account disabled"));
                if let Some(t) = m
                    .tokens
                    .iter()
                    .find(|t| t.serial == token.value && m.user_sees(u.scope, t.scope))
                {
                    f.related.push(b.label(t.entry, "token entry"));
                }
                f.vdom = m.vdom(u.scope).map(str::to_owned);
                f.object = format!("user local/{}", u.name);
                f.user = Some(u.name.clone());
                f.token = Some(token.value.to_string());
                out.push(f);
            }
        }
    }
}
