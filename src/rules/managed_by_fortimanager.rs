//! FTK011: the unit is managed by FortiManager and has token findings: remediation must go
//! through FortiManager (or be followed by a config retrieve there).

use super::{Context, Finding, FindingBuilder, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "FTK011",
    name: "managed-by-fortimanager",
    summary: "token problems on a FortiManager-managed unit: fix them through FortiManager",
    default_severity: Severity::Warning,
    fixable: false,
    migration_only: false,
    after_others: true,
    docs: include_str!("../../docs/rules/managed_by_fortimanager.md"),
};

pub struct ManagedByFortimanager;

impl Rule for ManagedByFortimanager {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for (file, m) in cx.units() {
            let Some(cm) = m
                .central_management
                .as_ref()
                .filter(|c| c.is_fortimanager())
            else {
                continue;
            };
            let codes: Vec<&str> = {
                let mut c: Vec<&str> = cx
                    .prior
                    .iter()
                    .filter(|f| f.primary.file == file && f.code != META.code)
                    .map(|f| f.code)
                    .collect();
                c.sort_unstable();
                c.dedup();
                c
            };
            if codes.is_empty() {
                continue;
            }
            let b = FindingBuilder {
                meta: &META,
                file,
                model: m,
            };
            let node = cm.kind.as_ref().map_or(cm.node, |k| k.node);
            let fmg = cm
                .fmg
                .as_ref()
                .map_or(String::new(), |f| format!(" ({})", f.value));
            let mut f = b.at(
                node,
                "managed by FortiManager",
                format!("unit is managed by FortiManager{fmg} and has token findings ({})", codes.join(", ")),
                "apply the remediation in FortiManager, or run it on the unit and then retrieve the \
                 config in FortiManager so its device database stays in sync",
            );
            f.object = "system central-management".to_owned();
            out.push(f);
        }
    }
}
