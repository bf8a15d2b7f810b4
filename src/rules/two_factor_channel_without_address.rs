//! FTK016: `two-factor email` without `email-to`, `two-factor sms` without `sms-phone`: the
//! code has nowhere to go.

use super::{Context, Finding, FindingBuilder, Fixable, Level, Rule, RuleMeta, Severity};
use crate::model::HolderKind;

pub static META: RuleMeta = RuleMeta {
    code: "FTK016",
    name: "two-factor-channel-without-address",
    summary: "two-factor email or sms without email-to or sms-phone: no code can be delivered",
    default_severity: Severity::Error,
    fixable: Fixable::No,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/two_factor_channel_without_address.md"),
};

pub struct TwoFactorChannelWithoutAddress;

impl Rule for TwoFactorChannelWithoutAddress {
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
                let Some(tf) = v.two_factor else { continue };
                let (missing, attr) = match tf.value.as_str() {
                    "email" if v.email_to.is_none() => ("email-to", "an email address"),
                    "sms" if v.sms_phone.is_none() => ("sms-phone", "a phone number"),
                    _ => continue,
                };
                let admin = v.kind == HolderKind::Admin;
                let message = if admin {
                    format!(
                        "{} uses two-factor {} but has no {}: the login code cannot be delivered, so the admin is locked out",
                        v.describe(),
                        tf.value,
                        missing
                    )
                } else {
                    format!(
                        "{} uses two-factor {} but has no {}: the login code cannot be delivered",
                        v.describe(),
                        tf.value,
                        missing
                    )
                };
                let mut f = b.at(
                    tf.node,
                    format!("no {missing} to send the code to"),
                    message,
                    format!(
                        "set `{missing}` to {attr} the holder can reach, or choose another two-factor method"
                    ),
                );
                f.severity = if admin {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                f.related.push(b.label(v.entry, v.describe()));
                f.vdom = m.vdom(v.scope).map(str::to_owned);
                f.object = v.object();
                f.user = Some(v.name.to_owned());
                out.push(f);
            }
        }
    }
}
