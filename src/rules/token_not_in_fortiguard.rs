//! FTK104: the unit reports `activation error (token not exist in FortiGuard)`.

use super::runtime::{token_finding, token_statuses};
use super::{Context, Finding, FindingBuilder, Fixable, Level, Rule, RuleMeta, Severity};
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
        for (file, m) in cx.units() {
            let b = FindingBuilder {
                meta: &META,
                file,
                model: m,
            };
            for (t, s) in token_statuses(m) {
                if s.status != RuntimeStatus::NotInFortiguard {
                    continue;
                }
                out.push(token_finding(
                    &b,
                    t,
                    s,
                    format!("token {} could not be checked with FortiGuard: the unit reports `activation error (token not exist in FortiGuard)`", t.serial),
                    "fix FortiGuard reachability (`diagnose debug application forticldd -1`) and check again; Fortinet support needs the token serial and the FortiGate serial (FortiToken 8.0 guide)",
                ));
            }
        }
    }
}
