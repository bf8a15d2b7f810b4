//! FTK009: a hardware token (`FTK2…`) in a config that moves to another unit.

use super::{Context, Finding, FindingBuilder, Fixable, Intent, Level, Rule, RuleMeta, Severity};
use crate::model::TokenKind;

pub static META: RuleMeta = RuleMeta {
    code: "FTK009",
    name: "hardware-token-activation-lock",
    summary: "unseeded hardware token in a config restored on another unit: one activation (FTK211: seed file)",
    default_severity: Severity::Warning,
    fixable: Fixable::No,
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
            // Seeded hardware tokens carry unit-bound state: FTK001 reports them.
            for (i, t) in m
                .tokens
                .iter()
                .enumerate()
                .filter(|(_, t)| t.kind == TokenKind::Hardware && t.seed().is_none())
            {
                let mut f = if t.is_offline_hardware() {
                    let mut f = b.at(
                        t.entry,
                        "FortiToken-200CD",
                        format!(
                            "FortiToken-200CD {} is an offline token: it moves only with its seed file from the CD",
                            t.serial
                        ),
                        "import its seed file on the new unit (`execute fortitoken import ftp|tftp <file> <server> …`, \
                         KB 194435); never `execute fortitoken activate`, and support cannot reset an FTK211 (KB 232153)",
                    );
                    f.intent = Intent::ImportSeedFile { token: i };
                    f
                } else {
                    let mut f = b.at(
                        t.entry,
                        "never activated",
                        format!(
                            "hardware token {} has no seed in the backup: it was never activated, and its first \
                             activation locks it to the unit that does it",
                            t.serial
                        ),
                        "activate it once on the new unit with debug on first (`diagnose debug application forticldd 255`, \
                         `diagnose fortitoken debug enable`, `diagnose debug enable`), because there is only one \
                         chance to catch an error (KB 194508 step 5b)",
                    );
                    f.intent = Intent::ActivateHardware { token: i };
                    f
                };
                f.related = b.holder_labels(t);
                out.push(b.for_token(f, t));
            }
        }
    }
}
