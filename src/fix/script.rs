//! The remediation script: valid FortiOS CLI, in Fortinet's order (unassign → delete →
//! re-create → reassign), wrapped in `config global` (admins) and `config vdom` / `edit <vdom>`
//! (tokens, users) on multi-VDOM units. No secret value is ever written: re-created tokens get
//! their seed and activation data from FortiGuard, and licence codes are placeholders.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::plan::{Action, Plan, REISSUE_DROPS, Recreate};
use crate::model::{Model, ScopeKind, Token};
use crate::parse::Kind;
use crate::parse::value::quote;

/// Prefix of every placeholder the admin must replace before running the script.
pub const PLACEHOLDER_PREFIX: &str = "<FILL-IN:";

/// Facts for the script header.
pub struct ScriptInfo<'i> {
    pub source: &'i str,
    /// `2026-11-23T18:00:00Z`.
    pub date: String,
}

/// A rendered script and the placeholders in it.
#[derive(Debug, Default)]
pub struct Script {
    pub text: String,
    pub placeholders: Vec<String>,
}

/// Commands for one scope, wrapped on output.
struct Section {
    scope: ScopeKind,
    lines: Vec<String>,
}

fn push(sections: &mut Vec<Section>, scope: &ScopeKind, lines: Vec<String>) {
    if lines.is_empty() {
        return;
    }
    match sections.last_mut() {
        Some(s) if s.scope == *scope => s.lines.extend(lines),
        _ => sections.push(Section {
            scope: scope.clone(),
            lines,
        }),
    }
}

/// `config <table>` with `edit` blocks around per-entry lines.
fn table(path: &str, entries: &[(String, Vec<String>)]) -> Vec<String> {
    if entries.is_empty() {
        return Vec::new();
    }
    let mut out = vec![format!("config {path}")];
    for (key, lines) in entries {
        out.push(format!("    edit {}", quote(key)));
        out.extend(lines.iter().map(|l| format!("        {l}")));
        out.push("    next".to_owned());
    }
    out.push("end".to_owned());
    out
}

/// The holders of a token, as (scope, table, name, original two-factor value).
struct HolderRef {
    scope: ScopeKind,
    table: &'static str,
    name: String,
    two_factor: Option<String>,
    serial: String,
}

fn holders(m: &Model<'_>, t: &Token) -> Vec<HolderRef> {
    t.holders
        .iter()
        .map(|h| {
            let v = m.holder(h);
            HolderRef {
                scope: m.scopes[v.scope].kind.clone(),
                table: v.table(),
                name: v.name.to_owned(),
                two_factor: v.two_factor.map(|a| a.value.clone()),
                serial: t.serial.clone(),
            }
        })
        .collect()
}

fn unassign_lines(hs: &[&HolderRef], table_name: &str) -> Vec<String> {
    let entries: Vec<(String, Vec<String>)> = hs
        .iter()
        .filter(|h| h.table == table_name)
        .map(|h| {
            // `fortitoken` depends on `two-factor fortitoken`; unset it too, so that the
            // `delete` cannot fail on a lingering reference.
            let lines = vec![
                "set two-factor disable".to_owned(),
                "unset fortitoken".to_owned(),
            ];
            (h.name.clone(), lines)
        })
        .collect();
    table(table_name, &dedup(entries))
}

fn reassign_lines(hs: &[&HolderRef], table_name: &str) -> Vec<String> {
    let entries: Vec<(String, Vec<String>)> = hs
        .iter()
        .filter(|h| h.table == table_name)
        .map(|h| {
            let tf = match h.two_factor.as_deref() {
                Some(v) => format!("set two-factor {v}"),
                None => "unset two-factor".to_owned(),
            };
            (
                h.name.clone(),
                vec![tf, format!("set fortitoken {}", quote(&h.serial))],
            )
        })
        .collect();
    table(table_name, &dedup(entries))
}

fn dedup(mut v: Vec<(String, Vec<String>)>) -> Vec<(String, Vec<String>)> {
    let mut seen = BTreeSet::new();
    v.retain(|(k, _)| seen.insert(k.clone()));
    v
}

/// The placeholder for a licence's activation code.
pub fn licence_placeholder(licence: Option<&str>, serial: &str) -> String {
    match licence {
        Some(l) => format!("{PLACEHOLDER_PREFIX}activation-code-of-licence-{l}>"),
        None => format!("{PLACEHOLDER_PREFIX}activation-code-of-licence-holding-{serial}>"),
    }
}

/// Attributes of a token entry that survive a re-issue and must be set again after it is
/// re-created (comments, status, …). `license` comes back with the import.
fn kept_attributes(m: &Model<'_>, t: &Token) -> Vec<String> {
    let doc = &m.doc;
    doc.children(t.entry)
        .filter(|&c| doc.node(c).kind == Kind::Set)
        .filter(|&c| {
            let n = doc.name(c);
            !REISSUE_DROPS.contains(&n.as_ref())
                && n != "license"
                && !crate::model::SECRET_ATTRS.contains(&n.as_ref())
                && !doc.set_values(c).any(|v| v == "ENC")
        })
        .map(|c| doc.raw(doc.node(c).content).to_owned())
        .collect()
}

/// Text for a `#` comment line: line breaks and other control characters become blanks, so
/// nothing from the backup can start a command of its own.
fn comment_safe(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Renders the plan as a FortiOS CLI script.
pub fn render(
    m: &Model<'_>,
    plan: &Plan,
    findings_text: &[String],
    info: &ScriptInfo<'_>,
) -> Script {
    let multi = m.is_multi_vdom();
    let mut sections: Vec<Section> = Vec::new();
    let mut placeholders = Vec::new();

    let all_holders: Vec<(usize, Vec<HolderRef>)> = plan
        .items
        .iter()
        .map(|it| (it.token, holders(m, &m.tokens[it.token])))
        .collect();
    let token_scope = |i: usize| m.scopes[m.tokens[i].scope].kind.clone();
    // Holders handled inside their token's scope section; the others (admins, cross-scope
    // users) are unassigned before and reassigned after.
    let outside: Vec<&HolderRef> = all_holders
        .iter()
        .flat_map(|(i, hs)| hs.iter().filter(move |h| h.scope != token_scope(*i)))
        .collect();
    let mut outside_scopes: Vec<ScopeKind> = Vec::new();
    for h in &outside {
        if !outside_scopes.contains(&h.scope) {
            outside_scopes.push(h.scope.clone());
        }
    }
    outside_scopes.sort_by_key(|s| *s != ScopeKind::Global);

    // 1. Unassign admins (and users outside the token's scope).
    for s in &outside_scopes {
        let hs: Vec<&HolderRef> = outside.iter().copied().filter(|h| &h.scope == s).collect();
        let mut lines = vec!["# 1. unassign the tokens from their holders".to_owned()];
        lines.extend(unassign_lines(&hs, "system admin"));
        lines.extend(unassign_lines(&hs, "user local"));
        push(&mut sections, s, lines);
    }

    // 2. Per token scope: unassign users, delete, re-create, renew, reassign users.
    let mut scopes: Vec<usize> = plan
        .items
        .iter()
        .map(|it| m.tokens[it.token].scope)
        .collect();
    scopes.sort_unstable();
    scopes.dedup();
    for sid in scopes {
        let scope = m.scopes[sid].kind.clone();
        let items: Vec<_> = plan
            .items
            .iter()
            .filter(|it| m.tokens[it.token].scope == sid)
            .collect();
        let inside: Vec<&HolderRef> = all_holders
            .iter()
            .filter(|(i, _)| m.tokens[*i].scope == sid)
            .flat_map(|(_, hs)| hs.iter().filter(|h| h.scope == scope))
            .collect();
        let mut lines = Vec::new();
        if !inside.is_empty() {
            lines.push("# 1. unassign the tokens from their holders".to_owned());
            lines.extend(unassign_lines(&inside, "user local"));
            lines.extend(unassign_lines(&inside, "system admin"));
        }
        let reissued: Vec<_> = items
            .iter()
            .filter(|it| matches!(it.action, Action::Reissue(_)))
            .collect();
        if !reissued.is_empty() {
            lines.push("# 2. delete the stale token entries (seed and activation data bound to the old registration)".to_owned());
            lines.push("config user fortitoken".to_owned());
            let mut deleted = BTreeSet::new();
            for it in &reissued {
                let serial = &m.tokens[it.token].serial;
                if deleted.insert(serial.as_str()) {
                    lines.push(format!("    delete {}", quote(serial)));
                }
            }
            lines.push("end".to_owned());
            lines.push("# 3. re-create them".to_owned());
            let mut imported: BTreeSet<Recreate> = BTreeSet::new();
            for it in &reissued {
                let t = &m.tokens[it.token];
                let Action::Reissue(how) = &it.action else {
                    continue;
                };
                match how {
                    Recreate::Trial => {
                        if imported.insert(how.clone()) {
                            lines.push("# free-trial tokens: both were deleted above; this re-imports the pair".to_owned());
                            lines.push("# on a different unit the pair may come back with new serials: if a `set fortitoken`".to_owned());
                            lines.push("# below fails, assign the serials that `diagnose fortitoken info` lists instead".to_owned());
                            lines.push(
                                "execute fortitoken-mobile import 0000-0000-0000-0000-0000"
                                    .to_owned(),
                            );
                        }
                    }
                    Recreate::PurchasedMobile { licence } => {
                        if imported.insert(how.clone()) {
                            let p = licence_placeholder(licence.as_deref(), &t.serial);
                            lines.push(format!(
                                "# purchased FortiToken Mobile licence {}: replace the placeholder with its 20-character activation code",
                                licence.as_deref().unwrap_or("(unknown; the licence that holds this token)")
                            ));
                            lines.push(format!("execute fortitoken-mobile import {p}"));
                            placeholders.push(p);
                        }
                    }
                    Recreate::Hardware => {
                        lines.push(format!(
                            "# hardware token {}: register it, then activate it with FortiGuard",
                            t.serial
                        ));
                        lines.push("# it is activation-locked to the unit that first activated it: if activation fails with".to_owned());
                        lines.push("# \"token already activated, and seed won't be returned\", ask Fortinet support to reset the lock".to_owned());
                        if t.serial.starts_with("FTK211") {
                            lines.push("# (FortiToken-200CD/BCD cannot be reset by support: import its seed file instead)".to_owned());
                        }
                        lines.extend(table("user fortitoken", &[(t.serial.clone(), Vec::new())]));
                        lines.push(format!("execute fortitoken activate {}", t.serial));
                    }
                }
            }
            let kept: Vec<(String, Vec<String>)> = reissued
                .iter()
                .map(|it| {
                    let t = &m.tokens[it.token];
                    (t.serial.clone(), kept_attributes(m, t))
                })
                .filter(|(_, l)| !l.is_empty())
                .collect();
            if !kept.is_empty() {
                lines.push("# restore the settings the old entries had".to_owned());
                lines.extend(table("user fortitoken", &kept));
            }
        }
        for it in items.iter().filter(|it| it.action == Action::Renew) {
            let t = &m.tokens[it.token];
            lines.push(format!(
                "# {}: activation expired; renew it (Fortinet's lighter path)",
                t.serial
            ));
            lines.push(format!("execute fortitoken-mobile renew {}", t.serial));
        }
        if !inside.is_empty() {
            lines.push("# 4. reassign; this sends each holder a new activation code".to_owned());
            lines.extend(reassign_lines(&inside, "user local"));
            lines.extend(reassign_lines(&inside, "system admin"));
        }
        push(&mut sections, &scope, lines);
    }

    // 3. Reassign admins (and users outside the token's scope).
    for s in &outside_scopes {
        let hs: Vec<&HolderRef> = outside.iter().copied().filter(|h| &h.scope == s).collect();
        let mut lines =
            vec!["# 4. reassign; this sends each holder a new activation code".to_owned()];
        lines.extend(reassign_lines(&hs, "system admin"));
        lines.extend(reassign_lines(&hs, "user local"));
        push(&mut sections, s, lines);
    }

    let mut text = String::new();
    let _ = writeln!(
        text,
        "# fortilint {} remediation script",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(text, "# source: {}", comment_safe(info.source));
    let _ = writeln!(
        text,
        "# unit: {} {} build {}{}",
        comment_safe(m.header.model.as_deref().unwrap_or("unknown model")),
        comment_safe(m.header.firmware.as_deref().unwrap_or("unknown firmware")),
        m.header
            .build
            .map_or("unknown".to_owned(), |b| b.to_string()),
        m.hostname()
            .map_or(String::new(), |h| format!(" ({})", comment_safe(h)))
    );
    let _ = writeln!(text, "# generated: {}", info.date);
    let _ = writeln!(text, "# findings addressed:");
    for f in findings_text {
        let _ = writeln!(text, "#   {}", comment_safe(f));
    }
    for serial in &plan.refused {
        let _ = writeln!(
            text,
            "#   NOT PLANNED: token {} has a serial that cannot be written safely into CLI commands; fix it by hand",
            comment_safe(serial)
        );
    }
    if m.central_management
        .as_ref()
        .is_some_and(|c| c.is_fortimanager())
    {
        text.push_str("#\n# WARNING: this unit is managed by FortiManager. Run this remediation through FortiManager,\n");
        text.push_str("# or run it here and then retrieve the configuration in FortiManager at once, or the\n");
        text.push_str("# FortiManager device database will undo it on the next install.\n");
    }
    if !placeholders.is_empty() {
        text.push_str("#\n# BEFORE RUNNING: replace every <FILL-IN:...> placeholder below (FortiOS rejects them as they are):\n");
        for p in &placeholders {
            let _ = writeln!(text, "#   {p}");
        }
    }
    if plan.is_empty() {
        text.push_str("#\n# nothing to remediate\n");
    }
    for s in &sections {
        text.push('\n');
        let (open, close): (Vec<String>, Vec<String>) = match (&s.scope, multi) {
            (ScopeKind::Global, true) => (vec!["config global".to_owned()], vec!["end".to_owned()]),
            (ScopeKind::Vdom(v), _) => (
                vec!["config vdom".to_owned(), format!("edit {}", vdom_word(v))],
                vec!["end".to_owned()],
            ),
            _ => (Vec::new(), Vec::new()),
        };
        for l in open.iter().chain(&s.lines).chain(&close) {
            text.push_str(l);
            text.push('\n');
        }
    }
    if !plan.is_empty() {
        text.push_str("\n# 5. verify: every re-created token should show as provisioning/new, then provisioned\n");
        text.push_str("# diagnose fortitoken info\n");
    }
    Script { text, placeholders }
}

/// A VDOM name as an `edit` key (bare when it is a plain word, as FortiOS writes it).
fn vdom_word(v: &str) -> String {
    if !v.is_empty()
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    {
        v.to_owned()
    } else {
        quote(v)
    }
}
