//! One remediation plan per file, from the FTK001, FTK002 and FTK003 findings. FTK008 and
//! FTK009 (or the token's serial and licence) decide how a re-issued token is re-created.
//! Both the CLI script and the patched backup are rendered from this plan.

use std::collections::BTreeSet;

use crate::model::{Model, ScopeId, TokenKind};
use crate::rules::Finding;

/// How a re-issued token comes back.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Recreate {
    /// `execute fortitoken-mobile import <licence activation code>` (a placeholder).
    PurchasedMobile { licence: Option<String> },
    /// `execute fortitoken-mobile import 0000-0000-0000-0000-0000`, once per VDOM.
    Trial,
    /// `edit "<serial>"` / `next`, then `execute fortitoken activate <serial>`.
    Hardware,
}

/// What happens to one token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Unassign, delete, re-create, reassign (FTK001, FTK002, trial partners).
    Reissue(Recreate),
    /// Fortinet's lighter path for an expired activation: unassign, renew, reassign (FTK003).
    Renew,
}

/// One token of the plan.
#[derive(Clone, Debug)]
pub struct Item {
    /// Index in [`Model::tokens`].
    pub token: usize,
    pub action: Action,
    /// The codes that put it in the plan (`FTK001`, …; `trial partner` for the other trial
    /// token of the VDOM).
    pub reasons: BTreeSet<String>,
}

/// The plan for one file.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    pub items: Vec<Item>,
    /// Serials left out because they cannot be written safely into CLI commands.
    pub refused: Vec<String>,
}

/// A serial that can stand bare in `execute …` commands: letters, digits, `-` and `_`
/// (real serials are 16 upper-case letters and digits).
pub fn safe_word(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Codes the plan acts on.
pub const FIXED_CODES: [&str; 3] = ["FTK001", "FTK002", "FTK003"];

impl Plan {
    /// Builds the plan of `file` from the run's (already filtered) findings. `only` limits it
    /// to the given serials (`--token`).
    pub fn build(model: &Model<'_>, file: usize, findings: &[Finding], only: &[String]) -> Plan {
        let mut reissue: BTreeSet<usize> = BTreeSet::new();
        let mut renew: BTreeSet<usize> = BTreeSet::new();
        let mut reasons: Vec<BTreeSet<String>> = vec![BTreeSet::new(); model.tokens.len()];
        for f in findings
            .iter()
            .filter(|f| f.primary.file == file && FIXED_CODES.contains(&f.code))
        {
            let Some(serial) = &f.token else { continue };
            if !only.is_empty() && !only.contains(serial) {
                continue;
            }
            // The finding's primary label lies inside exactly one token entry.
            let Some(i) = model.tokens.iter().position(|t| {
                &t.serial == serial && {
                    let e = model.doc.node(t.entry);
                    e.span.start <= f.primary.span.start
                        && f.primary.span.start < model.doc.node(e.subtree_end - 1).span.end
                }
            }) else {
                continue;
            };
            reasons[i].insert(f.code.to_owned());
            if f.code == "FTK003" {
                renew.insert(i);
            } else {
                reissue.insert(i);
            }
        }
        // Trial tokens come back only as a pair: re-issue every trial token of a VDOM in
        // which one is re-issued.
        let trial_scopes: BTreeSet<ScopeId> = reissue
            .iter()
            .filter(|&&i| model.tokens[i].trial)
            .map(|&i| model.tokens[i].scope)
            .collect();
        for (i, t) in model.tokens.iter().enumerate() {
            if t.trial && trial_scopes.contains(&t.scope) && reissue.insert(i) {
                reasons[i].insert("trial partner".to_owned());
            }
        }
        let mut items = Vec::new();
        let mut refused = Vec::new();
        for (i, t) in model.tokens.iter().enumerate() {
            if (reissue.contains(&i) || renew.contains(&i)) && !safe_word(&t.serial) {
                refused.push(t.serial.clone());
                continue;
            }
            let action = if reissue.contains(&i) {
                Action::Reissue(if t.trial {
                    Recreate::Trial
                } else if t.kind == TokenKind::Hardware {
                    Recreate::Hardware
                } else {
                    Recreate::PurchasedMobile {
                        licence: t
                            .license
                            .as_ref()
                            .map(|l| l.value.clone())
                            .filter(|l| safe_word(l)),
                    }
                })
            } else if renew.contains(&i) {
                Action::Renew
            } else {
                continue;
            };
            items.push(Item {
                token: i,
                action,
                reasons: std::mem::take(&mut reasons[i]),
            });
        }
        Plan { items, refused }
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Token attributes a re-issue removes (FortiGuard and the assignment produce them again).
pub const REISSUE_DROPS: [&str; 5] = [
    "seed",
    "activation-code",
    "activation-expire",
    "reg-id",
    "os-ver",
];

/// Token attributes a renew removes (the old activation code is void).
pub const RENEW_DROPS: [&str; 2] = ["activation-code", "activation-expire"];
