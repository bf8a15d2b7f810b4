//! FTK003: the activation code ran out before the user activated the token.

use super::{Context, Finding, FindingBuilder, Level, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "FTK003",
    name: "activation-expired",
    summary: "activation code expired before the token was activated (provision timeout)",
    default_severity: Severity::Error,
    fixable: true,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/activation_expired.md"),
};

pub struct ActivationExpired;

impl Rule for ActivationExpired {
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
            for t in m.tokens.iter().filter(|t| t.activation_expired(cx.now)) {
                let Some((node, at)) = t.activation_expire else {
                    continue;
                };
                let days = (cx.now - at) / 86_400;
                let mut f = b.at(
                    node,
                    "expired",
                    format!("activation of token {} expired {} day(s) ago and the token was never activated", t.serial, days),
                    "renew the token (`execute fortitoken-mobile renew`) and reassign it so a new \
                     activation code is sent (`fortilint fix` writes the script)",
                );
                f.related = b.holder_labels(t);
                out.push(b.for_token(f, t));
            }
        }
    }
}
