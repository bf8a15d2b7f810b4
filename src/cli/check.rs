//! `fortilint check`: lint backups and report findings.

use std::collections::BTreeSet;
use std::path::Path;

use codespan_reporting::term::termcolor::{Buffer, WriteColor};
use serde::{Deserialize, Serialize};

use super::args::{CheckArgs, CheckFormat};
use super::lint::{Session, exit_code};
use super::{EXIT_ERROR, analyse, now, print, use_color};
use crate::model::Model;
use crate::report::{self, Report};
use crate::rules::Finding;

pub fn run(args: &CheckArgs) -> u8 {
    match run_inner(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("fortilint: error: {e}");
            EXIT_ERROR
        }
    }
}

fn run_inner(args: &CheckArgs) -> Result<u8, String> {
    let session = Session::open(&args.input.paths, &args.rules)?;
    let baseline = match &args.baseline {
        Some(p) => Some(Baseline::load(p)?),
        None => None,
    };
    let (files, models) = analyse(&session.loaded);
    let mut findings = session.findings(&models, &args.rules, args.input.now.unwrap_or_else(now));
    if let Some(path) = &args.write_baseline {
        Baseline::from_findings(&findings, &files).save(path)?;
    }
    if let Some(b) = &baseline {
        findings.retain(|f| !b.contains(&key(f, &files[f.primary.file].path)));
    }
    let mut report = Report {
        files,
        findings,
        show_secrets: args.rules.show_secrets,
    };
    report.sort();
    if args.format == CheckFormat::Human {
        load_secrets(&mut report, &models);
    }
    let out = match args.format {
        CheckFormat::Human => {
            let mut buf = if use_color(args.input.color) {
                Buffer::ansi()
            } else {
                Buffer::no_color()
            };
            let _ = report::human::render(&report, &mut buf);
            if !args.quiet {
                let _ = buf.reset();
                let line = report::human::summary_line(&report);
                let _ = std::io::Write::write_all(&mut buf, format!("{line}\n").as_bytes());
            }
            String::from_utf8_lossy(buf.as_slice()).into_owned()
        }
        CheckFormat::Concise => report::human::render_concise(&report),
        CheckFormat::Json => report::json::render(&report),
        CheckFormat::Sarif => report::sarif::render(&report),
        CheckFormat::Github => report::github::render(&report),
    };
    print(&out);
    Ok(exit_code(
        report.files.iter().any(|f| f.error.is_some()),
        &report.findings,
        args.rules.fail_on,
    ))
}

/// Only files that show a snippet pay for finding their secrets.
pub fn load_secrets(report: &mut Report<'_>, models: &[Option<Model<'_>>]) {
    let mut shown = vec![false; report.files.len()];
    for f in &report.findings {
        shown[f.primary.file] = true;
        for l in &f.related {
            shown[l.file] = true;
        }
    }
    for (i, file) in report.files.iter_mut().enumerate() {
        if (shown[i] || !file.warnings.is_empty())
            && let Some(m) = &models[i]
        {
            file.secrets = m.secret_spans();
        }
    }
}

/// Identity of a finding that survives re-exports: path, VDOM, object, code (no line).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Key {
    path: String,
    vdom: Option<String>,
    object: String,
    code: String,
}

fn key(f: &Finding, path: &str) -> Key {
    Key {
        path: path.to_owned(),
        vdom: f.vdom.clone(),
        object: f.object.clone(),
        code: f.code.to_owned(),
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Baseline {
    version: u32,
    findings: BTreeSet<Key>,
}

impl Baseline {
    fn from_findings(findings: &[Finding], files: &[report::ReportFile<'_>]) -> Baseline {
        Baseline {
            version: 1,
            findings: findings
                .iter()
                .map(|f| key(f, &files[f.primary.file].path))
                .collect(),
        }
    }

    fn load(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("baseline {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("baseline {}: {e}", path.display()))
    }

    fn save(&self, path: &Path) -> Result<(), String> {
        let mut s = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        s.push('\n');
        std::fs::write(path, s).map_err(|e| format!("baseline {}: {e}", path.display()))
    }

    fn contains(&self, k: &Key) -> bool {
        self.findings.contains(k)
    }
}
