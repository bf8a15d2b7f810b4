//! FTK023: hardware tokens on a firmware with the activation-by-serial bug 1218458.

use super::{Context, Finding, FindingBuilder, Fixable, Level, Rule, RuleMeta, Severity};
use crate::model::TokenKind;

pub static META: RuleMeta = RuleMeta {
    code: "FTK023",
    name: "hardware-token-activation-bug",
    summary: "hardware token to activate on FortiOS 7.4.11 or 7.6.3-7.6.6 (bug 1218458: cmdb save error)",
    default_severity: Severity::Warning,
    fixable: Fixable::No,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/hardware_token_activation_bug.md"),
};

pub struct HardwareTokenActivationBug;

/// Firmware versions with bug 1218458 (KB 222475).
pub fn affected(v: (u32, u32, u32)) -> bool {
    crate::model::activation_bug_1218458(v)
}

impl Rule for HardwareTokenActivationBug {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for (file, m) in cx.units() {
            if !m.firmware_version().is_some_and(affected) {
                continue;
            }
            let firmware = m.header.firmware.as_deref().unwrap_or("");
            let b = FindingBuilder {
                meta: &META,
                file,
                model: m,
            };
            // FTK211 (200CD) seeds come from a file, never from activation by serial. A
            // seeded token was activated already: only a move activates it again.
            for t in m.tokens.iter().filter(|t| {
                t.kind == TokenKind::Hardware
                    && !t.serial.starts_with("FTK211")
                    && (t.seed().is_none() || cx.migration(file))
            }) {
                let when = if t.seed().is_none() {
                    "still needs activation"
                } else {
                    "must be activated again after the move"
                };
                let mut f = b.at(
                    t.entry,
                    "hardware token",
                    format!(
                        "hardware token {} {when}, and activation by serial fails on FortiOS {firmware} with `cmdb save error` (bug 1218458)",
                        t.serial
                    ),
                    "upgrade to 7.4.12, 7.6.7 or later before `execute fortitoken activate`; the seed-file import workaround is for FortiToken-200CD only (unverified for other models)",
                );
                f.related = b.holder_labels(t);
                out.push(b.for_token(f, t));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::affected;

    #[test]
    fn affected_versions() {
        for v in [(7, 4, 11), (7, 6, 3), (7, 6, 6)] {
            assert!(affected(v), "{v:?}");
        }
        for v in [
            (7, 4, 10),
            (7, 4, 12),
            (7, 6, 2),
            (7, 6, 7),
            (8, 0, 0),
            (6, 4, 11),
        ] {
            assert!(!affected(v), "{v:?}");
        }
    }
}

#[cfg(test)]
mod migration_tests {
    use crate::model::Model;
    use crate::parse::parse;
    use crate::rules::run_file;

    #[test]
    fn a_seeded_token_counts_only_when_it_moves() {
        let text = "#config-version=FGT60F-7.6.5-FW-build3610-250918:opmode=0:vdom=0:user=admin
config user fortitoken
    edit \"FTK200AAAAAAAAAA\"
        set seed ENC c2VlZA==
    next
end
";
        let m = Model::build(parse(text).unwrap());
        let count = |migration| {
            run_file(0, &m, 1_700_000_000, migration)
                .iter()
                .filter(|f| f.code == "FTK023")
                .count()
        };
        assert_eq!((count(false), count(true)), (0, 1));
    }
}
