//! The plan as a markdown runbook for people (`fix --format plan`): what happens to whom, per
//! stage, which tickets to open and whom to tell. Drawn from the same [`Plan`] as the script.

use std::fmt::Write as _;

use super::plan::{HardwareKind, Plan, ProvisionWhy, Reimport};
use super::script::{ScriptInfo, bug_1218458, comment_safe, serial_label};
use crate::model::{HolderKind, Model};

/// Text safe inside a markdown table cell or list item: no control characters, no pipes, no
/// backticks (names come from the backup).
fn md(s: &str) -> String {
    comment_safe(s)
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('`', "'")
        .replace('<', "&lt;")
}

fn channel(v: &crate::model::HolderView<'_>) -> &'static str {
    if v.sms_phone.is_some() {
        "SMS"
    } else if v.email_to.is_some() {
        "e-mail"
    } else {
        "NONE (set email-to or sms-phone first)"
    }
}

/// Renders the runbook.
pub fn render(m: &Model<'_>, plan: &Plan, info: &ScriptInfo<'_>) -> String {
    let mut t = String::new();
    let host = m.hostname().map_or("(hostname unknown)".to_owned(), md);
    let _ = writeln!(t, "# FortiToken remediation runbook: {host}\n");
    let _ = writeln!(
        t,
        "Unit: {} FortiOS {} (serial {}); source `{}`; generated {} by fortilint {}.\n",
        md(m.header.model.as_deref().unwrap_or("(model unknown)")),
        md(m.header.firmware.as_deref().unwrap_or("(unknown)")),
        md(m.header.serial.as_deref().unwrap_or("not in the backup")),
        md(info.source),
        info.date,
        env!("CARGO_PKG_VERSION")
    );
    if plan.is_empty() {
        let _ = writeln!(t, "Nothing to remediate.");
        if !plan.skipped.is_empty() {
            not_planned(&mut t, plan);
        }
        return t;
    }

    let _ = writeln!(t, "## Tickets and prerequisites (blocking)\n");
    let _ = writeln!(
        t,
        "- [ ] A configuration backup of this unit, saved off the unit."
    );
    for g in &plan.groups {
        if let Reimport::Licence(l) = &g.how {
            let _ = writeln!(
                t,
                "- [ ] Customer Service: transfer licence {} to this unit's serial and issue a new activation code \
                 (KB 194574, KB 193723). Alternative: FortiToken Cloud `migrate-ftm` before the move.",
                md(l.as_deref().unwrap_or("(not named in the backup)"))
            );
        }
    }
    for h in &plan.hardware {
        let s = &m.tokens[h.token].serial;
        match h.kind {
            HardwareKind::LockCheck => {
                let _ = writeln!(
                    t,
                    "- [ ] TAC ticket for hardware token {s}, only if stage 0 shows `token already activated, and seed won't be returned` (KB 232153)."
                );
            }
            HardwareKind::SeedFile => {
                let _ = writeln!(
                    t,
                    "- [ ] The seed file (CD) of FortiToken-200CD {s} (KB 194435)."
                );
            }
            HardwareKind::Activate => {}
        }
    }
    if bug_1218458(m) && !plan.hardware.is_empty() {
        let _ = writeln!(
            t,
            "- [ ] Upgrade first: this firmware has bug 1218458 (hardware activation fails with `cmdb save error`, KB 222475)."
        );
    }
    if super::plan::in_ha_cluster(m) {
        let _ = writeln!(
            t,
            "- [ ] HA cluster: run everything on the primary (KB 308115). A primary RMA needs no re-activation (KB 410099)."
        );
    }
    if m.central_management
        .as_ref()
        .is_some_and(|c| c.manages_config())
    {
        let _ = writeln!(
            t,
            "- [ ] FortiManager manages this unit: configuration stages go through the device database; execute stages run as \"Remote FortiGate Directly (via CLI)\" scripts (KB 417985)."
        );
    }

    let _ = writeln!(t, "\n## Who is affected (tell them before stage 1)\n");
    let _ = writeln!(
        t,
        "| holder | VDOM | token | what happens | code delivered by |"
    );
    let _ = writeln!(t, "|---|---|---|---|---|");
    let provisions: std::collections::HashMap<usize, ProvisionWhy> =
        plan.provisions.iter().map(|p| (p.token, p.why)).collect();
    for i in plan.touched_tokens() {
        let tok = &m.tokens[i];
        let what = if let Some(why) = provisions.get(&i) {
            match why {
                ProvisionWhy::Expired => "re-provisioned (activation had expired)",
                ProvisionWhy::SharedPhone => {
                    "re-provisioned to its own holder (one phone, several people)"
                }
            }
        } else if plan
            .in_group
            .get(&i)
            .is_some_and(|&(g, _)| plan.groups[g].how == Reimport::HardwareReAdd)
        {
            "hardware token deleted and re-added without activation (the unit reported an error)"
        } else if plan
            .in_group
            .get(&i)
            .is_some_and(|&(g, _)| plan.groups[g].new_serials)
        {
            "trial pair re-imported: a NEW trial token, new activation"
        } else {
            "licence re-imported: same serial, new activation"
        };
        for h in &tok.holders {
            let v = m.holder(h);
            let _ = writeln!(
                t,
                "| {} | {} | {} | {} | {} |",
                md(&v.describe()),
                md(m.scopes[v.scope].label()),
                md(&serial_label(m, plan, i)),
                what,
                channel(&v)
            );
        }
    }

    let _ = writeln!(t, "\n## Stages\n");
    let _ = writeln!(
        t,
        "Print each stage's commands with `fortilint fix --stage N`; paste one stage at a time.\n"
    );
    let _ = writeln!(
        t,
        "0. **Pre-flight (read-only)**: FortiGuard reachability (`fds1.fortinet.com`, `directregistration.fortinet.com`, `globalftm.fortinet.net`), `diagnose fortitoken info` baseline per VDOM, mail server and SMS credits."
    );
    let unassign: Vec<String> = plan
        .reassign
        .iter()
        .map(|r| md(&m.holder(&r.holder).describe()))
        .collect();
    let deleted: Vec<String> = plan
        .groups
        .iter()
        .flat_map(|g| g.tokens.iter().map(|&i| md(&m.tokens[i].serial)))
        .collect();
    if deleted.is_empty() {
        let _ = writeln!(t, "1. **Unassign and delete**: nothing.");
    } else {
        let _ = writeln!(
            t,
            "1. **Unassign and delete**: two-factor off for {} (password only until reassigned); delete {}.",
            if unassign.is_empty() {
                "nobody".to_owned()
            } else {
                unassign.join(", ")
            },
            deleted.join(", ")
        );
    }
    let mut s2 = Vec::new();
    for g in &plan.groups {
        match &g.how {
            Reimport::Licence(l) => s2.push(format!(
                "import licence {} in {}",
                md(l.as_deref().unwrap_or("(unnamed)")),
                md(m.scopes[g.scope].label())
            )),
            Reimport::HardwareReAdd => s2.push(format!(
                "re-add hardware token(s) {} without activation (KB 194508 step 5a) in {}",
                g.tokens
                    .iter()
                    .map(|&i| md(&m.tokens[i].serial))
                    .collect::<Vec<_>>()
                    .join(", "),
                md(m.scopes[g.scope].label())
            )),
            Reimport::TrialPair => s2.push(format!(
                "import the trial pair in {}",
                md(m.scopes[g.scope].label())
            )),
        }
    }
    for h in &plan.hardware {
        let s = md(&m.tokens[h.token].serial);
        s2.push(match h.kind {
            HardwareKind::Activate => format!("activate {s} once, debug on"),
            HardwareKind::LockCheck => format!(
                "{s}: left alone if stage 0 shows it `active`/`new`; locked: one activation after the TAC reset; \
                 another error: delete and re-add without activation (KB 194508 step 5a), by hand"
            ),
            HardwareKind::SeedFile => format!("{s}: import its seed file"),
        });
    }
    for p in plan.provisions.iter().filter(|p| {
        m.tokens[p.token]
            .holders
            .iter()
            .all(|h| h.kind == HolderKind::User)
    }) {
        s2.push(format!("re-provision {}", md(&m.tokens[p.token].serial)));
    }
    let _ = writeln!(
        t,
        "2. **Import, activate, re-provision**: {}.",
        if s2.is_empty() {
            "nothing".to_owned()
        } else {
            s2.join("; ")
        }
    );
    let _ = writeln!(
        t,
        "\n   **STOP**: `diagnose fortitoken info` must list the re-imported tokens as `new` before anybody is reassigned. If an import failed, the holders above stay on password only: fix the cause, re-run stage 2.\n"
    );
    let reassigned = |kind: HolderKind| -> Vec<String> {
        plan.reassign
            .iter()
            .filter(|r| r.holder.kind == kind)
            .map(|r| {
                format!(
                    "{} → {}",
                    md(m.holder(&r.holder).name),
                    md(&serial_label(m, plan, r.token))
                )
            })
            .collect()
    };
    let users = reassigned(HolderKind::User);
    let admins = reassigned(HolderKind::Admin);
    let _ = writeln!(
        t,
        "3. **Reassign users**: {}.",
        if users.is_empty() {
            "nobody".to_owned()
        } else {
            users.join(", ")
        }
    );
    let _ = writeln!(
        t,
        "4. **Reassign admins, last**: {}.",
        if admins.is_empty() {
            "nobody".to_owned()
        } else {
            admins.join(", ")
        }
    );
    if plan.unresolved() > 0 {
        let _ = writeln!(
            t,
            "\nTrial tokens come back with new serials: read them from `diagnose fortitoken info` after stage 2 (or run `fortilint fix --evidence <capture>`); never reuse the old ones."
        );
    }
    if plan.lockout_risk_accepted {
        let _ = writeln!(
            t,
            "\n**Admin lockout risk accepted**: no super_admin keeps working two-factor through this plan; keep a super_admin session open until stage 4 is verified."
        );
    }
    not_planned(&mut t, plan);
    t
}

fn not_planned(t: &mut String, plan: &Plan) {
    if plan.skipped.is_empty() {
        return;
    }
    let _ = writeln!(t, "\n## Not planned\n");
    for s in &plan.skipped {
        let _ = writeln!(t, "- {}: {}", md(&s.what), md(&s.why));
    }
}
