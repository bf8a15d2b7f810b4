//! FTK018: a holder who receives codes by SMS uses `sms-server custom` without a usable
//! `sms-custom-server`.

use super::{Context, Finding, FindingBuilder, Fixable, Level, Rule, RuleMeta, Severity};
use crate::model::{HolderKind, TokenKind};

pub static META: RuleMeta = RuleMeta {
    code: "FTK018",
    name: "unusable-custom-sms-server",
    summary: "sms-server custom without a defined sms-custom-server for a holder who gets codes by SMS",
    default_severity: Severity::Error,
    fixable: Fixable::No,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/unusable_custom_sms_server.md"),
};

pub struct UnusableCustomSmsServer;

impl Rule for UnusableCustomSmsServer {
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
            // The table lives in the global part: a VDOM backup or a fragment without it
            // cannot say whether a name is defined.
            let table_known = !m.sms_servers.is_empty()
                || (m.header.has_version_line && m.header.vdom_scope.is_none());
            for v in m.people() {
                let Some(custom) = v.sms_server.filter(|s| s.value == "custom") else {
                    continue;
                };
                let two_factor = v.two_factor.map_or("", |t| t.value.as_str());
                let by_sms = two_factor == "sms"
                    || (two_factor == "fortitoken"
                        && v.sms_phone.is_some()
                        && v.fortitoken.is_some_and(|t| {
                            TokenKind::from_serial(&t.value) != TokenKind::Hardware
                        }));
                if !by_sms {
                    continue;
                }
                let what = if two_factor == "sms" {
                    "login codes"
                } else {
                    "the FortiToken Mobile activation code"
                };
                let (node, label, problem) = match v.sms_custom_server {
                    None => (
                        custom.node,
                        "no `set sms-custom-server`".to_owned(),
                        "names no custom SMS server".to_owned(),
                    ),
                    Some(name)
                        if table_known
                            && !m.sms_servers.iter().any(|(_, n, _)| *n == name.value) =>
                    {
                        (
                            name.node,
                            format!("no `config system sms-server` entry \"{}\"", name.value),
                            format!(
                                "names SMS server \"{}\", which `config system sms-server` does not define",
                                name.value
                            ),
                        )
                    }
                    Some(_) => continue,
                };
                let admin = v.kind == HolderKind::Admin;
                let mut f = b.at(
                    node,
                    label,
                    format!(
                        "{} gets {what} by SMS through `sms-server custom` but {problem}{}",
                        v.describe(),
                        if admin && two_factor == "sms" {
                            ": the admin is locked out"
                        } else {
                            ""
                        }
                    ),
                    "define the server under `config system sms-server` and name it with `set sms-custom-server`, or `set sms-server fortiguard`",
                );
                f.severity = if admin {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                if node != custom.node {
                    f.related
                        .push(b.label(custom.node, "custom SMS server chosen here"));
                }
                if let Some(tf) = v.two_factor {
                    f.related
                        .push(b.label(tf.node, format!("two-factor {two_factor}")));
                }
                f.vdom = m.vdom(v.scope).map(str::to_owned);
                f.object = v.object();
                f.user = Some(v.name.to_owned());
                out.push(f);
            }
        }
    }
}
