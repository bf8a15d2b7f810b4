//! FTK102: the unit reports `provision timeout` for a FortiToken Mobile.

use super::runtime::report_status;
use super::{Context, Finding, Fixable, Level, Rule, RuleMeta, Severity};
use crate::model::RuntimeStatus;

pub static META: RuleMeta = RuleMeta {
    code: "FTK102",
    name: "provision-timeout-confirmed",
    summary: "the unit reports `provision timeout` for a FortiToken Mobile",
    default_severity: Severity::Warning,
    fixable: Fixable::No,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/provision_timeout_confirmed.md"),
};

pub struct ProvisionTimeoutConfirmed;

impl Rule for ProvisionTimeoutConfirmed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        report_status(
            cx,
            out,
            &META,
            RuntimeStatus::ProvisionTimeout,
            |t| {
                format!(
                    "token {} was not activated in time: the unit reports `provision timeout`",
                    t.serial
                )
            },
            "re-provision it: `execute fortitoken-mobile provision <serial>` (not `renew`), then have the user activate it within the activation window (KB 194364)",
        );
    }
}
