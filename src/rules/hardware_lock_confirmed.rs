//! FTK103: the unit reports a hardware token locked by FortiGuard (`token already activated, and seed won't be returned`).

use super::runtime::report_status;
use super::{Context, Finding, Fixable, Level, Rule, RuleMeta, Severity};
use crate::model::RuntimeStatus;

pub static META: RuleMeta = RuleMeta {
    code: "FTK103",
    name: "hardware-lock-confirmed",
    summary: "the unit reports a hardware token locked by FortiGuard (`token already activated, and seed won't be returned`)",
    default_severity: Severity::Error,
    fixable: Fixable::No,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/hardware_lock_confirmed.md"),
};

pub struct HardwareLockConfirmed;

impl Rule for HardwareLockConfirmed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        report_status(
            cx,
            out,
            &META,
            RuntimeStatus::AlreadyActivated,
            |t| {
                format!(
                    "hardware token {} is activated on another device and locked by FortiGuard: the seed will not be returned",
                    t.serial
                )
            },
            "open a TAC ticket to reset the activation lock (FTK-200/220), then activate the token once on this unit with debug on (KB 232153, KB 194508)",
        );
    }
}
