//! FTK003: the activation code ran out before the user activated the token.

use super::{Context, Finding, FindingBuilder, Fixable, Intent, Level, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "FTK003",
    name: "activation-expired",
    summary: "activation code expired before the token was activated (provision timeout)",
    default_severity: Severity::Error,
    fixable: Fixable::Yes,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/activation_expired.md"),
};

pub struct ActivationExpired;

/// `two-factor-ftm-expiry` (hours, 1–168, default 72; KB 194933).
fn ftm_expiry_hours(m: &crate::model::Model<'_>) -> u64 {
    m.system_global
        .as_ref()
        .and_then(|g| g.two_factor_ftm_expiry.as_ref())
        .and_then(|a| a.value.trim().parse::<u64>().ok())
        .filter(|h| (1..=168).contains(h))
        .unwrap_or(72)
}

fn days(secs: u64) -> String {
    match secs / 86_400 {
        1 => "1 day".to_owned(),
        d => format!("{d} days"),
    }
}

impl Rule for ActivationExpired {
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
            let window = ftm_expiry_hours(m) * 3600;
            for (i, t) in m.tokens.iter().enumerate() {
                let Some((node, at)) = t.activation_expire() else {
                    continue;
                };
                if t.activation_expired(cx.now) {
                    // In migration mode the token takes the migration path (FTK001/FTK008).
                    if cx.migration(file) {
                        continue;
                    }
                    let mut f = b.at(
                        node,
                        "expired",
                        format!(
                            "activation of token {} expired {} ago and the backup shows no phone registration \
                             (most likely `provision timeout`)",
                            t.serial,
                            days(cx.now - at)
                        ),
                        "confirm with `diagnose fortitoken info` (status `provision timeout`), then re-provision: \
                         `execute fortitoken-mobile provision <serial>` or toggle the holder's two-factor off and on \
                         with the same token (KB 194933, KB 194364); `renew` is only for locked tokens \
                         (`fortilint fix` writes the script)",
                    );
                    f.related = b.holder_labels(t);
                    if !t.holders.is_empty() {
                        f.intent = Intent::Reprovision { token: i };
                    }
                    out.push(b.for_token(f, t));
                } else if at > cx.now.saturating_add(window) {
                    let mut f = b.at(
                        node,
                        "further ahead than the unit allows",
                        format!(
                            "activation of token {} expires {} after the check time, but `two-factor-ftm-expiry` allows \
                             at most {} hours: a clock problem or a hand edit",
                            t.serial,
                            days(at - cx.now),
                            window / 3600
                        ),
                        "check the unit's clock (NTP) and the history of this backup; the deadline FortiOS \
                         writes is the assignment time plus `two-factor-ftm-expiry`",
                    );
                    f.severity = Severity::Warning;
                    out.push(b.for_token(f, t));
                }
            }
        }
    }
}
