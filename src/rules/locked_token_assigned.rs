//! FTK010: a token with `set status lock` is assigned to a user/admin.

use super::{Context, Finding, FindingBuilder, Fixable, Level, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "FTK010",
    name: "locked-token-assigned",
    summary: "a locked token is assigned: its holder cannot log in",
    default_severity: Severity::Warning,
    fixable: Fixable::No,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/locked_token_assigned.md"),
};

pub struct LockedTokenAssigned;

impl Rule for LockedTokenAssigned {
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
            for t in m
                .tokens
                .iter()
                .filter(|t| t.is_locked() && !t.holders.is_empty())
            {
                let Some(status) = t.status() else { continue };
                let mut f = b.at(
                    status.node,
                    "locked",
                    format!("token {} is locked but assigned to {} holder(s), who cannot authenticate", t.serial, t.holders.len()),
                    "the lock may also be automatic (the token was unassigned while FortiGuard was unreachable): check \
                     `diagnose fortitoken info` and FortiGuard reachability first; then unlock it (`set status active`) \
                     if the lock is no longer wanted, renew a licensed mobile token after unassigning it \
                     (`execute fortitoken-mobile renew`, KB 312027), or give the holder another token (KB 194364)",
                );
                f.related = b.holder_labels(t);
                out.push(b.for_token(f, t));
            }
        }
    }
}
