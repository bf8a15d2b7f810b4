//! FTK017: holders on `two-factor fortitoken-cloud` while `config system global` turns
//! FortiToken Cloud off.

use super::{Context, Finding, FindingBuilder, Fixable, Level, Rule, RuleMeta, Severity};
use crate::model::HolderKind;

pub static META: RuleMeta = RuleMeta {
    code: "FTK017",
    name: "fortitoken-cloud-disabled",
    summary: "two-factor fortitoken-cloud while system global has fortitoken-cloud disable",
    default_severity: Severity::Error,
    fixable: Fixable::No,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/fortitoken_cloud_disabled.md"),
};

pub struct FortitokenCloudDisabled;

impl Rule for FortitokenCloudDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for (file, m) in cx.units() {
            let Some(off) = m
                .system_global
                .as_ref()
                .and_then(|g| g.fortitoken_cloud.as_ref())
                .filter(|a| a.value == "disable")
            else {
                continue;
            };
            let b = FindingBuilder {
                meta: &META,
                file,
                model: m,
            };
            for v in m.people() {
                let Some(tf) = v.two_factor.filter(|t| t.value == "fortitoken-cloud") else {
                    continue;
                };
                let admin = v.kind == HolderKind::Admin;
                let mut f = b.at(
                    tf.node,
                    "FortiToken Cloud method",
                    format!(
                        "{} uses two-factor fortitoken-cloud but FortiToken Cloud is disabled in `config system global`{}",
                        v.describe(),
                        if admin { ": the admin cannot complete a login" } else { "" }
                    ),
                    "enable it (`config system global` / `set fortitoken-cloud enable`) or move the holder to another two-factor method",
                );
                f.severity = if admin {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                f.related
                    .push(b.label(off.node, "FortiToken Cloud turned off here"));
                f.vdom = m.vdom(v.scope).map(str::to_owned);
                f.object = v.object();
                f.user = Some(v.name.to_owned());
                out.push(f);
            }
        }
    }
}
