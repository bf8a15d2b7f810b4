//! `fortilint fix`: the remediation script (stdout or `--script FILE`), `--diff`, `--write`.
//! The exit code is judged on what remains after the plan.

use std::io::Write as _;
use std::path::Path;

use super::args::FixArgs;
use super::lint::{Session, exit_code};
use super::{EXIT_ERROR, analyse, now, print};
use crate::fix::{fix_file, patch, script::ScriptInfo};
use crate::model::Model;
use crate::parse;
use crate::report::{self, Report, redact};

pub fn run(args: &FixArgs) -> u8 {
    match run_inner(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("fortilint: error: {e}");
            EXIT_ERROR
        }
    }
}

fn run_inner(args: &FixArgs) -> Result<u8, String> {
    if args.write && args.input.paths.iter().any(|p| p.as_os_str() == "-") {
        return Err("--write cannot rewrite standard input; use --diff or the script".to_owned());
    }
    let session = Session::open(&args.input.paths, &args.rules)?;
    let (files, models) = analyse(&session.loaded);
    let now = args.input.now.unwrap_or_else(now);
    let findings = session.findings(&models, &args.rules, now);
    let date = super::args::rfc3339(now);

    let mut scripts = String::new();
    let mut diffs = String::new();
    let mut placeholders = Vec::new();
    let mut patched: Vec<Option<String>> = vec![None; files.len()];
    let mut written = 0;
    for (i, m) in models.iter().enumerate() {
        let Some(m) = m else { continue };
        let info = ScriptInfo {
            source: &files[i].path,
            date: date.clone(),
        };
        let fx = fix_file(m, i, &findings, &args.token, &info);
        if !fx.plan.is_empty() {
            if !scripts.is_empty() {
                scripts.push('\n');
            }
            scripts.push_str(&fx.script.text);
            placeholders.extend(
                fx.script
                    .placeholders
                    .iter()
                    .map(|p| format!("{}: {p}", files[i].path)),
            );
        }
        if args.diff {
            diffs.push_str(&diff(
                &files[i].path,
                m,
                &fx.patched,
                args.rules.show_secrets,
            ));
        }
        if args.write && fx.patched != m.doc.text {
            write_atomic(session.path(i), &fx.patched)
                .map_err(|e| format!("{}: cannot write: {e}", files[i].path))?;
            written += 1;
        }
        patched[i] = Some(fx.patched);
    }

    if let Some(path) = &args.script {
        write_new(path, &scripts)
            .map_err(|e| format!("{}: cannot write the script: {e}", path.display()))?;
    }
    if args.diff {
        print(&diffs);
    } else if args.script.is_none() {
        // The script is what brings the unit in line with the rewritten backup: show it.
        print(&scripts);
    }
    if scripts.is_empty() {
        eprintln!("fortilint: nothing to fix (no FTK001, FTK002 or FTK003 finding)");
    }
    if !placeholders.is_empty() {
        eprintln!(
            "fortilint: the script has {} placeholder(s) to fill before it is run:",
            placeholders.len()
        );
        for p in &placeholders {
            eprintln!("  {p}");
        }
    }
    if args.write {
        eprintln!("fortilint: rewrote {written} file(s)");
    }

    // Files that did not parse are reported (and never written).
    let failed: Vec<report::ReportFile<'_>> =
        files.into_iter().filter(|f| f.error.is_some()).collect();
    let any_failed = !failed.is_empty();
    if any_failed {
        let r = Report {
            files: failed,
            findings: Vec::new(),
            show_secrets: false,
        };
        eprint!("{}", report::human::render_to_string(&r));
    }

    // Judged on what remains: lint the backups as the plan leaves them.
    let docs: Vec<Option<parse::Document<'_>>> = patched
        .iter()
        .map(|p| p.as_deref().and_then(|t| parse::parse(t).ok()))
        .collect();
    let after: Vec<Option<Model<'_>>> = docs.into_iter().map(|d| d.map(Model::build)).collect();
    let remaining = session.findings(&after, &args.rules, now);
    Ok(exit_code(any_failed, &remaining, args.rules.fail_on))
}

/// The unified diff of one file, with secret values masked unless `--show-secrets`.
fn diff(path: &str, m: &Model<'_>, new: &str, show_secrets: bool) -> String {
    let old = m.doc.text;
    if show_secrets || old == new {
        return patch::unified_diff(path, old, new);
    }
    let old_masked = redact(old, &m.secret_spans());
    let new_masked = match parse::parse(new) {
        Ok(doc) => redact(new, &Model::build(doc).secret_spans()),
        // The patch only removes whole lines, so it parses; never print unmasked text anyway.
        Err(_) => return String::new(),
    };
    patch::unified_diff(path, &old_masked, &new_masked)
}

/// Replaces `path` atomically: a temporary file in the same folder, the original's
/// permissions, then a rename. Symbolic links are followed (the target is rewritten).
pub fn write_atomic(path: &Path, contents: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let perms = std::fs::metadata(&target)?.permissions();
    let mut tmp = tempfile::Builder::new()
        .prefix(".fortilint-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(contents.as_bytes())?;
    tmp.as_file().sync_all()?;
    std::fs::set_permissions(tmp.path(), perms)?;
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// Writes a new file (the script) atomically.
fn write_new(path: &Path, contents: &str) -> std::io::Result<()> {
    if path.exists() {
        return write_atomic(path, contents);
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".fortilint-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(contents.as_bytes())?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
