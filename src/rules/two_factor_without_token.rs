//! FTK006: `set two-factor fortitoken` with no `set fortitoken`.

use super::{Context, Finding, FindingBuilder, Fixable, Level, Rule, RuleMeta, Severity};
use crate::model::Attr;

pub static META: RuleMeta = RuleMeta {
    code: "FTK006",
    name: "two-factor-without-token",
    summary: "two-factor fortitoken is on but no token is assigned",
    default_severity: Severity::Error,
    fixable: Fixable::No,
    migration_only: false,
    level: Level::File,
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
            for v in m.people() {
                let Some(tf) = wants_token(v.two_factor) else {
                    continue;
                };
                if v.fortitoken.is_some() {
                    continue;
                }
                let mut f = b.at(
                    tf.node,
                    format!("no `set fortitoken` in this {}", if v.table() == "user local" { "user" } else { "admin" }),
                    format!("{} requires a FortiToken but has none assigned", v.describe()),
                    "assign a token (`set fortitoken \"<serial>\"`) or choose another two-factor method",
                );
                f.vdom = m.vdom(v.scope).map(str::to_owned);
                f.object = v.object();
                f.user = Some(v.name.to_owned());
                out.push(f);
            }
        }
    }
}
