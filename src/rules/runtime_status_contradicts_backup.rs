//! FTK101: the unit's runtime status of a token contradicts what the backup says.

use super::runtime::{token_finding, token_statuses};
use super::{Context, Finding, FindingBuilder, Fixable, Level, Rule, RuleMeta, Severity};
use crate::model::RuntimeStatus;

pub static META: RuleMeta = RuleMeta {
    code: "FTK101",
    name: "runtime-status-contradicts-backup",
    summary: "the unit's `diagnose fortitoken info` status contradicts the backup",
    default_severity: Severity::Warning,
    fixable: Fixable::No,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/runtime_status_contradicts_backup.md"),
};

pub struct RuntimeStatusContradictsBackup;

impl Rule for RuntimeStatusContradictsBackup {
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
                let why = if t.is_locked() && s.status != RuntimeStatus::Locked {
                    format!(
                        "the backup locks token {} (`set status lock`) but the unit reports `{}`",
                        t.serial, s.raw
                    )
                } else if !t.is_locked() && s.status == RuntimeStatus::Locked {
                    format!(
                        "the unit reports token {} as `locked` but the backup has it active",
                        t.serial
                    )
                } else if !t.holders.is_empty() && s.status == RuntimeStatus::New {
                    format!(
                        "the backup assigns token {} to {} holder(s) but the unit reports it `new` (not assigned, not activated)",
                        t.serial,
                        t.holders.len()
                    )
                } else {
                    continue;
                };
                out.push(token_finding(
                    &b,
                    t,
                    s,
                    why,
                    "the backup is not what the unit runs: take a fresh backup, or restore the \
                     expected configuration, before planning any token change",
                ));
            }
        }
    }
}
