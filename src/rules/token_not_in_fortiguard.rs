//! FTK104: the unit reports `activation error (token not exist in FortiGuard)`.

use super::runtime::report_status;
use super::{Context, Finding, Fixable, Level, Rule, RuleMeta, Severity};
use crate::model::RuntimeStatus;

pub static META: RuleMeta = RuleMeta {
    code: "FTK104",
    name: "token-not-in-fortiguard",
    summary: "the unit reports `activation error (token not exist in FortiGuard)`",
    default_severity: Severity::Error,
    fixable: Fixable::No,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/token_not_in_fortiguard.md"),
};

pub struct TokenNotInFortiguard;

impl Rule for TokenNotInFortiguard {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        report_status(
            cx,
            out,
            &META,
            RuntimeStatus::NotInFortiguard,
            |t| {
                format!(
                    "token {} could not be checked with FortiGuard: the unit reports `activation error (token not exist in FortiGuard)`",
                    t.serial
                )
            },
            "fix FortiGuard reachability (`diagnose debug application forticldd -1`) and check again; Fortinet support needs the token serial and the FortiGate serial (FortiToken 8.0 guide)",
        );
    }
}
