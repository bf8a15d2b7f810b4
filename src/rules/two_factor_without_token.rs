//! FTK006: `set two-factor fortitoken` with no `set fortitoken`.

use super::{Context, Finding, FindingBuilder, Rule, RuleMeta, Severity};
use crate::model::Attr;

pub static META: RuleMeta = RuleMeta {
    code: "FTK006",
    name: "two-factor-without-token",
    summary: "two-factor fortitoken is on but no token is assigned",
    default_severity: Severity::Error,
    fixable: false,
    migration_only: false,
    after_others: false,
    docs: include_str!("../../docs/rules/two_factor_without_token.md"),
};

pub struct TwoFactorWithoutToken;

fn wants_token(tf: Option<&Attr>) -> Option<&Attr> {
    tf.filter(|a| a.value == "fortitoken")
}

impl Rule for TwoFactorWithoutToken {
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
            let help = "assign a token (`set fortitoken \"<serial>\"`) or choose another two-factor method";
            for u in &m.users {
                let Some(tf) = wants_token(u.two_factor.as_ref()) else {
                    continue;
                };
                if u.fortitoken.is_some() {
                    continue;
                }
                let mut f = b.at(
                    tf.node,
                    "no `set fortitoken` in this user",
                    format!(
                        "user \"{}\" requires a FortiToken but has none assigned",
                        u.name
                    ),
                    help,
                );
                f.vdom = m.vdom(u.scope).map(str::to_owned);
                f.object = format!("user local/{}", u.name);
                f.user = Some(u.name.clone());
                out.push(f);
            }
            for a in &m.admins {
                let Some(tf) = wants_token(a.two_factor.as_ref()) else {
                    continue;
                };
                if a.fortitoken.is_some() {
                    continue;
                }
                let mut f = b.at(
                    tf.node,
                    "no `set fortitoken` in this admin",
                    format!(
                        "admin \"{}\" requires a FortiToken but has none assigned",
                        a.name
                    ),
                    help,
                );
                f.object = format!("system admin/{}", a.name);
                f.user = Some(a.name.clone());
                out.push(f);
            }
        }
    }
}
