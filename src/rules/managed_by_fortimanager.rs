//! FTK011: the unit is managed by FortiManager and has token findings: remediation must go
//! through FortiManager (or be followed by a config retrieve there).

use super::{Context, Finding, Fixable, Intent, Label, Level, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "FTK011",
    name: "managed-by-fortimanager",
    summary: "token problems on a FortiManager-managed unit: fix them through FortiManager",
    default_severity: Severity::Warning,
    fixable: Fixable::No,
    migration_only: false,
    level: Level::RunLast,
    docs: include_str!("../../docs/rules/managed_by_fortimanager.md"),
};

pub struct ManagedByFortimanager;

impl Rule for ManagedByFortimanager {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for unit in cx.facts {
            let Some(fm) = &unit.fortimanager else {
                continue;
            };
            let mut codes: Vec<&str> = cx
                .prior
                .iter()
                // Token and holder findings that call for a change (not info notes).
                .filter(|f| f.primary.file == unit.file && f.code != META.code)
                .filter(|f| {
                    (f.token.is_some() || f.user.is_some()) && f.severity >= Severity::Warning
                })
                .map(|f| f.code)
                .collect();
            codes.sort_unstable();
            codes.dedup();
            if codes.is_empty() {
                continue;
            }
            let fmg = fm.fmg.as_ref().map_or(String::new(), |f| format!(" ({f})"));
            out.push(Finding {
                code: META.code,
                name: META.name,
                severity: META.default_severity,
                vdom: None,
                object: "system central-management".to_owned(),
                token: None,
                user: None,
                message: format!("unit is managed by FortiManager{fmg} and has token findings ({})", codes.join(", ")),
                help: "apply the remediation in FortiManager, or run it on the unit and then retrieve \
                       the config in FortiManager so its device database stays in sync"
                    .to_owned(),
                primary: Label { file: unit.file, span: fm.span, message: "managed by FortiManager".to_owned() },
                related: Vec::new(),
                intent: Intent::Advice,
            });
        }
    }
}
