//! One remediation plan per unit (per file), built from the typed [`Intent`]s that rules
//! attach to their findings, never from rule codes. Every rendering (staged CLI script,
//! markdown runbook, patched backup, diff) is drawn from this plan.
//!
//! The plan obeys the safety contract of fortitoken-remediation.md §5: admins are touched only
//! while another working `super_admin` remains (else refused, unless the engineer accepts the
//! risk), hardware tokens are never deleted, trial tokens are never reassigned by their old
//! serials, a token is never given to two holders, and nothing is copied from the backup into
//! a command except through [`safe_word`] or the quoting function.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::model::evidence::RuntimeStatus;
use crate::model::{Holder, HolderKind, Model, ScopeId, TokenKind};
use crate::rules::{Finding, Intent};

/// How a group of deleted tokens comes back.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reimport {
    /// `execute fortitoken-mobile import <licence activation code>`: a placeholder, since
    /// Customer Service issues a new code for the new unit. `None`: the licence is not in the
    /// backup (or cannot be written safely).
    Licence(Option<String>),
    /// `execute fortitoken-mobile import 0000-0000-0000-0000-0000`: the unit's own trial
    /// pair, with new serials on another unit.
    TrialPair,
    /// A seeded hardware token that the unit itself reports with an error (`activation error
    /// (token not exist in FortiGuard)`) while FortiGuard answers: KB 194508 step 5a, delete it
    /// and re-add it with `edit <serial>` / `next` only, skipping the activation. Planned only
    /// from the unit's own output, never on suspicion.
    HardwareReAdd,
}

/// Tokens of one VDOM deleted together and brought back by one import.
#[derive(Clone, Debug)]
pub struct Group {
    pub scope: ScopeId,
    pub how: Reimport,
    /// Indices into [`Model::tokens`], in file order.
    pub tokens: Vec<usize>,
    /// The serials will change (trial pair): holders are reassigned by the serials the unit
    /// lists after the import, never by the old ones.
    pub new_serials: bool,
    /// For a trial pair, the new serial of each token (same order as `tokens`): read from
    /// the unit's own output after the import, or `None` (a placeholder to fill in).
    pub renamed: Vec<Option<String>>,
    /// For a trial pair with fewer than two entries in the backup (one was deleted before):
    /// the import still brings the whole pair, so the other member(s) come back too.
    pub extra: Vec<Option<String>>,
    /// The tokens whose own findings asked for the group (licence groups): a group whose
    /// askers were all refused has nothing left to do, so the plan settles on the patched
    /// backup.
    pub askers: Vec<usize>,
}

impl Group {
    /// Not empty, and (for a licence) one of the tokens that asked for it is still in it.
    fn still_asked(&self) -> bool {
        !self.tokens.is_empty()
            && (self.askers.is_empty() || self.askers.iter().any(|a| self.tokens.contains(a)))
    }
}

/// A token re-provisioned in place (`execute fortitoken-mobile provision <sn>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provision {
    pub token: usize,
    /// Why: an expired activation, or one phone for several people.
    pub why: ProvisionWhy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProvisionWhy {
    /// `provision timeout` (FTK003).
    Expired,
    /// The engineer named it: re-issue to its own holder (FTK002).
    SharedPhone,
}

/// A hardware token step: checks and instructions; never a delete.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HardwareStep {
    pub token: usize,
    pub kind: HardwareKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HardwareKind {
    /// Seeded FTK200/220 from another unit: runtime check; TAC lock reset only if it reports
    /// the lock; then one activation with debug on.
    LockCheck,
    /// Never activated: one activation with debug on.
    Activate,
    /// FTK211: seed file import.
    SeedFile,
}

/// Something the plan was asked for and did not do, with the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The serial (or licence) concerned.
    pub what: String,
    pub why: String,
}

/// A holder to reassign after the import, in stage 3 (users) or 4 (admins).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reassign {
    pub holder: Holder,
    /// The token it held (index into [`Model::tokens`]).
    pub token: usize,
    /// The serial to assign: the token's own, a new trial serial from the unit's evidence,
    /// or `None` when it must be read on the unit after the import (placeholder).
    pub serial: Option<String>,
}

/// What the unit looks like after the import, read from its own output (`diagnose
/// fortitoken info`): the new trial serials per VDOM (`None` = a unit without VDOMs).
#[derive(Clone, Debug, Default)]
pub struct PostImport {
    pub trial_serials: BTreeMap<Option<String>, Vec<String>>,
}

impl PostImport {
    /// The new trial serials the unit listed as `new` after the import, from its own output
    /// (`diagnose fortitoken info` in the same file or given with `--evidence`): serials the
    /// backup does not have, FortiToken Mobile only, per VDOM of a trial token in the backup.
    pub fn from_evidence(m: &Model<'_>) -> PostImport {
        let mut trial_serials = BTreeMap::new();
        if m.evidence.is_empty() {
            return PostImport { trial_serials };
        }
        let vdoms: BTreeSet<Option<String>> = m
            .tokens
            .iter()
            .filter(|t| t.trial)
            .map(|t| m.vdom(t.scope).map(str::to_owned))
            .collect();
        for vdom in vdoms {
            let fresh: Vec<String> = m
                .evidence
                .serials_with_status(vdom.as_deref(), RuntimeStatus::New)
                .into_iter()
                .filter(|s| s.starts_with("FTKMOB") && m.tokens_named(s).is_empty())
                .map(str::to_owned)
                .collect();
            if !fresh.is_empty() {
                trial_serials.insert(vdom, fresh);
            }
        }
        PostImport { trial_serials }
    }
}

/// Options that change what the plan may do.
#[derive(Clone, Debug, Default)]
pub struct PlanOptions {
    /// `--token`: only these serials (and the tokens that must go with them).
    pub only: Vec<String>,
    /// `--allow-admin-lockout-risk`.
    pub allow_admin_lockout_risk: bool,
    pub post_import: PostImport,
}

/// The plan for one unit.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    pub groups: Vec<Group>,
    pub provisions: Vec<Provision>,
    pub hardware: Vec<HardwareStep>,
    /// Holders unassigned in stage 1 and reassigned in stage 3/4.
    pub reassign: Vec<Reassign>,
    pub skipped: Vec<Skipped>,
    /// Admins whose tokens the plan touches (the lockout gate let them through).
    pub admins_touched: Vec<usize>,
    /// `super_admin`s that keep working whatever the plan does.
    pub break_glass: Vec<usize>,
    /// The engineer accepted the admin lockout risk and the plan needed it.
    pub lockout_risk_accepted: bool,
    /// Token → (group, position in the group), so renderers look tokens up in constant time.
    pub in_group: HashMap<usize, (usize, usize)>,
    skip_seen: HashSet<(String, String)>,
}

/// A word that can stand bare in commands: letters, digits, `-` and `_` (real serials are 16
/// upper-case letters and digits, licences like `EFTM0123456789`).
pub fn safe_word(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A unit has two free trial tokens (KB 193793).
pub const TRIAL_PAIR: usize = 2;

/// Token attributes a re-import or re-provision removes (FortiGuard and the assignment
/// produce them again on the unit).
pub const REISSUE_DROPS: [&str; 5] = [
    "seed",
    "activation-code",
    "activation-expire",
    "reg-id",
    "os-ver",
];

/// Whether the unit is a member of an FGCP cluster (`config system ha`, `mode a-p|a-a`).
pub fn in_ha_cluster(m: &Model<'_>) -> bool {
    m.ha.as_ref().is_some_and(|h| h.is_cluster())
}

/// Whether an admin is a `super_admin`.
fn is_super_admin(m: &Model<'_>, admin: usize) -> bool {
    m.admins[admin].is_super_admin()
}

/// Whether an admin logs in with a second factor (`two-factor` other than `disable`).
fn has_two_factor(m: &Model<'_>, admin: usize) -> bool {
    m.admins[admin]
        .two_factor
        .as_ref()
        .is_some_and(|t| t.value != "disable")
}

impl Plan {
    /// Builds the plan of `file` from the run's (already filtered) findings.
    pub fn build(model: &Model<'_>, file: usize, findings: &[Finding], opts: &PlanOptions) -> Plan {
        let mut plan = Plan::default();
        let wanted = |i: usize| {
            opts.only.is_empty() || opts.only.iter().any(|s| *s == model.tokens[i].serial)
        };

        // 1. Intents of this file, per token (first intent of each kind wins).
        let mut licence_tokens: BTreeSet<usize> = BTreeSet::new();
        let mut trial_scopes: BTreeSet<ScopeId> = BTreeSet::new();
        let mut provisions: BTreeMap<usize, ProvisionWhy> = BTreeMap::new();
        let mut hardware: BTreeMap<usize, HardwareKind> = BTreeMap::new();
        let mut readd: BTreeSet<usize> = BTreeSet::new();
        for f in findings.iter().filter(|f| f.primary.file == file) {
            let Some(i) = f.intent.token().filter(|&i| i < model.tokens.len()) else {
                continue;
            };
            if !wanted(i) {
                continue;
            }
            match &f.intent {
                Intent::Advice => {}
                Intent::ReimportLicence { .. } => {
                    licence_tokens.insert(i);
                }
                Intent::ReimportTrialPair { .. } => {
                    trial_scopes.insert(model.tokens[i].scope);
                }
                Intent::HardwareLockCheck { .. } => match hardware_evidence(model, i) {
                    Some(RuntimeStatus::NotInFortiguard) => {
                        readd.insert(i);
                    }
                    // The unit says it works (or is simply available): leave it alone.
                    Some(RuntimeStatus::Active | RuntimeStatus::New) => {}
                    _ => {
                        hardware.entry(i).or_insert(HardwareKind::LockCheck);
                    }
                },
                Intent::ActivateHardware { .. } => {
                    hardware.entry(i).or_insert(HardwareKind::Activate);
                }
                Intent::ImportSeedFile { .. } => {
                    hardware.entry(i).or_insert(HardwareKind::SeedFile);
                }
                Intent::Reprovision { .. } => {
                    provisions.entry(i).or_insert(ProvisionWhy::Expired);
                }
                Intent::ReissueToHolder { .. } => {
                    // Only a human knows whose phone it is: only when named with --token.
                    if opts.only.iter().any(|s| *s == model.tokens[i].serial) {
                        provisions.entry(i).or_insert(ProvisionWhy::SharedPhone);
                    } else if f.severity >= crate::rules::Severity::Warning {
                        plan.skip(
                            &model.tokens[i].serial,
                            "one phone for several people: name the token(s) to re-provision with --token \
                             once you know whose phone it is",
                        );
                    }
                }
            }
        }

        // 2. Groups: per licence (every token of that licence in the VDOM goes, since one
        //    import restores them all) and per trial pair (both go, KB 190171).
        let mut by_licence: BTreeMap<(ScopeId, Option<String>), Vec<usize>> = BTreeMap::new();
        for &i in &licence_tokens {
            let t = &model.tokens[i];
            by_licence
                .entry((t.scope, t.purchased_licence().map(str::to_owned)))
                .or_default()
                .push(i);
        }
        let mut groups: Vec<Group> = Vec::new();
        for ((scope, licence), seed) in by_licence {
            let askers = seed.clone();
            let mut tokens: Vec<usize> = match &licence {
                // The whole licence in that VDOM.
                Some(l) => model
                    .tokens
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| {
                        t.scope == scope
                            && t.kind != TokenKind::Hardware
                            && t.purchased_licence() == Some(l.as_str())
                    })
                    .map(|(i, _)| i)
                    .collect(),
                None => seed,
            };
            tokens.sort_unstable();
            tokens.dedup();
            let how = Reimport::Licence(licence.filter(|l| safe_word(l)));
            groups.push(Group {
                scope,
                how,
                tokens,
                new_serials: false,
                renamed: Vec::new(),
                extra: Vec::new(),
                askers,
            });
        }
        for &i in &readd {
            groups.push(Group {
                scope: model.tokens[i].scope,
                how: Reimport::HardwareReAdd,
                tokens: vec![i],
                new_serials: false,
                renamed: Vec::new(),
                extra: Vec::new(),
                askers: vec![i],
            });
        }
        for scope in trial_scopes {
            let tokens: Vec<usize> = model
                .tokens
                .iter()
                .enumerate()
                .filter(|(_, t)| t.scope == scope && t.trial)
                .map(|(i, _)| i)
                .collect();
            groups.push(Group {
                scope,
                how: Reimport::TrialPair,
                tokens,
                new_serials: true,
                renamed: Vec::new(),
                extra: Vec::new(),
                askers: Vec::new(),
            });
        }

        // 3. Safety: serials or names that cannot be written into commands; tokens held
        //    twice (a token is never given to two holders); a trial pair goes whole or not at all.
        for g in &mut groups {
            let mut blocked: Vec<(usize, String)> = Vec::new();
            for &i in &g.tokens {
                if let Some(why) = blocked_reason(model, i) {
                    blocked.push((i, why));
                }
            }
            if blocked.is_empty() {
                continue;
            }
            if g.how == Reimport::TrialPair {
                for (i, why) in &blocked {
                    plan.skip(&model.tokens[*i].serial, why);
                }
                let gone: HashSet<usize> = blocked.iter().map(|(i, _)| *i).collect();
                for &i in &g.tokens {
                    if !gone.contains(&i) {
                        plan.skip(
                            &model.tokens[i].serial,
                            "its trial partner cannot be re-issued, and the pair goes together (KB 190171)",
                        );
                    }
                }
                g.tokens.clear();
            } else {
                let gone: HashSet<usize> = blocked.iter().map(|(i, _)| *i).collect();
                for (i, why) in blocked {
                    plan.skip(&model.tokens[i].serial, &why);
                }
                g.tokens.retain(|t| !gone.contains(t));
            }
        }
        groups.retain(Group::still_asked);
        let in_groups: BTreeSet<usize> = groups
            .iter()
            .flat_map(|g| g.tokens.iter().copied())
            .collect();
        let mut provisions: Vec<Provision> = provisions
            .into_iter()
            .filter(|(i, _)| !in_groups.contains(i))
            .filter_map(|(i, why)| {
                let t = &model.tokens[i];
                if let Some(reason) = blocked_reason(model, i) {
                    plan.skip(&t.serial, &reason);
                    None
                } else if t.holders.is_empty() {
                    plan.skip(
                        &t.serial,
                        "re-provisioning needs a holder (FTK014: nobody holds it)",
                    );
                    None
                } else {
                    Some(Provision { token: i, why })
                }
            })
            .collect();
        let hardware: Vec<HardwareStep> = hardware
            .into_iter()
            .filter_map(|(i, kind)| {
                if safe_word(&model.tokens[i].serial) {
                    Some(HardwareStep { token: i, kind })
                } else {
                    plan.skip(
                        &model.tokens[i].serial,
                        "its serial cannot be written safely into CLI commands; fix it by hand",
                    );
                    None
                }
            })
            .collect();

        // 4. The lockout gate (§5 rule 1): admins whose tokens the plan touches.
        let provisioned: HashSet<usize> = provisions.iter().map(|p| p.token).collect();
        let touched = |i: usize| in_groups.contains(&i) || provisioned.contains(&i);
        let admin_tokens: BTreeMap<usize, Vec<usize>> = {
            let mut m: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
            for g in &groups {
                for &i in &g.tokens {
                    for h in &model.tokens[i].holders {
                        if h.kind == HolderKind::Admin {
                            m.entry(h.index).or_default().push(i);
                        }
                    }
                }
            }
            for p in &provisions {
                for h in &model.tokens[p.token].holders {
                    if h.kind == HolderKind::Admin {
                        m.entry(h.index).or_default().push(p.token);
                    }
                }
            }
            m
        };
        plan.break_glass = (0..model.admins.len())
            .filter(|&a| is_super_admin(model, a))
            .filter(|&a| {
                !has_two_factor(model, a)
                    || model.admins[a].fortitoken.as_ref().is_some_and(|t| {
                        !model
                            .tokens_named(&t.value)
                            .iter()
                            .any(|&i| touched(i as usize))
                    })
            })
            .collect();
        let supers_touched = admin_tokens.keys().any(|&a| is_super_admin(model, a));
        let refuse_admins =
            supers_touched && plan.break_glass.is_empty() && !opts.allow_admin_lockout_risk;
        plan.lockout_risk_accepted =
            supers_touched && plan.break_glass.is_empty() && opts.allow_admin_lockout_risk;
        if refuse_admins {
            // Leave every admin-held token alone (a trial pair then stays whole).
            let refused: BTreeSet<usize> = admin_tokens.values().flatten().copied().collect();
            for g in &mut groups {
                let hit = g.tokens.iter().any(|i| refused.contains(i));
                if !hit {
                    continue;
                }
                if g.how == Reimport::TrialPair {
                    for &i in &g.tokens {
                        plan.skip(&model.tokens[i].serial, LOCKOUT_WHY);
                    }
                    g.tokens.clear();
                } else {
                    for &i in g.tokens.iter().filter(|i| refused.contains(i)) {
                        plan.skip(&model.tokens[i].serial, LOCKOUT_WHY);
                    }
                    g.tokens.retain(|i| !refused.contains(i));
                }
            }
            groups.retain(Group::still_asked);
            provisions.retain(|p| {
                let keep = !refused.contains(&p.token);
                if !keep {
                    plan.skip(&model.tokens[p.token].serial, LOCKOUT_WHY);
                }
                keep
            });
        } else {
            plan.admins_touched = admin_tokens.keys().copied().collect();
        }

        // 5. Holders to reassign after the import: each token to its one holder; new trial
        //    serials from the unit's own output, or left to be read there.
        for g in &mut groups {
            let vdom = model.vdom(g.scope).map(str::to_owned);
            let mut fresh = opts
                .post_import
                .trial_serials
                .get(&vdom)
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter(|s| safe_word(s));
            for &i in &g.tokens {
                let t = &model.tokens[i];
                let serial = if g.new_serials {
                    let new = fresh.next();
                    g.renamed.push(new.clone());
                    new
                } else {
                    Some(t.serial.to_string())
                };
                for h in &t.holders {
                    plan.reassign.push(Reassign {
                        holder: *h,
                        token: i,
                        serial: serial.clone(),
                    });
                }
            }
            if g.new_serials {
                for _ in g.tokens.len()..TRIAL_PAIR {
                    g.extra.push(fresh.next());
                }
            }
        }
        plan.in_group = groups
            .iter()
            .enumerate()
            .flat_map(|(g, grp)| {
                grp.tokens
                    .iter()
                    .enumerate()
                    .map(move |(k, &t)| (t, (g, k)))
            })
            .collect();
        plan.groups = groups;
        plan.provisions = provisions;
        plan.hardware = hardware;
        plan
    }

    fn skip(&mut self, what: &str, why: &str) {
        if self.skip_seen.insert((what.to_owned(), why.to_owned())) {
            self.skipped.push(Skipped {
                what: what.to_owned(),
                why: why.to_owned(),
            });
        }
    }

    /// Whether the plan changes the configuration (imports, deletes, re-provisions).
    pub fn changes_config(&self) -> bool {
        !self.groups.is_empty() || !self.provisions.is_empty()
    }

    /// Whether there is anything to print: changes or hardware runbook steps.
    pub fn is_empty(&self) -> bool {
        !self.changes_config() && self.hardware.is_empty()
    }

    /// Every token the plan re-imports or re-provisions, with the reason.
    pub fn touched_tokens(&self) -> impl Iterator<Item = usize> + '_ {
        self.groups
            .iter()
            .flat_map(|g| g.tokens.iter().copied())
            .chain(self.provisions.iter().map(|p| p.token))
    }

    /// Reassignments left as placeholders (new trial serials not known yet).
    pub fn unresolved(&self) -> usize {
        self.reassign.iter().filter(|r| r.serial.is_none()).count()
    }
}

/// What the unit's own `diagnose fortitoken info` says about a hardware token, when FortiGuard
/// was reachable at the time (an unreachable server explains any error: fix that first).
fn hardware_evidence(m: &Model<'_>, i: usize) -> Option<RuntimeStatus> {
    let unit = m.unit_evidence()?;
    if unit
        .token_server()
        .is_some_and(|(s, _)| s.trim() != "reachable")
    {
        return None;
    }
    let t = &m.tokens[i];
    unit.token_status(m.vdom(t.scope), &t.serial)
        .map(|s| s.status)
}

/// Why a token cannot be re-issued by a script, if it cannot.
fn blocked_reason(m: &Model<'_>, i: usize) -> Option<String> {
    let t = &m.tokens[i];
    if !safe_word(&t.serial) {
        return Some(
            "its serial cannot be written safely into CLI commands; fix it by hand".to_owned(),
        );
    }
    if t.holders.len() > 1 {
        return Some(format!(
            "it is held by {} holders (FTK005): decide who keeps it before it is re-issued",
            t.holders.len()
        ));
    }
    let unsafe_scope = |s: ScopeId| m.vdom(s).is_some_and(|v| !writable(v));
    if unsafe_scope(t.scope) {
        return Some(
            "its VDOM name cannot be written safely into CLI commands; fix it by hand".to_owned(),
        );
    }
    for h in &t.holders {
        let v = m.holder(h);
        if v.two_factor.is_none_or(|tf| tf.value != "fortitoken") {
            return Some(format!(
                "{} names it but does not use `two-factor fortitoken`; fix the holder by hand first",
                v.table()
            ));
        }
        if !writable(v.name) || unsafe_scope(v.scope) {
            return Some(format!(
                "its holder's name or VDOM cannot be written safely into CLI commands ({} table); fix it by hand",
                v.table()
            ));
        }
    }
    None
}

/// A name that can be quoted into a command: not empty, no character that could end the
/// line or the command (C0, DEL, C1, U+2028, U+2029).
pub fn writable(s: &str) -> bool {
    !s.is_empty()
        && !s
            .chars()
            .any(|c| c.is_control() || c == '\u{2028}' || c == '\u{2029}')
}

const LOCKOUT_WHY: &str = "refused: every super_admin holds a token this plan touches, so a failed import or \
     activation would leave no working super_admin (flash format from 7.2.4/7.4.0, KB 193487, KB 398674); \
     create a break-glass super_admin without two-factor first, or accept the risk with \
     --allow-admin-lockout-risk";
