//! The remediation script: FortiOS CLI in explicit stages with a stop point, drawn from one
//! [`Plan`] (fortitoken-remediation.md §5):
//!
//! * stage 0, pre-flight: read-only checks (FortiGuard reachability, `diagnose fortitoken
//!   info` baseline, mail server, SMS credits, management);
//! * stage 1: unassign and delete the mobile and trial tokens that must be re-imported;
//! * stage 2: import, activate (debug on for hardware), re-provision;
//! * **STOP**: verify with `diagnose fortitoken info` before anybody is reassigned;
//! * stage 3: reassign users;
//! * stage 4: reassign admins, last.
//!
//! Each stage can be printed alone. Nothing from the backup reaches a command except through
//! [`cli_quote`] (names) or [`safe_word`] (serials, licences); placeholders reduce names to
//! plain words, the two-factor method is a constant, and comment text passes
//! [`comment_safe`]. No secret value is ever written.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::plan::{HardwareKind, Plan, ProvisionWhy, Reimport, safe_word, writable};
use crate::model::{HolderKind, Model, ScopeId, ScopeKind};

/// Prefix of every placeholder the admin must replace before running the script.
pub const PLACEHOLDER_PREFIX: &str = "<FILL-IN:";

/// The trial activation code (KB 190171).
pub const TRIAL_CODE: &str = "0000-0000-0000-0000-0000";

/// Facts for the script header.
pub struct ScriptInfo<'i> {
    pub source: &'i str,
    /// `2026-11-23T18:00:00Z`.
    pub date: String,
    /// Findings addressed, one line each (`FTK001 FTKMOB… (vdom root)`).
    pub findings: Vec<String>,
}

/// One stage of the script.
#[derive(Clone, Debug)]
pub struct Stage {
    /// 0–4.
    pub number: u8,
    pub title: &'static str,
    /// Comment lines printed after the banner.
    pub intro: Vec<String>,
    /// Commands, already wrapped in their `config global` / `config vdom` context.
    pub body: Vec<String>,
    /// Comment lines printed after the commands (the stop gate after stage 2).
    pub outro: Vec<String>,
}

/// A rendered script.
#[derive(Clone, Debug, Default)]
pub struct Script {
    pub header: String,
    pub stages: Vec<Stage>,
    pub placeholders: Vec<String>,
}

impl Script {
    /// The whole script, or one stage of it (with the header).
    pub fn text(&self, only: Option<u8>) -> String {
        let mut out = self.header.clone();
        for s in self
            .stages
            .iter()
            .filter(|s| only.is_none_or(|n| n == s.number))
        {
            out.push('\n');
            let _ = writeln!(out, "# {}", "=".repeat(78));
            let _ = writeln!(out, "# STAGE {}: {}", s.number, s.title);
            let _ = writeln!(out, "# {}", "=".repeat(78));
            for l in &s.intro {
                let _ = writeln!(out, "# {l}");
            }
            for l in &s.body {
                out.push_str(l);
                out.push('\n');
            }
            for l in &s.outro {
                let _ = writeln!(out, "# {l}");
            }
        }
        out
    }
}

/// Text for a `#` comment line: line breaks and every other control or separator character
/// become blanks, so nothing from the backup can start a command of its own.
pub fn comment_safe(s: &str) -> String {
    s.chars()
        .map(|c| if is_breaking(c) { ' ' } else { c })
        .collect()
}

/// C0, DEL, C1 and the Unicode line/paragraph separators.
fn is_breaking(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}'
}

/// A name as a quoted CLI argument, or `None` when it holds a character that could end the
/// line or the command (the plan refuses such tokens; this is the last line of defence).
pub fn cli_quote(value: &str) -> Option<String> {
    writable(value).then(|| crate::parse::value::quote(value))
}

/// The placeholder for a licence's activation code.
/// (The licence is a [`safe_word`]; the VDOM name is reduced to a plain word.)
pub fn licence_placeholder(licence: Option<&str>, scope_label: &str) -> String {
    match licence {
        Some(l) => format!("{PLACEHOLDER_PREFIX}activation-code-of-licence-{l}>"),
        None => format!(
            "{PLACEHOLDER_PREFIX}activation-code-of-the-licence-in-{}>",
            placeholder_word(scope_label)
        ),
    }
}

/// The placeholder for the `n`th (from 1) new trial serial of a VDOM, read on the unit after
/// the import.
pub fn trial_placeholder(scope_label: &str, n: usize) -> String {
    format!(
        "{PLACEHOLDER_PREFIX}new-trial-serial-{n}-in-{}>",
        placeholder_word(scope_label)
    )
}

/// A name from the backup (a VDOM) reduced to letters, digits and `-` for a placeholder, which
/// stands bare in a command.
fn placeholder_word(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(40)
        .collect()
}

/// The serial a reassigned holder gets: its token's, the new trial serial, or a placeholder.
pub fn reassigned_serial(m: &Model<'_>, plan: &Plan, token: usize) -> Option<String> {
    match plan.in_group.get(&token) {
        Some(&(g, k)) if plan.groups[g].new_serials => {
            plan.groups[g].renamed.get(k).cloned().flatten()
        }
        _ => Some(m.tokens[token].serial.to_string()),
    }
}

/// The text a token is reassigned by: the quoted serial, or the placeholder.
pub fn serial_or_placeholder(m: &Model<'_>, plan: &Plan, token: usize) -> String {
    match reassigned_serial(m, plan, token) {
        Some(s) => crate::parse::value::quote(&s),
        None => serial_label(m, plan, token),
    }
}

/// The serial a token is reassigned by, unquoted (for people), or the placeholder.
pub fn serial_label(m: &Model<'_>, plan: &Plan, token: usize) -> String {
    match reassigned_serial(m, plan, token) {
        Some(s) => s,
        None => {
            let (scope, n) = match plan.in_group.get(&token) {
                Some(&(g, k)) => (plan.groups[g].scope, k + 1),
                None => (m.tokens[token].scope, 1),
            };
            trial_placeholder(m.scopes[scope].label(), n)
        }
    }
}

/// Commands grouped by scope, wrapped on output.
#[derive(Default)]
struct Sections {
    parts: Vec<(ScopeKind, Vec<String>)>,
}

impl Sections {
    fn push(&mut self, scope: &ScopeKind, lines: Vec<String>) {
        if lines.is_empty() {
            return;
        }
        match self.parts.last_mut() {
            Some((s, l)) if s == scope => l.extend(lines),
            _ => self.parts.push((scope.clone(), lines)),
        }
    }

    /// Wrapped lines; each scope is entered once, in the order scopes first appear (so the
    /// `config global` admin lines come before the VDOM lines that depend on them).
    fn render(self, multi: bool) -> Vec<String> {
        let mut merged: Vec<(ScopeKind, Vec<String>)> = Vec::new();
        for (scope, lines) in self.parts {
            match merged.iter_mut().find(|(s, _)| *s == scope) {
                Some((_, l)) => l.extend(lines),
                None => merged.push((scope, lines)),
            }
        }
        let mut out = Vec::new();
        for (scope, lines) in merged {
            match (&scope, multi) {
                (ScopeKind::Global, true) => {
                    out.push("config global".to_owned());
                    out.extend(lines);
                    out.push("end".to_owned());
                }
                (ScopeKind::Vdom(v), _) => {
                    out.push("config vdom".to_owned());
                    out.push(format!("edit {}", vdom_word(v)));
                    out.extend(lines);
                    out.push("end".to_owned());
                }
                _ => out.extend(lines),
            }
        }
        out
    }
}

/// `edit` entries of one table, grouped by scope in first-seen order.
#[derive(Default)]
struct Entries(Vec<(ScopeKind, Vec<EditBlock>)>);

/// An `edit` key and the lines inside it.
type EditBlock = (String, Vec<String>);

impl Entries {
    fn push(&mut self, scope: ScopeKind, key: String, lines: Vec<String>) {
        match self.0.iter_mut().find(|(s, _)| *s == scope) {
            Some((_, e)) => e.push((key, lines)),
            None => self.0.push((scope, vec![(key, lines)])),
        }
    }
}

/// `config <table>` with `edit` blocks around per-entry lines.
fn table(path: &str, entries: &[(String, Vec<String>)]) -> Vec<String> {
    if entries.is_empty() {
        return Vec::new();
    }
    let mut out = vec![format!("config {path}")];
    for (key, lines) in entries {
        out.push(format!("    edit {key}"));
        out.extend(lines.iter().map(|l| format!("        {l}")));
        out.push("    next".to_owned());
    }
    out.push("end".to_owned());
    out
}

/// Renders the plan as a staged FortiOS CLI script.
pub fn render(m: &Model<'_>, plan: &Plan, info: &ScriptInfo<'_>) -> Script {
    let multi = m.is_multi_vdom();
    let mut placeholders: Vec<String> = Vec::new();
    let scope_kind = |s: ScopeId| m.scopes[s].kind.clone();
    let global = if multi {
        ScopeKind::Global
    } else {
        m.scopes.first().map_or(ScopeKind::Unit, |s| s.kind.clone())
    };
    let fmg = m
        .central_management
        .as_ref()
        .is_some_and(|c| c.manages_config());

    // Token scopes the plan works in, in file order.
    let mut token_scopes: Vec<ScopeId> = plan
        .groups
        .iter()
        .map(|g| g.scope)
        .chain(plan.provisions.iter().map(|p| m.tokens[p.token].scope))
        .chain(plan.hardware.iter().map(|h| m.tokens[h.token].scope))
        .collect();
    token_scopes.sort_unstable();
    token_scopes.dedup();

    // Holders: who is unassigned (stage 1) and reassigned (stages 3/4), and who cannot be.
    let mut unassign_users: Entries = Entries::default();
    let mut unassign_admins: Vec<(String, Vec<String>)> = Vec::new();
    let mut reassign_users: Entries = Entries::default();
    let mut reassign_admins: Vec<(String, Vec<String>)> = Vec::new();
    let mut by_hand: Vec<String> = Vec::new();
    let mut password_only: Vec<String> = Vec::new();
    for r in &plan.reassign {
        let v = m.holder(&r.holder);
        let Some(name) = cli_quote(v.name) else {
            by_hand.push(format!(
                "{} {} (its name cannot be written safely into a command)",
                v.table(),
                comment_safe(v.name)
            ));
            continue;
        };
        // The plan only reassigns holders on `two-factor fortitoken`; the method is written as
        // a constant, never copied from the backup.
        if v.two_factor.is_none_or(|a| a.value != "fortitoken") {
            by_hand.push(format!(
                "{} {} (not on two-factor fortitoken)",
                v.table(),
                comment_safe(v.name)
            ));
            continue;
        }
        let serial = serial_or_placeholder(m, plan, r.token);
        if r.serial.is_none() {
            placeholders.push(serial.clone());
        }
        let again = vec![
            "set two-factor fortitoken".to_owned(),
            format!("set fortitoken {serial}"),
        ];
        password_only.push(v.describe());
        let unassign = vec!["set two-factor disable".to_owned()];
        match v.kind {
            HolderKind::User => {
                unassign_users.push(scope_kind(v.scope), name.clone(), unassign);
                reassign_users.push(scope_kind(v.scope), name, again);
            }
            HolderKind::Admin => {
                unassign_admins.push((name.clone(), unassign));
                reassign_admins.push((name, again));
            }
        }
    }

    // Stage 0: pre-flight, read-only.
    let mut s0 = Sections::default();
    let mut intro0 = vec![
        "Read-only checks. Do not go on until each one is fine.".to_owned(),
        "First save a configuration backup of this unit (execute backup config ...).".to_owned(),
    ];
    let sms_holders = count_channel(m, plan, |v| v.sms_phone.is_some());
    let mail_holders = count_channel(m, plan, |v| v.sms_phone.is_none() && v.email_to.is_some());
    let mut global0 = Vec::new();
    if mail_holders > 0 {
        global0.push("show system email-server".to_owned());
    }
    if sms_holders > 0 {
        global0.push("execute fortiguard-message info".to_owned());
        intro0.push(format!(
            "SMS goes first when sms-phone is set (KB 194574): {sms_holders} holder(s) need SMS credits (SMS max allowed > SMS used, KB 190856)."
        ));
    }
    global0.push("show system central-management".to_owned());
    s0.push(&global, global0);
    if let Some(&first) = token_scopes.first() {
        s0.push(
            &scope_kind(first),
            vec![
                "execute ping fds1.fortinet.com".to_owned(),
                "execute ping directregistration.fortinet.com".to_owned(),
                "execute ping globalftm.fortinet.net".to_owned(),
            ],
        );
        intro0.push("FortiGuard must answer (without it \"FortiToken activation could fail\"); `Token server status` must be `reachable`.".to_owned());
    }
    for &s in &token_scopes {
        let mut lines = vec!["diagnose fortitoken info".to_owned()];
        for h in plan
            .hardware
            .iter()
            .filter(|h| m.tokens[h.token].scope == s)
        {
            lines.push(format!(
                "diagnose fortitoken info {}",
                m.tokens[h.token].serial
            ));
        }
        s0.push(&scope_kind(s), lines);
    }
    let mut outro0 = Vec::new();
    for h in &plan.hardware {
        let t = &m.tokens[h.token];
        if h.kind == HardwareKind::LockCheck {
            outro0.push(format!(
                "hardware token {}: if its status is `token already activated, and seed won't be returned`, open a TAC \
                 ticket (FortiToken serial and this unit's serial) to reset the lock; `active`/`new`: leave it alone; \
                 another error while FortiGuard answers: see stage 2 (KB 194508 step 5a). Never delete it on suspicion \
                 (KB 194508, KB 232153).",
                t.serial
            ));
        }
    }

    // Stage 1: unassign, then delete.
    let mut s1 = Sections::default();
    if !unassign_admins.is_empty() {
        s1.push(&global, table("system admin", &unassign_admins));
    }
    for (scope, entries) in unassign_users.0 {
        s1.push(&scope, table("user local", &entries));
    }
    for g in &plan.groups {
        let mut lines = vec!["config user fortitoken".to_owned()];
        for &i in &g.tokens {
            lines.push(format!(
                "    delete {}",
                crate::parse::value::quote(&m.tokens[i].serial)
            ));
        }
        lines.push("end".to_owned());
        s1.push(&scope_kind(g.scope), lines);
    }
    let mut intro1 = Vec::new();
    if !password_only.is_empty() {
        intro1.push(format!(
            "From here until they are reassigned (users: stage 3, admins: stage 4) these holders log in with their password only: {}.",
            password_only.join(", ")
        ));
    }
    if plan.groups.iter().any(|g| g.how == Reimport::TrialPair) {
        intro1.push("Both trial tokens of a VDOM are deleted together: one alone blocks the re-import (KB 190171).".to_owned());
    }

    // Stage 2: import, activate, re-provision users' tokens.
    let mut s2 = Sections::default();
    let mut intro2 = Vec::new();
    let mut admin_provisions = Sections::default();
    let mut done: BTreeSet<(ScopeId, Reimport)> = BTreeSet::new();
    for g in &plan.groups {
        if !done.insert((g.scope, g.how.clone())) {
            continue;
        }
        let code = match &g.how {
            Reimport::HardwareReAdd => {
                // KB 194508 step 5a: re-add by serial, and skip the activation.
                let mut lines = vec!["config user fortitoken".to_owned()];
                for &i in &g.tokens {
                    lines.push(format!(
                        "    edit {}",
                        crate::parse::value::quote(&m.tokens[i].serial)
                    ));
                    lines.push("    next".to_owned());
                }
                lines.push("end".to_owned());
                s2.push(&scope_kind(g.scope), lines);
                intro2.push(format!(
                    "{}: re-added without activation, as KB 194508 step 5a says for a seeded token the \
                     unit reports with an error while FortiGuard answers.",
                    serial_list(m, &g.tokens)
                ));
                continue;
            }
            Reimport::TrialPair => TRIAL_CODE.to_owned(),
            Reimport::Licence(l) => {
                let p = licence_placeholder(l.as_deref(), m.scopes[g.scope].label());
                placeholders.push(p.clone());
                p
            }
        };
        s2.push(
            &scope_kind(g.scope),
            vec![format!("execute fortitoken-mobile import {code}")],
        );
    }
    let debug_on = [
        "diagnose debug application forticldd 255",
        "diagnose fortitoken debug enable",
        "diagnose debug enable",
    ];
    for h in &plan.hardware {
        let t = &m.tokens[h.token];
        let scope = scope_kind(t.scope);
        match h.kind {
            HardwareKind::Activate => {
                let mut lines: Vec<String> = debug_on.iter().map(|s| (*s).to_owned()).collect();
                lines.push(format!("execute fortitoken activate {}", t.serial));
                lines.push("diagnose debug disable".to_owned());
                s2.push(&scope, lines);
                intro2.push(format!(
                    "{}: one activation only, with debug on first: there is only one chance to catch an error (KB 194508 step 5b).",
                    t.serial
                ));
            }
            HardwareKind::LockCheck => {
                intro2.push(format!(
                    "{sn}: by its stage 0 status. `active`/`new`: leave it alone. `token already activated, and seed \
                     won't be returned`: ONLY after TAC confirms the lock reset, run once in its VDOM: {dbg}; execute \
                     fortitoken activate {sn}; diagnose debug disable (KB 232153). Another error while FortiGuard is \
                     reachable: unassign it, delete it and re-add it with `config user fortitoken` / `edit \"{sn}\"` / \
                     `next` / `end` only, skipping the activation (KB 194508 step 5a). Not run by this script.",
                    sn = t.serial,
                    dbg = debug_on.join("; "),
                ));
            }
            HardwareKind::SeedFile => {
                intro2.push(format!(
                    "{}: FortiToken-200CD: import its seed file from the CD in its VDOM: execute fortitoken import ftp|tftp \
                     <seed file> <server> ... (CLI 7.6.5); never `execute fortitoken activate` (KB 194435). Not run by this script.",
                    t.serial
                ));
            }
        }
    }
    for p in &plan.provisions {
        let t = &m.tokens[p.token];
        let line = vec![format!("execute fortitoken-mobile provision {}", t.serial)];
        let admin = t.holders.iter().any(|h| h.kind == HolderKind::Admin);
        if admin {
            admin_provisions.push(&scope_kind(t.scope), line);
        } else {
            s2.push(&scope_kind(t.scope), line);
        }
        if p.why == ProvisionWhy::SharedPhone {
            intro2.push(format!(
                "{}: re-provisioned to its own holder, who activates it on their own phone (KB 241195).",
                t.serial
            ));
        }
    }
    if bug_1218458(m)
        && plan
            .hardware
            .iter()
            .any(|h| h.kind != HardwareKind::SeedFile)
    {
        intro2.push(format!(
            "WARNING: FortiOS {} has bug 1218458: hardware activation by serial fails with `cmdb save error` \
             (KB 222475; fixed in 7.4.12, 7.6.7). Upgrade first.",
            m.header.firmware.as_deref().map(comment_safe).unwrap_or_default()
        ));
    }

    // The stop gate.
    let mut stop = vec![
        "-".repeat(78),
        "STOP. Do not paste stage 3 or 4 until this is verified:".to_owned(),
        "  run `diagnose fortitoken info` in each VDOM above and `show user fortitoken`;"
            .to_owned(),
    ];
    for g in &plan.groups {
        let vdom = m.scopes[g.scope].label();
        match g.how {
            Reimport::TrialPair => stop.push(format!(
                "  [{vdom}] two trial tokens with NEW serials must be listed as `new`; write them down for stage 3/4"
            )),
            Reimport::HardwareReAdd => stop.push(format!(
                "  [{vdom}] must list again (re-added, not activated): {}",
                serial_list(m, &g.tokens)
            )),
            Reimport::Licence(_) => stop.push(format!(
                "  [{vdom}] must list as `new`: {}",
                g.tokens.iter().map(|&i| m.tokens[i].serial.as_str()).collect::<Vec<_>>().join(", ")
            )),
        }
    }
    if !password_only.is_empty() {
        stop.push(format!(
            "  If an import or activation failed, these holders are on password only until it is fixed: {}.",
            password_only.join(", ")
        ));
        stop.push("  Fix the cause first (licence not transferred, placeholder left, FortiGuard unreachable: see".to_owned());
        stop.push(
            "  `explain-log` on the debug output), re-run stage 2, verify again; only then go on."
                .to_owned(),
        );
    }

    // Stages 3 and 4.
    let mut s4 = Sections::default();
    if !reassign_admins.is_empty() {
        s4.push(&global, table("system admin", &reassign_admins));
    }
    for (scope, lines) in admin_provisions.parts {
        s4.push(&scope, lines);
    }
    let mut intro3 = vec!["Each assignment sends the holder a new activation code (SMS when sms-phone is set, else e-mail).".to_owned()];
    if plan.unresolved() > 0 {
        intro3.push("Trial tokens came back with new serials: replace each <FILL-IN:new-trial-serial-...> with a serial".to_owned());
        intro3.push("that `diagnose fortitoken info` lists as `new` in that VDOM (one serial per holder), or re-run".to_owned());
        intro3.push(
            "`fortilint fix --evidence <capture of diagnose fortitoken info>` to fill them in."
                .to_owned(),
        );
    }
    let intro4 = vec![
        "Admins last (KB 190967: an admin's activation code is valid exactly 3 days). Keep a logged-in".to_owned(),
        "super_admin session open until each admin has activated and logged in again.".to_owned(),
    ];

    let mut stages = Vec::new();
    let stage = |number, title, intro, body: Sections, outro| Stage {
        number,
        title,
        intro,
        body: body.render(multi),
        outro,
    };
    if !plan.is_empty() {
        stages.push(stage(0, "pre-flight (read-only)", intro0, s0, outro0));
        stages.push(stage(1, "unassign and delete", intro1, s1, Vec::new()));
        stages.push(stage(2, "import, activate, re-provision", intro2, s2, stop));
        let mut s3 = Sections::default();
        // The comments a deleted entry had (the only setting worth keeping: never `status`,
        // §5 rule 6), quoted; after the STOP, since `edit` on a missing token creates one.
        for g in plan.groups.iter().filter(|g| !g.new_serials) {
            let entries: Vec<(String, Vec<String>)> = g
                .tokens
                .iter()
                .filter_map(|&i| {
                    let t = &m.tokens[i];
                    let c = t.comments()?;
                    if crate::model::secrets::is_secret_value(&c.value) {
                        return None;
                    }
                    let c = cli_quote(&c.value)?;
                    Some((
                        crate::parse::value::quote(&t.serial),
                        vec![format!("set comments {c}")],
                    ))
                })
                .collect();
            s3.push(&scope_kind(g.scope), table("user fortitoken", &entries));
        }
        for (scope, entries) in reassign_users.0 {
            s3.push(&scope, table("user local", &entries));
        }
        stages.push(stage(3, "reassign users", intro3, s3, Vec::new()));
        stages.push(stage(4, "reassign admins (last)", intro4, s4, Vec::new()));
    }
    if fmg {
        for s in &mut stages {
            // Read-only and `execute` lines run on the unit through FortiManager; configuration
            // changes go to FortiManager's database and are installed (§3.6, §5 rule 8).
            let runs = s.body.iter().any(|l| {
                let t = l.trim_start();
                ["execute ", "diagnose ", "show "]
                    .iter()
                    .any(|p| t.starts_with(p))
            });
            let changes = s.body.iter().any(|l| {
                let t = l.trim_start();
                t.starts_with("set ") || t.starts_with("delete ") || t.starts_with("edit ")
            });
            let target = match (runs, changes) {
                (true, true) => {
                    "FortiManager: the configuration lines go to the device/ADOM database (then install); \
                     the execute/diagnose/show lines run as a \"Remote FortiGate Directly (via CLI)\" script \
                     (KB 193487, KB 417985)"
                }
                (false, true) => {
                    "FortiManager: apply these changes to the device/ADOM database, then install (KB 193487)"
                }
                _ => {
                    "FortiManager: run as a script on \"Remote FortiGate Directly (via CLI)\" (KB 417985)"
                }
            };
            s.intro.insert(0, format!("where: {target}"));
        }
    }
    // Stage 0 (checks) and stage 2 (the stop gate) always show; the others when they act.
    stages.retain(|s| !s.body.is_empty() || s.number == 0 || s.number == 2);

    // Each once, in the order the stages need them: licence codes (stage 2) before new serials.
    let mut seen = std::collections::HashSet::new();
    placeholders.retain(|p| seen.insert(p.clone()));
    placeholders.sort_by_key(|p| !p.contains("activation-code"));
    let header = header(m, plan, info, &placeholders, &by_hand, fmg);
    Script {
        header,
        stages,
        placeholders,
    }
}

/// `FTK…, FTK…`: the serials of some tokens.
fn serial_list(m: &Model<'_>, tokens: &[usize]) -> String {
    tokens
        .iter()
        .map(|&i| m.tokens[i].serial.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Holders of touched tokens whose code goes by the given channel.
fn count_channel(
    m: &Model<'_>,
    plan: &Plan,
    channel: impl Fn(&crate::model::HolderView<'_>) -> bool,
) -> usize {
    let mut seen = BTreeSet::new();
    for i in plan.touched_tokens() {
        for h in &m.tokens[i].holders {
            if channel(&m.holder(h)) {
                seen.insert((h.kind == HolderKind::Admin, h.index));
            }
        }
    }
    seen.len()
}

/// FortiOS revisions with bug 1218458 (hardware activation by serial): 7.4.11, 7.6.3–7.6.6.
pub fn bug_1218458(m: &Model<'_>) -> bool {
    matches!(m.header.version(), Some((7, 4, 11)) | Some((7, 6, 3..=6)))
}

fn header(
    m: &Model<'_>,
    plan: &Plan,
    info: &ScriptInfo<'_>,
    placeholders: &[String],
    by_hand: &[String],
    fmg: bool,
) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# fortilint {} remediation runbook (FortiOS CLI, staged)",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(t, "# source: {}", comment_safe(info.source));
    let vdoms: Vec<&str> = m.scopes.iter().filter_map(|s| s.vdom()).collect();
    let _ = writeln!(
        t,
        "# unit: {} FortiOS {} build {}; hostname {}; serial {}{}",
        comment_safe(m.header.model.as_deref().unwrap_or("(model unknown)")),
        comment_safe(m.header.firmware.as_deref().unwrap_or("(unknown)")),
        m.header
            .build
            .map_or("(unknown)".to_owned(), |b| b.to_string()),
        m.hostname().map_or("(unknown)".to_owned(), comment_safe),
        m.header
            .serial
            .as_deref()
            .map_or("(not in the backup)".to_owned(), comment_safe),
        if vdoms.is_empty() {
            String::new()
        } else {
            format!("; VDOMs {}", comment_safe(&vdoms.join(", ")))
        }
    );
    let _ = writeln!(t, "# generated: {}", info.date);
    let _ = writeln!(
        t,
        "# Paste one stage at a time (`fortilint fix --stage N` prints one). Every stage ends in a"
    );
    let _ = writeln!(
        t,
        "# check; the STOP after stage 2 is a real stop: nobody is reassigned before it passes."
    );
    if plan.is_empty() {
        let _ = writeln!(t, "#\n# nothing to remediate");
    }
    if !info.findings.is_empty() {
        let _ = writeln!(t, "#\n# findings addressed:");
        for f in &info.findings {
            let _ = writeln!(t, "#   {}", comment_safe(f));
        }
    }

    let mut pre: Vec<String> = Vec::new();
    if !plan.is_empty() {
        pre.push("a configuration backup of this unit, saved off the unit".to_owned());
    }
    let licences: BTreeSet<String> = plan
        .groups
        .iter()
        .filter_map(|g| match &g.how {
            Reimport::Licence(l) => Some(
                l.clone()
                    .unwrap_or_else(|| "(licence not named in the backup)".to_owned()),
            ),
            Reimport::TrialPair | Reimport::HardwareReAdd => None,
        })
        .collect();
    for l in &licences {
        pre.push(format!(
            "Customer Service ticket: licence {} transferred to this unit's serial (give both serials) and a new \
             activation code issued (KB 194574, KB 193723); licences shipped from 4 Aug 2025 move only for an RMA \
             (KB 205363). Alternative without re-activation: `execute fortitoken-cloud migrate-ftm {} <vdom>` on \
             the OLD unit before the move (FortiToken Cloud)",
            comment_safe(l),
            comment_safe(l)
        ));
    }
    for h in plan
        .hardware
        .iter()
        .filter(|h| h.kind == HardwareKind::LockCheck)
    {
        pre.push(format!(
            "TAC ticket for hardware token {} only if stage 0 shows it locked (`token already activated, and seed \
             won't be returned`); the reset allows exactly one activation (KB 194435, KB 232153)",
            m.tokens[h.token].serial
        ));
    }
    for h in plan
        .hardware
        .iter()
        .filter(|h| h.kind == HardwareKind::SeedFile)
    {
        pre.push(format!(
            "the seed file (CD) of FortiToken-200CD {}",
            m.tokens[h.token].serial
        ));
    }
    let sms = count_channel(m, plan, |v| v.sms_phone.is_some());
    let mail = count_channel(m, plan, |v| v.sms_phone.is_none() && v.email_to.is_some());
    if sms > 0 {
        pre.push(format!("SMS credits for {sms} holder(s) who receive codes by SMS (`execute fortiguard-message info`)"));
    }
    if mail > 0 {
        pre.push(format!("a working mail server for {mail} holder(s) who receive codes by e-mail (`show system email-server`)"));
    }
    if super::plan::in_ha_cluster(m) {
        pre.push("HA cluster: run every stage on the primary; tokens replicate to the members (KB 308115, KB 410099). \
                  A primary replacement (RMA) needs no token re-activation: then do not run this script (KB 410099)"
            .to_owned());
    }
    if fmg {
        pre.push(
            "FortiManager manages this unit (central-management, mode normal): configuration stages go to the \
             device/ADOM database and are installed; execute stages run as \"Remote FortiGate Directly (via CLI)\" \
             scripts; retrieve the configuration after stage 2 (KB 417985, KB 194508)"
                .to_owned(),
        );
    }
    if !pre.is_empty() {
        let _ = writeln!(t, "#\n# BEFORE STAGE 1, have all of these (blocking):");
        for p in &pre {
            let _ = writeln!(t, "#   [ ] {}", comment_safe(p));
        }
    }

    let mut impacted: Vec<String> = Vec::new();
    for i in plan.touched_tokens() {
        for h in &m.tokens[i].holders {
            let v = m.holder(h);
            impacted.push(format!(
                "{} (token {})",
                comment_safe(&v.describe()),
                m.tokens[i].serial
            ));
        }
    }
    if !impacted.is_empty() {
        let _ = writeln!(
            t,
            "#\n# IMPACT: plan it out of business hours. These holders must activate a new token before their next"
        );
        let _ = writeln!(
            t,
            "# two-factor login (a VPN user cannot log in until then, KB 205363); tell them first:"
        );
        for i in &impacted {
            let _ = writeln!(t, "#   - {i}");
        }
    }
    if plan.lockout_risk_accepted {
        let _ = writeln!(
            t,
            "#\n# ADMIN LOCKOUT RISK ACCEPTED (--allow-admin-lockout-risk): no super_admin keeps working two-factor"
        );
        let _ = writeln!(
            t,
            "# through this plan. Keep a logged-in super_admin session open until stage 4 is verified."
        );
    } else if !plan.admins_touched.is_empty() {
        let names: Vec<String> = plan
            .break_glass
            .iter()
            .map(|&a| comment_safe(&m.admins[a].name))
            .collect();
        let _ = writeln!(
            t,
            "#\n# break-glass super_admin(s) not touched by this plan: {}",
            names.join(", ")
        );
    }
    if !plan.skipped.is_empty() || !by_hand.is_empty() {
        let _ = writeln!(
            t,
            "#\n# NOT PLANNED (do these by hand, or fix the cause and re-run fortilint):"
        );
        for s in &plan.skipped {
            let _ = writeln!(t, "#   {}: {}", comment_safe(&s.what), comment_safe(&s.why));
        }
        for b in by_hand {
            let _ = writeln!(t, "#   {}", comment_safe(b));
        }
    }
    if !placeholders.is_empty() {
        let _ = writeln!(
            t,
            "#\n# placeholders to replace before the stage that holds them (FortiOS rejects them as they are):"
        );
        for p in placeholders {
            let _ = writeln!(t, "#   {p}");
        }
    }
    t
}

/// A VDOM name as an `edit` key (bare when it is a plain word, as FortiOS writes it).
fn vdom_word(v: &str) -> String {
    if safe_word(v) {
        v.to_owned()
    } else {
        cli_quote(v).unwrap_or_else(|| "\"(unsafe VDOM name)\"".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_stand_bare_whatever_the_vdom_name() {
        let p = licence_placeholder(None, "sales \"eu\"; x");
        assert_eq!(
            p,
            "<FILL-IN:activation-code-of-the-licence-in-sales--eu---x>"
        );
        assert!(!trial_placeholder("a b\tc", 2).contains([' ', '\t', '"']));
    }
}
