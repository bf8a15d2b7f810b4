//! FTK009: a hardware token (`FTK2…`) in a config that moves to another unit.

use super::{Context, Finding, FindingBuilder, Level, Rule, RuleMeta, Severity};
use crate::model::TokenKind;

pub static META: RuleMeta = RuleMeta {
    code: "FTK009",
    name: "hardware-token-activation-lock",
    summary: "hardware tokens are locked to their first unit: a lock reset by Fortinet support is needed",
    default_severity: Severity::Warning,
    fixable: true,
    migration_only: true,
    level: Level::File,
    docs: include_str!("../../docs/rules/hardware_token_activation_lock.md"),
};

pub struct HardwareTokenActivationLock;

impl Rule for HardwareTokenActivationLock {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for (file, m) in cx.units().filter(|(f, _)| cx.migration(*f)) {
            let b = FindingBuilder {
                meta: &META,
                file,
                model: m,
            };
            for t in m.tokens.iter().filter(|t| t.kind == TokenKind::Hardware) {
                let mut f = b.at(
                    t.entry,
                    "hardware token",
                    format!("hardware token {} is activation-locked to the unit that first activated it", t.serial),
                    "open a Fortinet support ticket (FortiToken and new FortiGate serials) to reset the \
                     activation lock before `execute fortitoken activate` on the new unit",
                );
                f.related = b.holder_labels(t);
                out.push(b.for_token(f, t));
            }
        }
    }
}
