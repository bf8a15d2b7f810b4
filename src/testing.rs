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
