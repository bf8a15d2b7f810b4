//! The rule registry: a plain list sorted by code. Tests check that codes are unique and
//! sorted, that names are kebab-case, and that every rule has docs and fixtures.

use super::Rule;
use super::{
    activation_expired::ActivationExpired, disabled_user_holds_token::DisabledUserHoldsToken,
    duplicate_reg_id::DuplicateRegId, duplicate_token_entry::DuplicateTokenEntry,
    fabric_user_token::FabricUserToken, fortitoken_cloud_disabled::FortitokenCloudDisabled,
    ftm_push_misconfigured::FtmPushMisconfigured, ha_cluster_migration::HaClusterMigration,
    hardware_token_activation_bug::HardwareTokenActivationBug,
    hardware_token_activation_lock::HardwareTokenActivationLock,
    locked_token_assigned::LockedTokenAssigned, managed_by_fortimanager::ManagedByFortimanager,
    no_activation_delivery::NoActivationDelivery, no_break_glass_admin::NoBreakGlassAdmin,
    orphan_activated_token::OrphanActivatedToken,
    private_data_encryption_migration::PrivateDataEncryptionMigration,
    seeded_token_migration::SeededTokenMigration, token_assigned_twice::TokenAssignedTwice,
    token_on_several_units::TokenOnSeveralUnits, trial_token_migration::TrialTokenMigration,
    two_factor_channel_without_address::TwoFactorChannelWithoutAddress,
    two_factor_expiry_too_short::TwoFactorExpiryTooShort,
    two_factor_without_token::TwoFactorWithoutToken,
    unknown_token_reference::UnknownTokenReference,
    unusable_custom_sms_server::UnusableCustomSmsServer,
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
    &NoBreakGlassAdmin,
    &TwoFactorChannelWithoutAddress,
    &FortitokenCloudDisabled,
    &UnusableCustomSmsServer,
    &FtmPushMisconfigured,
    &PrivateDataEncryptionMigration,
    &TwoFactorExpiryTooShort,
    &DisabledUserHoldsToken,
    &HardwareTokenActivationBug,
    &HaClusterMigration,
    &FabricUserToken,
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
