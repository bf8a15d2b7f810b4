//! What should be done about a finding, as typed data (ruff attaches the fix to the
//! diagnostic; so do we). Rules decide the intent from the facts they saw; the remediation
//! plan (`crate::fix::plan`) is built from these intents only, never from rule codes.
//!
//! Token references are indices into [`crate::model::Model::tokens`] of the finding's file.

use crate::model::Holder;

/// The remediation a finding asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Intent {
    /// Nothing a script can do: the help text is the advice (tickets, licences, people).
    #[default]
    Advice,
    /// A purchased FortiToken Mobile bound to the old unit: unassign and delete every token of
    /// its licence in the VDOM, re-import the licence with the activation code Customer
    /// Service issues for this unit, reassign (KB 194574, KB 193723).
    ReimportLicence { token: usize },
    /// A trial token on another unit: unassign and delete both trial tokens of the VDOM,
    /// import the trial code, stop, reassign by the serials the unit lists after the import
    /// (KB 190171, KB 193793, KB 184542).
    ReimportTrialPair { token: usize },
    /// A hardware token that was activated elsewhere: check its runtime status first; only if
    /// it shows `token already activated, and seed won't be returned` does Fortinet TAC reset
    /// the lock, then one activation with debug on (KB 194508, KB 232153). Never deleted by a
    /// script.
    HardwareLockCheck { token: usize },
    /// A hardware token that was never activated (no seed): one activation, debug on first
    /// (KB 194508 step 5b).
    ActivateHardware { token: usize },
    /// A FortiToken-200CD (`FTK211…`): its seeds come from the CD, `execute fortitoken import`
    /// (KB 194435, KB 232153); never `activate`.
    ImportSeedFile { token: usize },
    /// Activation ran out (`provision timeout`): re-provision the token to its holder,
    /// `execute fortitoken-mobile provision <sn>` (KB 194933, KB 194364); never `renew`.
    Reprovision { token: usize },
    /// One phone registered for several people: only a human knows whose phone it is. When
    /// the engineer names the token (`fix --token SERIAL`), it is re-provisioned to its own
    /// holder, who activates it on their own phone (KB 241195, KB 194933).
    ReissueToHolder {
        token: usize,
        holder: Option<Holder>,
    },
}

impl Intent {
    /// The token the intent acts on.
    pub fn token(&self) -> Option<usize> {
        match *self {
            Intent::Advice => None,
            Intent::ReimportLicence { token }
            | Intent::ReimportTrialPair { token }
            | Intent::HardwareLockCheck { token }
            | Intent::ActivateHardware { token }
            | Intent::ImportSeedFile { token }
            | Intent::Reprovision { token }
            | Intent::ReissueToHolder { token, .. } => Some(token),
        }
    }

    /// Short name for reports (`reimport-licence`, …).
    pub fn name(&self) -> &'static str {
        match self {
            Intent::Advice => "advice",
            Intent::ReimportLicence { .. } => "reimport-licence",
            Intent::ReimportTrialPair { .. } => "reimport-trial-pair",
            Intent::HardwareLockCheck { .. } => "hardware-lock-check",
            Intent::ActivateHardware { .. } => "activate-hardware",
            Intent::ImportSeedFile { .. } => "import-seed-file",
            Intent::Reprovision { .. } => "reprovision",
            Intent::ReissueToHolder { .. } => "reissue-to-holder",
        }
    }
}

/// What a rule declares about `fortilint fix` (checked by a test against the plan built from
/// each rule's violation fixtures).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fixable {
    /// Advice only: the plan never changes anything for it.
    No,
    /// The plan remediates it.
    Yes,
    /// The plan remediates it when the engineer names the token (`fix --token SERIAL`).
    OnRequest,
}

impl Fixable {
    pub fn as_str(self) -> &'static str {
        match self {
            Fixable::No => "no",
            Fixable::Yes => "yes",
            Fixable::OnRequest => "with --token",
        }
    }
}
