//! FTK007: a token that still needs activation is held by someone with neither `email-to` nor
//! `sms-phone`, so the activation code cannot reach them.

use super::{Context, Finding, FindingBuilder, Fixable, Level, Rule, RuleMeta, Severity};
use crate::model::{HolderKind, TokenKind};

pub static META: RuleMeta = RuleMeta {
    code: "FTK007",
    name: "no-activation-delivery",
    summary: "the holder of a token awaiting activation has no email-to or sms-phone",
    default_severity: Severity::Warning,
    fixable: Fixable::No,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/no_activation_delivery.md"),
};

pub struct NoActivationDelivery;

impl Rule for NoActivationDelivery {
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
            // Hardware tokens need no activation message; a registered app is activated.
            for t in m
                .tokens
                .iter()
                .filter(|t| t.kind != TokenKind::Hardware && !t.phone_registered())
            {
                // From 7.6.3 the code is no longer in the alertmail debug or System Events
                // (KB 276480): without an address nobody can hand it over.
                let no_fallback = m.firmware_version().is_some_and(|v| v >= (7, 6, 3));
                for h in &t.holders {
                    let v = m.holder(h);
                    if v.email_to.is_some() || v.sms_phone.is_some() {
                        continue;
                    }
                    let mut f = b.at(
                        v.token_line(),
                        "no email-to or sms-phone",
                        format!(
                            "token {} awaits activation but {} has no email address or phone number to receive the code",
                            t.serial,
                            v.describe()
                        ),
                        if no_fallback {
                            "set `email-to` (or `sms-phone`) on the holder so FortiGate can deliver the activation code; \
                             from FortiOS 7.6.3 the code is no longer shown in the alertmail debug or System Events \
                             (KB 276480), so there is no other way to hand it over"
                        } else {
                            "set `email-to` (or `sms-phone`) on the holder so FortiGate can deliver the activation code \
                             (before 7.6.3 an administrator can still read it from System Events, KB 276480)"
                        },
                    );
                    if v.kind == HolderKind::Admin {
                        // An administrator who cannot activate is locked out of two-factor login.
                        f.severity = Severity::Error;
                    }
                    f.related
                        .push(b.label(t.entry, "token awaiting activation"));
                    f.vdom = m.vdom(v.scope).map(str::to_owned);
                    f.object = v.object();
                    f.user = Some(v.name.to_owned());
                    f.token = Some(t.serial.to_string());
                    out.push(f);
                }
            }
        }
    }
}
