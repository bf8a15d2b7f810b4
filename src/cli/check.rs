//! `fortilint check`: lint backups and report findings.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use codespan_reporting::term::termcolor::{Buffer, WriteColor};
use serde::{Deserialize, Serialize};

use super::args::{CheckArgs, CheckFormat, FailOn};
use super::inputs::Input;
use super::{EXIT_ERROR, EXIT_FINDINGS, analyse, inputs, load_all, now, print, use_color};
use crate::config::{self, Config};
use crate::model::Model;
use crate::report::{self, Report};
use crate::rules::{self, Finding, Severity, registry};

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
    for key in args.select.iter().chain(&args.ignore) {
        if !registry::RULES
            .iter()
            .any(|r| matches_rule(key, r.meta().code, r.meta().name))
        {
            return Err(format!(
                "`{key}` matches no rule code or name (see `fortilint rules`)"
            ));
        }
    }
    let inputs = inputs::discover(&args.input.paths);
    let configs = configs_for(&inputs, args.config.as_deref())?;
    let baseline = match &args.baseline {
        Some(p) => Some(Baseline::load(p)?),
        None => None,
    };
    let loaded = load_all(&inputs);
    let (files, models) = analyse(&loaded);
    let migration = configs
        .iter()
        .map(|c| args.migration || c.migration)
        .collect();
    let raw = rules::run(&models, args.input.now.unwrap_or_else(now), migration);
    let paths: Vec<&Path> = inputs
        .iter()
        .map(|i| match i {
            Input::File(p) | Input::Unreadable(p, _) => p.as_path(),
        })
        .collect();
    let mut findings = apply_settings(raw, args, &configs, &models, &paths);
    if let Some(path) = &args.write_baseline {
        Baseline::from_findings(&findings, &files).save(path)?;
    }
    if let Some(b) = &baseline {
        findings.retain(|f| !b.contains(&key(f, &files[f.primary.file].path)));
    }
    let mut report = Report {
        files,
        findings,
        show_secrets: args.show_secrets,
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
    Ok(exit_code(&report, args.fail_on))
}

/// Only files that show a snippet pay for finding their secrets.
fn load_secrets(report: &mut Report<'_>, models: &[Option<Model<'_>>]) {
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

/// `--select`/`--ignore` keys: a code prefix (any case) or an exact rule name.
fn matches_rule(key: &str, code: &str, name: &str) -> bool {
    let k = key.trim();
    !k.is_empty() && (code.starts_with(&k.to_ascii_uppercase()) || name == k)
}

/// The config for each input: `--config`, or the nearest `fortilint.toml` above it.
fn configs_for(inputs: &[Input], explicit: Option<&Path>) -> Result<Vec<Config>, String> {
    if let Some(p) = explicit {
        let c = Config::load(p)?;
        return Ok(vec![c; inputs.len()]);
    }
    let mut cache: HashMap<PathBuf, Config> = HashMap::new();
    let mut out = Vec::with_capacity(inputs.len());
    for input in inputs {
        let path = match input {
            Input::File(p) | Input::Unreadable(p, _) => p,
        };
        match config::discover(path) {
            None => out.push(Config::default()),
            Some(found) => {
                if !cache.contains_key(&found) {
                    let c = Config::load(&found)?;
                    cache.insert(found.clone(), c);
                }
                out.push(cache[&found].clone());
            }
        }
    }
    Ok(out)
}

/// Applies `--select`/`--ignore`, per-rule severities, `[[ignore]]` entries and
/// `fortilint: ignore` comments.
fn apply_settings(
    findings: Vec<Finding>,
    args: &CheckArgs,
    configs: &[Config],
    models: &[Option<Model<'_>>],
    paths: &[&Path],
) -> Vec<Finding> {
    findings
        .into_iter()
        .filter_map(|mut f| {
            let file = f.primary.file;
            if !args.select.is_empty()
                && !args.select.iter().any(|k| matches_rule(k, f.code, f.name))
            {
                return None;
            }
            if args.ignore.iter().any(|k| matches_rule(k, f.code, f.name)) {
                return None;
            }
            let cfg = &configs[file];
            f.severity = cfg.severity(&f)?;
            if cfg.ignores(&f, paths[file]) {
                return None;
            }
            if models[file]
                .as_ref()
                .is_some_and(|m| rules::suppressed_by_comment(m, &f))
            {
                return None;
            }
            Some(f)
        })
        .collect()
}

/// 2 if any file failed, else 1 if a finding reaches the threshold, else 0.
pub fn exit_code(report: &Report<'_>, fail_on: FailOn) -> u8 {
    if report.files.iter().any(|f| f.error.is_some()) {
        return EXIT_ERROR;
    }
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    if report.findings.iter().any(|f| f.severity >= threshold) {
        EXIT_FINDINGS
    } else {
        0
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
