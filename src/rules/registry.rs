//! The rule registry: a plain list sorted by code. Tests check that codes are unique and
//! sorted, that names are kebab-case, and that every rule has docs and fixtures.

use super::Rule;
use super::{
    activation_expired::ActivationExpired, duplicate_reg_id::DuplicateRegId,
    duplicate_token_entry::DuplicateTokenEntry,
    hardware_token_activation_lock::HardwareTokenActivationLock,
    locked_token_assigned::LockedTokenAssigned, managed_by_fortimanager::ManagedByFortimanager,
    no_activation_delivery::NoActivationDelivery, orphan_activated_token::OrphanActivatedToken,
    seeded_token_migration::SeededTokenMigration, token_assigned_twice::TokenAssignedTwice,
    token_on_several_units::TokenOnSeveralUnits, trial_token_migration::TrialTokenMigration,
    two_factor_without_token::TwoFactorWithoutToken,
    unknown_token_reference::UnknownTokenReference,
};
use super::{
    forticare_licence_error::ForticareLicenceError, hardware_lock_confirmed::HardwareLockConfirmed,
    provision_timeout_confirmed::ProvisionTimeoutConfirmed,
    runtime_status_contradicts_backup::RuntimeStatusContradictsBackup,
    token_not_in_fortiguard::TokenNotInFortiguard,
    token_server_unreachable::TokenServerUnreachable,
};

/// Every rule, sorted by code.
pub static RULES: &[&dyn Rule] = &[
    &SeededTokenMigration,
    &DuplicateRegId,
    &ActivationExpired,
    &UnknownTokenReference,
    &TokenAssignedTwice,
    &TwoFactorWithoutToken,
    &NoActivationDelivery,
    &TrialTokenMigration,
    &HardwareTokenActivationLock,
    &LockedTokenAssigned,
    &ManagedByFortimanager,
    &TokenOnSeveralUnits,
    &DuplicateTokenEntry,
    &OrphanActivatedToken,
    // FTK1xx: rules that need runtime evidence.
    &RuntimeStatusContradictsBackup,
    &ProvisionTimeoutConfirmed,
    &HardwareLockConfirmed,
    &TokenNotInFortiguard,
    &TokenServerUnreachable,
    &ForticareLicenceError,
];

/// Finds a rule by code (`FTK002`, any case) or name (`duplicate-reg-id`).
pub fn find(key: &str) -> Option<&'static dyn Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.meta().code.eq_ignore_ascii_case(key) || r.meta().name == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_unique_sorted_names_kebab() {
        let codes: Vec<&str> = RULES.iter().map(|r| r.meta().code).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes, sorted, "codes must be unique and in order");
        for r in RULES {
            let m = r.meta();
            assert!(m.code.len() == 6 && m.code.starts_with("FTK"), "{}", m.code);
            assert!(
                m.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{}",
                m.name
            );
        }
    }

    #[test]
    fn docs_have_every_heading() {
        for r in RULES {
            let m = r.meta();
            assert!(
                m.docs.starts_with(&format!("# {} {}", m.code, m.name)),
                "{} title",
                m.code
            );
            for h in [
                "## What it does",
                "## Why it matters",
                "## Example",
                "## How to fix",
                "## References",
            ] {
                assert!(m.docs.contains(h), "{} lacks {h}", m.code);
            }
        }
    }

    #[test]
    fn lookup_by_code_or_name() {
        assert_eq!(
            find("ftk002").map(|r| r.meta().name),
            Some("duplicate-reg-id")
        );
        assert_eq!(
            find("orphan-activated-token").map(|r| r.meta().code),
            Some("FTK014")
        );
        assert!(find("FTK999").is_none());
    }
}
