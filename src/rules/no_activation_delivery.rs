//! FTK007: a token that still needs activation is held by someone with neither `email-to` nor
//! `sms-phone`, so the activation code cannot reach them.

use super::{Context, Finding, FindingBuilder, Rule, RuleMeta, Severity, holder_ref};
use crate::model::{HolderKind, TokenKind};

pub static META: RuleMeta = RuleMeta {
    code: "FTK007",
    name: "no-activation-delivery",
    summary: "the holder of a token awaiting activation has no email-to or sms-phone",
    default_severity: Severity::Warning,
    fixable: false,
    migration_only: false,
    after_others: false,
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
                .filter(|t| t.kind != TokenKind::Hardware && t.reg_id.is_none())
            {
                for h in &t.holders {
                    let (email, sms, name, object, vdom) = match h.kind {
                        HolderKind::User => {
                            let u = &m.users[h.index];
                            (
                                &u.email_to,
                                &u.sms_phone,
                                &u.name,
                                format!("user local/{}", u.name),
                                m.vdom(u.scope),
                            )
                        }
                        HolderKind::Admin => {
                            let a = &m.admins[h.index];
                            (
                                &a.email_to,
                                &a.sms_phone,
                                &a.name,
                                format!("system admin/{}", a.name),
                                None,
                            )
                        }
                    };
                    if email.is_some() || sms.is_some() {
                        continue;
                    }
                    let (node, what) = holder_ref(m, h);
                    let mut f = b.at(
                        node,
                        "no email-to or sms-phone",
                        format!("token {} awaits activation but {what} has no email address or phone number to receive the code", t.serial),
                        "set `email-to` (or `sms-phone`) on the holder so FortiGate can deliver the activation code",
                    );
                    f.related
                        .push(b.label(t.entry, "token awaiting activation"));
                    f.vdom = vdom.map(str::to_owned);
                    f.object = object;
                    f.user = Some(name.clone());
                    f.token = Some(t.serial.clone());
                    out.push(f);
                }
            }
        }
    }
}
