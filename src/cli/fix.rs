//! `fortilint fix`: the staged remediation script or the markdown runbook (stdout, `--script
//! FILE`, or one file per unit with `--out-dir`), `--diff`, `--write`.
//!
//! Order of effects: every script or runbook is written (and synced) first; backups are
//! rewritten only after that succeeded, so a failing output never leaves a rewritten backup
//! without its plan. One unit per script: several units are never mixed in one stream.
//!
//! Exit codes: 0 when it produced what was asked and nothing at or above `--fail-on` remains;
//! 1 when findings remain that the plan cannot fix (named on stderr); 2 on bad input or usage.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

use super::args::{FixArgs, FixFormat};
use super::lint::{Session, exit_code};
use super::{EXIT_ERROR, analyse_with, now, print};
use crate::fix::plan::PlanOptions;
use crate::fix::{fix_file, patch, runbook};
use crate::model::Model;
use crate::parse;
use crate::report::{self, Report, redact};
use crate::rules::{Fixable, registry};

pub fn run(args: &FixArgs) -> u8 {
    match run_inner(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("fortilint: error: {}", report::escape(&e));
            EXIT_ERROR
        }
    }
}

/// One unit's rendered output.
struct UnitOut {
    file: usize,
    name: String,
    text: String,
}

fn run_inner(args: &FixArgs) -> Result<u8, String> {
    if args.write && args.input.paths.iter().any(|p| p.as_os_str() == "-") {
        return Err("--write cannot rewrite standard input; use --diff or the script".to_owned());
    }
    let session = Session::open(&args.input.paths, &args.rules)?;
    if let Some(out) = &args.script {
        refuse_input_path(&session, out)?;
    }
    // Fixes edit and replay any block: the full parse.
    let (files, models) = analyse_with(&session.loaded, crate::parse::Mode::Full);
    let now = args.input.now.unwrap_or_else(now);
    let findings = session.findings(&models, &args.rules, now);
    let date = super::args::rfc3339(now);

    // `--token` must name tokens that exist.
    let known: BTreeSet<&str> = models
        .iter()
        .flatten()
        .flat_map(|m| m.tokens.iter().map(|t| t.serial.as_str()))
        .collect();
    let unknown: Vec<&String> = args
        .token
        .iter()
        .filter(|t| !known.contains(t.as_str()))
        .collect();
    if !unknown.is_empty() {
        return Err(format!(
            "--token {}: no such token in the input{}",
            unknown
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            if known.is_empty() {
                ""
            } else {
                " (see `fortilint tokens`)"
            }
        ));
    }

    let opts = PlanOptions {
        only: args.token.clone(),
        allow_admin_lockout_risk: args.allow_admin_lockout_risk,
        post_import: Default::default(),
    };
    let mut outs: Vec<UnitOut> = Vec::new();
    let mut diffs = String::new();
    let mut notes: Vec<String> = Vec::new();
    let mut patched: Vec<Option<String>> = vec![None; files.len()];
    let mut rewrite: Vec<(usize, String, Vec<u8>)> = Vec::new();
    for (i, m) in models.iter().enumerate() {
        let Some(m) = m else { continue };
        let fx = fix_file(m, i, &findings, &opts, &files[i].path, &date);
        let path = &files[i].path;
        for s in &fx.plan.skipped {
            notes.push(format!("{path}: not planned: {}: {}", s.what, s.why));
        }
        if !fx.plan.is_empty() {
            let info = crate::fix::script::ScriptInfo {
                source: path,
                date: date.clone(),
                findings: crate::fix::addressed(m, i, &findings, &fx.plan),
            };
            let text = match args.format {
                FixFormat::Script => fx.script.text(args.stage),
                FixFormat::Plan => runbook::render(m, &fx.plan, &info),
            };
            for p in &fx.script.placeholders {
                notes.push(format!(
                    "{path}: placeholder to fill in before its stage: {p}"
                ));
            }
            outs.push(UnitOut {
                file: i,
                name: unit_name(m, path),
                text,
            });
        }
        if args.diff {
            diffs.push_str(&diff(path, m, &fx.patched, args.rules.show_secrets));
        }
        if args.write && fx.patched != m.doc.text {
            if fx.plan.unresolved() > 0 {
                notes.push(format!(
                    "{path}: not rewritten: the new trial serials are not known yet (give --evidence with the \
                     unit's `diagnose fortitoken info` after the import)"
                ));
            } else {
                rewrite.push((i, fx.patched.clone(), m.doc.text.as_bytes().to_vec()));
            }
        }
        patched[i] = Some(fx.patched);
    }

    // 1. The scripts, first.
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
        let ext = match args.format {
            FixFormat::Script => "fortilint-fix.txt",
            FixFormat::Plan => "fortilint-plan.md",
        };
        let mut used: BTreeMap<String, usize> = BTreeMap::new();
        for o in &outs {
            let n = used.entry(o.name.clone()).or_insert(0);
            *n += 1;
            let name = if *n == 1 {
                format!("{}.{ext}", o.name)
            } else {
                format!("{}-{}.{ext}", o.name, n)
            };
            let target = dir.join(name);
            refuse_input_path(&session, &target)?;
            write_new(&target, &o.text)
                .map_err(|e| format!("{}: cannot write: {e}", target.display()))?;
            eprintln!(
                "fortilint: wrote {} ({})",
                report::escape(&target.display().to_string()),
                report::escape(&files[o.file].path)
            );
        }
    } else if outs.len() > 1 && !args.diff {
        return Err(format!(
            "{} units have a remediation plan ({}); one script per unit: use --out-dir DIR, or fix one backup at a time",
            outs.len(),
            outs.iter()
                .map(|o| files[o.file].path.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    } else if let Some(path) = &args.script {
        match outs.first() {
            Some(o) => write_new(path, &o.text)
                .map_err(|e| format!("{}: cannot write the script: {e}", path.display()))?,
            // Never truncate an existing script with an empty plan.
            None => eprintln!(
                "fortilint: {} left as it was: nothing planned",
                path.display()
            ),
        }
    } else if !args.diff
        && let Some(o) = outs.first()
    {
        print(&o.text);
    }
    if args.diff {
        print(&diffs);
    }

    // 2. Backups, only after the scripts are safely out.
    let mut written = 0;
    for (i, text, read) in &rewrite {
        write_atomic(session.path(*i), text, Some(read))
            .map_err(|e| format!("{}: cannot write: {e}", files[*i].path))?;
        written += 1;
    }

    for n in &notes {
        eprintln!("fortilint: {}", report::escape(n));
    }
    if outs.is_empty() {
        let considered: Vec<String> = registry::RULES
            .iter()
            .map(|r| r.meta())
            .filter(|m| m.fixable != Fixable::No)
            .map(|m| match m.fixable {
                Fixable::OnRequest => format!("{} (with --token)", m.code),
                _ => m.code.to_owned(),
            })
            .collect();
        eprintln!(
            "fortilint: nothing to fix: no finding of a rule the plan acts on ({})",
            considered.join(", ")
        );
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
    let code = exit_code(any_failed, &remaining, args.rules.fail_on);
    if code == super::EXIT_FINDINGS {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for f in remaining
            .iter()
            .filter(|f| f.severity >= args.rules.fail_on.severity())
        {
            *counts.entry(f.code).or_default() += 1;
        }
        let list: Vec<String> = counts.iter().map(|(c, n)| format!("{c} ×{n}")).collect();
        eprintln!(
            "fortilint: findings remain that the plan does not fix: {} (see `fortilint check`)",
            list.join(", ")
        );
    }
    Ok(code)
}

/// `<hostname>` or the file's stem, reduced to a safe file name.
fn unit_name(m: &Model<'_>, path: &str) -> String {
    let raw = m.hostname().map(str::to_owned).unwrap_or_else(|| {
        Path::new(path)
            .file_stem()
            .map_or("stdin".to_owned(), |s| s.to_string_lossy().into_owned())
    });
    let s: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    if s.is_empty() || s.chars().all(|c| c == '_') {
        "unit".to_owned()
    } else {
        s
    }
}

/// An output path must never be one of the inputs.
fn refuse_input_path(session: &Session, out: &Path) -> Result<(), String> {
    let Ok(target) = std::fs::canonicalize(out) else {
        return Ok(()); // does not exist yet: cannot be an input
    };
    for i in 0..session.inputs.len() {
        if std::fs::canonicalize(session.path(i)).is_ok_and(|p| p == target) {
            return Err(format!(
                "{}: is also an input; refusing to overwrite a backup with a script",
                out.display()
            ));
        }
    }
    Ok(())
}

/// The unified diff of one file, with secret values masked unless `--show-secrets`.
fn diff(path: &str, m: &Model<'_>, new: &str, show_secrets: bool) -> String {
    let old = m.doc.text;
    if show_secrets || old == new {
        return report::escape_text(&patch::unified_diff(path, old, new)).into_owned();
    }
    let old_masked = redact(old, &m.secret_spans());
    let new_masked = match parse::parse(new) {
        Ok(doc) => redact(new, &Model::build(doc).secret_spans()),
        // The patch only removes whole lines and renames, so it parses; if it did not, mask
        // it as any text that did not parse.
        Err(_) => redact(new, &crate::model::secrets_in_text(new)),
    };
    report::escape_text(&patch::unified_diff(path, &old_masked, &new_masked)).into_owned()
}

/// Temporary files being written; the SIGINT/SIGTERM handler removes them (they hold a
/// whole backup, secrets included).
static IN_FLIGHT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn in_flight() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    IN_FLIGHT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Installs the handler once: remove every temporary file, then exit 130.
fn clean_up_on_signal() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            for p in in_flight().drain(..) {
                let _ = std::fs::remove_file(p);
            }
            std::process::exit(130);
        });
    });
}

/// A temporary file beside `target`, registered for removal on a signal.
fn temp_beside(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    clean_up_on_signal();
    let tmp = tempfile::Builder::new()
        .prefix(".fortilint-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    in_flight().push(tmp.path().to_path_buf());
    Ok(tmp)
}

fn done_with(tmp: &Path) {
    in_flight().retain(|p| p != tmp);
}

fn refuse(why: String) -> std::io::Error {
    std::io::Error::other(why)
}

/// Replaces `path` atomically: a temporary file in the same folder with the original's mode,
/// owner, group and extended attributes (POSIX ACLs included), synced, then a rename.
/// Symbolic links are followed (the target is rewritten). Refuses a read-only file, a file it
/// could not open for writing, a file whose bytes are no longer `expected` (changed since it
/// was read), and a file whose owner or attributes it cannot keep. The temporary file is
/// removed on every error path and on SIGINT/SIGTERM.
pub fn write_atomic(path: &Path, contents: &str, expected: Option<&[u8]>) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let meta = std::fs::metadata(&target)?;
    if meta.permissions().readonly() {
        return Err(refuse(
            "the file is read-only; refusing to replace it".to_owned(),
        ));
    }
    // Would the user be allowed to write it? (Opening without truncating changes nothing.)
    std::fs::OpenOptions::new().write(true).open(&target)?;
    if let Some(exp) = expected
        && std::fs::read(&target)? != exp
    {
        return Err(refuse(
            "the file changed since fortilint read it; run fortilint again".to_owned(),
        ));
    }
    let mut tmp = temp_beside(dir)?;
    let result = (|| {
        tmp.write_all(contents.as_bytes())?;
        tmp.as_file().sync_all()?;
        std::fs::set_permissions(tmp.path(), meta.permissions())?;
        keep_owner(tmp.path(), &meta)?;
        keep_xattrs(&target, tmp.path())?;
        Ok::<(), std::io::Error>(())
    })();
    let path_of_tmp = tmp.path().to_path_buf();
    let out = result.and_then(|()| tmp.persist(&target).map(|_| ()).map_err(|e| e.error));
    done_with(&path_of_tmp);
    out
}

#[cfg(unix)]
fn keep_owner(tmp: &Path, meta: &std::fs::Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let now = std::fs::metadata(tmp)?;
    if (now.uid(), now.gid()) == (meta.uid(), meta.gid()) {
        return Ok(());
    }
    std::os::unix::fs::chown(tmp, Some(meta.uid()), Some(meta.gid())).map_err(|e| {
        refuse(format!(
            "cannot keep the file's owner and group ({}:{}): {e}; refusing to replace it",
            meta.uid(),
            meta.gid()
        ))
    })
}

#[cfg(not(unix))]
fn keep_owner(_: &Path, _: &std::fs::Metadata) -> std::io::Result<()> {
    Ok(())
}

/// Copies every extended attribute (POSIX ACLs live in `system.posix_acl_access`), after the
/// mode, so an ACL mask is restored rather than taken from the group bits.
#[cfg(unix)]
fn keep_xattrs(from: &Path, to: &Path) -> std::io::Result<()> {
    let names = match xattr::list(from) {
        Ok(n) => n,
        // A file system without extended attributes has none to keep.
        Err(e) if e.kind() == std::io::ErrorKind::Unsupported => return Ok(()),
        Err(e) => return Err(e),
    };
    for name in names {
        let Some(value) = xattr::get(from, &name)? else {
            continue;
        };
        xattr::set(to, &name, &value).map_err(|e| {
            refuse(format!(
                "cannot keep the extended attribute {}: {e}; refusing to replace the file",
                name.to_string_lossy()
            ))
        })?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn keep_xattrs(_: &Path, _: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Writes a file (a script or runbook) atomically and syncs it.
fn write_new(path: &Path, contents: &str) -> std::io::Result<()> {
    if path.exists() {
        return write_atomic(path, contents, None);
    }
    let dir: PathBuf = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let mut tmp = temp_beside(&dir)?;
    let tmp_path = tmp.path().to_path_buf();
    let out = (|| {
        tmp.write_all(contents.as_bytes())?;
        tmp.as_file().sync_all()?;
        tmp.persist(path).map(|_| ()).map_err(|e| e.error)
    })();
    done_with(&tmp_path);
    out
}
