//! Invariants of the whole pipeline, checked by the `pipeline` fuzz target and the property
//! tests on arbitrary input: source → parse → model → rules → fix → replay → every report
//! format. Not part of the tool's behaviour; public so that `fuzz/` and `tests/` share one
//! definition of "correct".
//!
//! Oracles:
//! * **leak**: a canary secret that sits only in secret positions of the input (values of
//!   secret attributes, after `ENC`, PEM bodies) never appears in any rendered output: human,
//!   concise, JSON, SARIF, GitHub, the script and the runbook;
//! * **injection**: every command line of a script starts with a verb the plan writes, and
//!   `execute` lines are the ones the plan writes;
//! * **replay**: the staged script replays without unknown statements;
//! * **settle**: `fix` on the patched backup changes nothing more.

use std::borrow::Cow;

use crate::fix::plan::{Plan, PlanOptions};
use crate::fix::replay::Interpreter;
use crate::fix::{fix_file, runbook, script::ScriptInfo};
use crate::model::{Model, secrets_in_text};
use crate::parse;
use crate::report::{self, Report, ReportFile};
use crate::rules;
use crate::source::{SourceFile, Span};

/// The canary: inputs that carry it in a secret position must never leak it.
pub const CANARY: &str = "FZCANARYSECRET9731";

/// Runs the whole pipeline over `data` and checks every oracle; `Err` says which failed.
pub fn check_pipeline(data: &[u8]) -> Result<(), String> {
    let Ok(src) = SourceFile::from_bytes("fuzz.conf".into(), data.to_vec()) else {
        return Ok(());
    };
    let text = src.text.as_str();
    let doc = match parse::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            // The parse-error path: the snippet is masked line by line.
            let secrets = secrets_in_text(text);
            let mut file = ReportFile::new("fuzz.conf".into(), Some(Cow::Borrowed(text)));
            file.secrets = secrets.clone();
            file.error = Some(report::FileError {
                status: "parse-error",
                line_col: Some(file.line_col(e.span.start)),
                message: e.message,
                hint: e.hint,
                span: Some(e.span),
                label: e.label,
            });
            let r = Report {
                files: vec![file],
                findings: Vec::new(),
                show_secrets: false,
            };
            return leak_check(text, &secrets, &rendered(&r));
        }
    };
    let model = Model::build(doc);
    for migration in [false, true] {
        let models = vec![Some(model.clone())];
        let findings = rules::run(&models, 1_700_000_000, vec![migration]);
        let m = models[0].as_ref().ok_or("no model")?;
        let fx = fix_file(
            m,
            0,
            &findings,
            &PlanOptions::default(),
            "fuzz.conf",
            "2023-11-14T22:13:20Z",
        );
        let script = fx.script.text(None);
        let plan_md = runbook::render(
            m,
            &fx.plan,
            &ScriptInfo {
                source: "fuzz.conf",
                date: String::new(),
                findings: Vec::new(),
            },
        );
        injection_check(&script)?;
        // Replay: every statement understood.
        let sdoc = parse::parse(&script).map_err(|e| format!("script does not parse: {e:?}"))?;
        let mut it = Interpreter::new(m);
        it.other_unit = migration;
        it.run(&sdoc);
        if !it.skipped.is_empty() {
            return Err(format!("replay did not understand {:?}", it.skipped));
        }
        // Settle.
        if fx.plan.changes_config() {
            let pdoc = parse::parse(&fx.patched)
                .map_err(|e| format!("patched backup does not parse: {e:?}"))?;
            let after = vec![Some(Model::build(pdoc))];
            let again = rules::run(&after, 1_700_000_000, vec![migration]);
            let a = after[0].as_ref().ok_or("no model")?;
            if Plan::build(a, 0, &again, &PlanOptions::default()).changes_config() {
                return Err("fix on the patched backup changes config again".into());
            }
        }
        // Leak: every report format, the script and the runbook.
        let secrets = m.secret_spans();
        let mut file = ReportFile::new("fuzz.conf".into(), Some(Cow::Borrowed(text)));
        file.secrets = secrets.clone();
        let r = Report {
            files: vec![file],
            findings,
            show_secrets: false,
        };
        let mut out = rendered(&r);
        out.push(script);
        out.push(plan_md);
        leak_check(text, &secrets, &out)?;
    }
    Ok(())
}

fn rendered(r: &Report<'_>) -> Vec<String> {
    vec![
        report::human::render_to_string(r),
        report::human::render_concise(r),
        report::json::render(r),
        report::sarif::render(r),
        report::github::render(r),
    ]
}

/// If every occurrence of the canary lies inside a secret span, no output may contain it.
pub fn leak_check(text: &str, secrets: &[Span], outputs: &[String]) -> Result<(), String> {
    let hits: Vec<usize> = text.match_indices(CANARY).map(|(i, _)| i).collect();
    if hits.is_empty() {
        return Ok(());
    }
    let covered = hits.iter().all(|&i| {
        secrets
            .iter()
            .any(|s| s.start as usize <= i && i + CANARY.len() <= s.end as usize)
    });
    if covered && outputs.iter().any(|o| o.contains(CANARY)) {
        return Err("a secret in a secret position reached an output".into());
    }
    Ok(())
}

/// Every non-comment line of a script is a command the plan writes.
pub fn injection_check(script: &str) -> Result<(), String> {
    for line in script.split(['\n', '\r', '\u{2028}', '\u{2029}', '\u{85}']) {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let w: Vec<&str> = t.split_whitespace().collect();
        let ok = match w.as_slice() {
            ["config" | "edit" | "set" | "delete", ..] | ["next" | "end"] => true,
            ["execute", "ping", host] => {
                host.ends_with(".fortinet.com") || host.ends_with(".fortinet.net")
            }
            ["execute", "fortiguard-message", "info"] => true,
            ["execute", "fortitoken-mobile", "import" | "provision", _] => true,
            ["execute", "fortitoken", "activate", _] => true,
            ["diagnose", "fortitoken", ..] | ["diagnose", "debug", ..] => true,
            ["show", "system", "email-server" | "central-management"] => true,
            _ => false,
        };
        if !ok {
            return Err(format!("script line the plan does not write: {line:?}"));
        }
    }
    Ok(())
}

/// The canary of placement `i`: [`CANARY`]'s prefix, the number, its suffix (an upper-case
/// word like an activation code). Outputs are searched for the prefix in any case.
pub fn canary(i: usize) -> String {
    format!("FZCANARY{i:03}SECRET9731")
}

/// What every output is searched for (case-insensitively): no canary, not even cut short,
/// may appear.
pub const CANARY_PREFIX: &str = "fzcanary";

/// One generated input with a secret in one position.
#[derive(Clone, Debug)]
pub struct Placement {
    /// What the position is, e.g. `set seed (decoded se\ed)`.
    pub name: String,
    /// The file name to write it to (`NNN-….conf`, or `.log` for captures).
    pub file: String,
    pub text: String,
    /// Whether the text is expected to parse (`false`: the parse-error path).
    pub parses: bool,
}

/// A FortiOS backup with FortiTokens and findings (an expired activation, FTK003) that `fix`
/// acts on; `{INSIDE}` marks a line inside the `config user fortitoken` entry the fix rewrites
/// (so that `fix --diff` shows it as context).
const LEAK_BASE: &str =
    "#config-version=FGT60F-7.2.8-FW-build1639-240313:opmode=0:vdom=0:user=admin
#conf_file_ver=96265589645580517
#buildno=1639
#global_vdom=1
config system global
    set hostname \"FGT60F-LEAK\"
end
config system admin
    edit \"admin\"
        set accprofile \"super_admin\"
        set vdom \"root\"
        set password ENC SH2cGFzc3dvcmQ=
    next
end
config user fortitoken
    edit \"FTKMOB46BF8AE8E1\"
        set license \"EFTM1075769840\"
        set activation-code \"JXFGDUW73CAUCKRW\"
        set activation-expire 1600000000
{INSIDE}
    next
end
config user local
    edit \"lena.hoffmann\"
        set type password
        set two-factor fortitoken
        set fortitoken \"FTKMOB46BF8AE8E1\"
        set email-to \"lena.hoffmann@example.com\"
        set passwd ENC cGFzc3dk
    next
end
";

/// Writes the line(s) of one position around a canary.
type Statement = Box<dyn Fn(&str) -> String>;

/// Backups and captures with a canary secret in every position fortilint must mask: each
/// secret attribute (and decoded spellings), `ENC` after a blank and after NBSP, `unset`,
/// multi-line quoted values and PEM bodies (first and later lines), continuation lines, lines
/// that start with a control character, a misspelt `sett`, quoted attribute names, words of
/// unknown statements, debug-log and capture lines, and each of the statement positions
/// again in a file that fails to parse on that very line.
pub fn secret_placements() -> Vec<Placement> {
    let mut stmts: Vec<(String, Statement)> = Vec::new();
    for attr in crate::model::SECRET_ATTRS {
        stmts.push((
            format!("set {attr}"),
            Box::new(move |c| format!("        set {attr} {c}")),
        ));
    }
    let mut add = |name: &str, f: Statement| stmts.push((name.to_owned(), f));
    add(
        "set passwd ENC",
        Box::new(|c| format!("        set passwd ENC {c}")),
    );
    add(
        "set comments ENC (any attribute)",
        Box::new(|c| format!("        set comments ENC {c}")),
    );
    add(
        "set passwd ENC<NBSP>",
        Box::new(|c| format!("        set passwd ENC\u{a0}{c}")),
    );
    add(
        "set comments ENC<NBSP>",
        Box::new(|c| format!("        set comments ENC\u{a0}{c}")),
    );
    add(
        "set se\\ed (decoded seed)",
        Box::new(|c| format!("        set se\\ed {c}")),
    );
    add(
        "set pass\\wd (decoded passwd)",
        Box::new(|c| format!("        set pass\\wd ENC {c}")),
    );
    add(
        "set PASSWORD (upper case)",
        Box::new(|c| format!("        set PASSWORD {c}")),
    );
    add(
        "set \"password\" (quoted attribute)",
        Box::new(|c| format!("        set \"password\" {c}")),
    );
    add(
        "unset password ENC",
        Box::new(|c| format!("        unset password ENC {c}")),
    );
    add(
        "set private-key PEM, first body line",
        Box::new(|c| {
            format!(
                "        set private-key \"-----BEGIN ENCRYPTED PRIVATE KEY-----\n{c}\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQww\n-----END ENCRYPTED PRIVATE KEY-----\""
            )
        }),
    );
    add(
        "set certificate PEM, second body line",
        Box::new(|c| {
            format!(
                "        set certificate \"-----BEGIN PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQww\n{c}\n-----END PRIVATE KEY-----\""
            )
        }),
    );
    add(
        "set passwd multi-line, second line",
        Box::new(|c| format!("        set passwd \"first\n{c}\"")),
    );
    add(
        "set passwd continuation line",
        Box::new(|c| format!("        set passwd abc\\\n{c}")),
    );
    add(
        "set seed ENC, continuation line",
        Box::new(|c| format!("        set seed ENC \\\n{c}")),
    );
    add(
        "line starting with ESC",
        Box::new(|c| format!("\u{1b}set passwd {c}")),
    );
    add(
        "line starting with SOH",
        Box::new(|c| format!("\u{1}        set passwd {c}")),
    );
    add(
        "line starting with DEL",
        Box::new(|c| format!("\u{7f}set seed {c}")),
    );
    add(
        "misspelt sett",
        Box::new(|c| format!("        sett passwd {c}")),
    );
    add(
        "misspelt sett ENC",
        Box::new(|c| format!("        sett passwd ENC {c}")),
    );
    add(
        "unknown statement word",
        Box::new(|c| format!("        {c}")),
    );
    add(
        "unknown statement word, lower case",
        Box::new(|c| format!("        {}", c.to_ascii_lowercase())),
    );
    add(
        "unknown statement word and more",
        Box::new(|c| format!("        {c} now")),
    );
    add(
        "value after unknown statement",
        Box::new(|c| format!("        frobnicate {c}")),
    );
    add(
        "commented-out secret",
        Box::new(|c| format!("#        set passwd ENC {c}")),
    );
    add(
        "execute fortitoken-mobile import",
        Box::new(|c| format!("execute fortitoken-mobile import {c}")),
    );
    let mut out = Vec::new();
    for (name, f) in &stmts {
        let i = out.len();
        let c = canary(i);
        let text = LEAK_BASE.replace("{INSIDE}", &f(&c));
        let parses = crate::parse::parse(&text).is_ok();
        out.push(Placement {
            name: name.clone(),
            file: format!("{i:03}.conf"),
            text,
            parses,
        });
        // The same position in a file that fails on that line: an unterminated quote after it
        // (single: the base has none to pair it with).
        let i = out.len();
        let c = canary(i);
        let text = LEAK_BASE.replace("{INSIDE}", &format!("{} 'broken", f(&c)));
        out.push(Placement {
            name: format!("{name}, file fails on the line"),
            file: format!("{i:03}.conf"),
            parses: crate::parse::parse(&text).is_ok(),
            text,
        });
    }
    // The value before an unterminated quote; a set outside any block.
    for (name, body) in [
        (
            "secret then an unterminated quote on the line",
            "        set passwd {C} \"x",
        ),
        (
            "secret inside an unterminated quote",
            "        set passwd \"{C}",
        ),
        (
            "secret after an open quote, next line",
            "        set comments \"open\n        set passwd {C}",
        ),
    ] {
        let i = out.len();
        let text = LEAK_BASE.replace("{INSIDE}", &body.replace("{C}", &canary(i)));
        out.push(Placement {
            name: name.to_owned(),
            file: format!("{i:03}.conf"),
            parses: crate::parse::parse(&text).is_ok(),
            text,
        });
    }
    let i = out.len();
    let text = LEAK_BASE.replacen(
        "config system global",
        &format!("set passwd {}\nconfig system global", canary(i)),
        1,
    );
    out.push(Placement {
        name: "set passwd outside any block".to_owned(),
        file: format!("{i:03}.conf"),
        parses: crate::parse::parse(&text).is_ok(),
        text,
    });
    // Session captures and debug logs (evidence, explain-log, captures given to check).
    let captures: [(&str, &str); 9] = [
        (
            "typed command with a password",
            "FGT60F-LEAK # execute ssh a@10.0.0.1 {C}\nDone.\n",
        ),
        (
            "alertmail activation code",
            "alertmail: sending FortiToken activation code: {C} to lena@example.com\n",
        ),
        (
            "ProvisionRequest seed",
            "[forticldd] {\"d\":{\"__type\":\"SoftToken.ProvisionRequest\",\"seed\":\"{C}\",\"token\":\"FTKMOB46BF8AE8E1\"}}\n",
        ),
        (
            "ActivationLicenseRequest code",
            "[forticldd] {\"d\":{\"__type\":\"SoftToken.ActivationLicenseRequest\",\"license_activation_code\":\"{C}\"}}\n",
        ),
        (
            "typed import at a prompt",
            "FGT60F-LEAK # execute fortitoken-mobile import {C}\n",
        ),
        (
            "typed set passwd at a prompt",
            "FGT60F-LEAK (lena.hoffmann) # set passwd {C}\n",
        ),
        (
            "get output passwd",
            "FGT60F-LEAK # get user local lena.hoffmann\nname                : lena.hoffmann\npasswd              : ENC {C}\n",
        ),
        (
            "show output in a capture",
            "FGT60F-LEAK # show user local\nconfig user local\n    edit \"lena.hoffmann\"\n        set passwd ENC {C}\n    next\nend\n",
        ),
        (
            "debug line with a control character",
            "\u{1b}[2K{C} activation code: {C}\n",
        ),
    ];
    for (name, body) in captures {
        let i = out.len();
        let text = format!(
            "FGT60F-LEAK # get system status\nVersion: FortiGate-60F v7.2.8,build1639,240313 (GA.M)\nSerial-Number: FGT60FTK20000000\nHostname: FGT60F-LEAK\nFGT60F-LEAK # diagnose debug application forticldd -1\n{}FGT60F-LEAK # diagnose fortitoken info\nFORTITOKEN        DRIFT  STATUS\nFTKMOB46BF8AE8E1  0      new\nFGT60F-LEAK # show full-configuration\n{}",
            body.replace("{C}", &canary(i)),
            LEAK_BASE.replace("{INSIDE}\n", "")
        );
        out.push(Placement {
            name: format!("capture: {name}"),
            file: format!("{i:03}.log"),
            parses: crate::parse::parse(&text).is_ok(),
            text,
        });
    }
    out
}
