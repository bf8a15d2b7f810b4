//! `fortilint check`: lint backups and report findings.

use std::collections::BTreeSet;
use std::path::Path;

use codespan_reporting::term::termcolor::{Buffer, WriteColor};
use serde::{Deserialize, Serialize};

use super::args::{CheckArgs, CheckFormat};
use super::inputs::Input;
use super::lint::{Session, exit_code, renumber, selected};
use super::{EXIT_ERROR, Loaded, analyse_one, emit, load_one, now, progress, use_color};
use crate::model::Model;
use crate::parse;
use crate::report::{self, Report, ReportFile};
use crate::rules::{FileFacts, Finding};

pub fn run(args: &CheckArgs) -> u8 {
    match run_inner(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("fortilint: error: {}", crate::report::escape(&e));
            EXIT_ERROR
        }
    }
}

fn run_inner(args: &CheckArgs) -> Result<u8, String> {
    use rayon::prelude::*;
    let mut session = Session::discover(&args.input.paths, &args.rules)?;
    let mut linted = session.inputs.len();
    if !args.repo_context.is_empty() {
        add_context(&mut session, args)?;
    }
    if args.show_settings {
        // Nothing is loaded: the walked files are sniffed here, to show the ones a run reads.
        let keep: Vec<bool> = session
            .inputs
            .par_iter()
            .map(|i| !matches!(i, Input::Found(p) if !super::inputs::looks_like_config(p)))
            .collect();
        session.retain_inputs(&keep);
        emit(
            &super::settings::show(args, &session),
            args.output_file.as_deref(),
        )?;
        return Ok(0);
    }
    let baseline = match &args.baseline {
        Some(p) => Some(Baseline::load(p)?),
        None => None,
    };
    let now = args.input.now.unwrap_or_else(now);
    let human = args.format == CheckFormat::Human;
    let bar = progress::bar_for_inputs(&session.inputs);
    let checked: Vec<Option<Checked>> = (0..session.inputs.len())
        .into_par_iter()
        .map(|i| {
            let c = check_one(&session, i, args, now, human && i < linted, i >= linted);
            if let Some(b) = &bar {
                // A skipped file was never one to lint.
                if c.is_some() {
                    b.inc(1);
                } else {
                    b.dec_length(1);
                }
            }
            c
        })
        .collect();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    // Walked files that are not configurations leave the run; the others are renumbered.
    let keep: Vec<bool> = checked.iter().map(Option::is_some).collect();
    let map = session.retain_inputs(&keep);
    linted = map[..linted].iter().flatten().count();
    let mut files = Vec::with_capacity(session.inputs.len());
    let mut findings = Vec::new();
    let mut facts = Vec::new();
    for c in checked.into_iter().flatten() {
        files.push(c.file);
        findings.extend(c.findings);
        facts.extend(c.facts);
    }
    if files.len() < map.len() {
        renumber(&map, &mut findings, &mut facts);
    }
    let run = session.run_findings(&facts, &findings, now);
    findings.extend(run);
    findings.retain(|f| selected(f, &args.rules));
    // Context files are only there for FTK012: report what is about the files linted.
    findings.retain(|f| f.primary.file < linted);
    let keys: Vec<String> = {
        use rayon::prelude::*;
        (0..files.len())
            .into_par_iter()
            .map(|i| session.key_path(i))
            .collect()
    };
    if let Some(path) = &args.write_baseline {
        Baseline::from_findings(&findings, &keys).save(path)?;
        let failed = files.iter().filter(|f| f.error.is_some()).count();
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        eprintln!(
            "fortilint: wrote {} from {} to {}{}",
            plural(findings.len(), "finding"),
            plural(files.len().min(linted), "file"),
            path.display(),
            if failed > 0 {
                format!(" ({failed} could not be read: not in the baseline)")
            } else {
                String::new()
            }
        );
        return Ok(if failed > 0 { EXIT_ERROR } else { 0 });
    }
    if let Some(b) = &baseline {
        findings.retain(|f| !b.contains(&key(f, &keys[f.primary.file])));
    }
    for (f, k) in files.iter_mut().zip(&keys) {
        f.key = Some(k.clone());
    }
    if human {
        restore_texts(&session, &mut files, &findings);
    }
    if files.len() > linted {
        files = drop_context(files, linted, &mut findings);
    }
    let mut report = Report {
        files,
        findings,
        show_secrets: args.rules.show_secrets,
    };
    report.sort();
    let out = match args.format {
        CheckFormat::Human | CheckFormat::Concise if args.statistics => {
            report::human::render_statistics(&report)
        }
        CheckFormat::Human => {
            let color = match args.output_file {
                Some(_) => args.input.color == super::args::ColorChoice::Always,
                None => use_color(args.input.color),
            };
            let mut buf = if color {
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
        CheckFormat::Gitlab => report::gitlab::render(&report),
        CheckFormat::Junit => report::junit::render(
            &report,
            match args.rules.fail_on {
                super::args::FailOn::Error => crate::rules::Severity::Error,
                super::args::FailOn::Warning => crate::rules::Severity::Warning,
                super::args::FailOn::Info => crate::rules::Severity::Info,
            },
        ),
    };
    emit(&out, args.output_file.as_deref())?;
    let code = exit_code(
        report.files.iter().any(|f| f.error.is_some()),
        &report.findings,
        args.rules.fail_on,
    );
    Ok(if args.exit_zero && code == super::EXIT_FINDINGS {
        0
    } else {
        code
    })
}

/// One file, checked.
struct Checked {
    file: ReportFile<'static>,
    findings: Vec<Finding>,
    facts: Option<FileFacts>,
}

/// Everything that needs a file's text and tree happens here, so that a directory run holds at
/// most one tree per thread: the file rules run, the positions every later report may need are
/// worked out, and the text is kept only when a human report will show a snippet of it.
/// `None`: a walked file that is not a configuration (see [`load_one`]).
fn check_one(
    session: &Session,
    i: usize,
    args: &CheckArgs,
    now: u64,
    human: bool,
    context: bool,
) -> Option<Checked> {
    let loaded = load_one(&session.inputs[i])?;
    let (mut file, model) = analyse_one(&loaded);
    let mut findings = Vec::new();
    let mut facts = None;
    let stdin = session.path(i).as_os_str() == "-";
    // Token facts compare files (FTK012); one file has nothing to compare with.
    let cross_file = session.inputs.len() > 1;
    let keep = match &model {
        Some(m) if context => {
            let f = FileFacts::from_model_with(i, m, cross_file);
            let offsets: Vec<u32> = f
                .tokens
                .iter()
                .flat_map(|t| {
                    let lic = t.licence.as_ref().map(|(_, s)| [s.start, s.end]);
                    [t.entry.start, t.entry.end]
                        .into_iter()
                        .chain(lic.into_iter().flatten())
                })
                .collect();
            file.remember_positions(offsets);
            facts = Some(f);
            false
        }
        Some(m) => {
            findings = session.file_findings(i, m, &args.rules, now);
            let f = FileFacts::from_model_with(i, m, cross_file);
            let keep = human && (stdin || !findings.is_empty() || !file.warnings.is_empty());
            if keep {
                file.secrets = m.secret_spans();
            }
            let mut offsets: Vec<u32> = Vec::new();
            for fi in &findings {
                for l in std::iter::once(&fi.primary).chain(&fi.related) {
                    offsets.extend([l.span.start, l.span.end]);
                }
            }
            offsets.extend(file.warnings.iter().map(|w| w.span.start));
            for t in &f.tokens {
                offsets.extend([t.entry.start, t.entry.end]);
                if let Some((_, s)) = &t.licence {
                    offsets.extend([s.start, s.end]);
                }
            }
            if let Some(fm) = &f.fortimanager {
                offsets.extend([fm.span.start, fm.span.end]);
            }
            if !offsets.is_empty() {
                file.remember_positions(offsets);
            }
            facts = Some(f);
            keep
        }
        // A parse error shows a snippet in the human report.
        None => human && file.error.as_ref().is_some_and(|e| e.span.is_some()),
    };
    drop(model);
    Some(Checked {
        file: file.into_owned(keep),
        findings,
        facts,
    })
}

/// `--repo-context`: appends the backups under the given folders that are not inputs already,
/// with their configs.
fn add_context(session: &mut Session, args: &CheckArgs) -> Result<(), String> {
    let canon = |p: &Path| std::fs::canonicalize(p).ok();
    let known: BTreeSet<_> = (0..session.inputs.len())
        .filter_map(|i| canon(session.path(i)))
        .collect();
    let extra: Vec<Input> = super::inputs::discover_with(
        &args.repo_context,
        &super::inputs::Options::default(),
        &mut |_| (),
    )
    .inputs
    .into_iter()
    .filter(|i| match i {
        Input::File(p) | Input::Found(p) => canon(p).is_none_or(|c| !known.contains(&c)),
        Input::Unreadable(..) => false,
    })
    .collect();
    let configs = if args.rules.isolated {
        vec![crate::config::Config::default(); extra.len()]
    } else {
        super::lint::configs_for(&extra, args.rules.config.as_deref())?
    };
    session.inputs.extend(extra);
    session.configs.extend(configs);
    Ok(())
}

/// Removes the context files from the report, except those a finding points into (their
/// snippets are shown as related places), and renumbers the findings' files.
fn drop_context(
    files: Vec<ReportFile<'static>>,
    linted: usize,
    findings: &mut [Finding],
) -> Vec<ReportFile<'static>> {
    let mut used = vec![false; files.len()];
    for f in findings.iter() {
        for l in std::iter::once(&f.primary).chain(&f.related) {
            used[l.file] = true;
        }
    }
    let mut map = vec![None; files.len()];
    let mut out = Vec::new();
    for (i, mut f) in files.into_iter().enumerate() {
        if i < linted || used[i] {
            f.context = i >= linted;
            map[i] = Some(out.len());
            out.push(f);
        }
    }
    renumber(&map, findings, &mut []);
    out
}

/// Reads again the files that a run rule (FTK012, FTK011) points into but whose text was
/// dropped, so the human report can show the snippet.
fn restore_texts(session: &Session, files: &mut [ReportFile<'static>], findings: &[Finding]) {
    let mut wanted = BTreeSet::new();
    for f in findings {
        for l in std::iter::once(&f.primary).chain(&f.related) {
            wanted.insert(l.file);
        }
    }
    for i in wanted {
        if files[i].text.is_some() || files[i].error.is_some() {
            continue;
        }
        if let Some(Loaded {
            source: Ok(src), ..
        }) = load_one(&session.inputs[i])
        {
            let secrets = parse::parse(&src.text)
                .map(|d| Model::build(d).secret_spans())
                .unwrap_or_default();
            files[i].restore_text(src.text, secrets);
        }
    }
}

/// The baseline format this fortilint reads and writes (2: paths relative to the repository
/// root; 1 had paths as typed).
const BASELINE_VERSION: u32 = 2;

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
    fn from_findings(findings: &[Finding], keys: &[String]) -> Baseline {
        Baseline {
            version: BASELINE_VERSION,
            findings: findings
                .iter()
                .map(|f| key(f, &keys[f.primary.file]))
                .collect(),
        }
    }

    fn load(path: &Path) -> Result<Baseline, String> {
        let shown = path.display();
        let text = std::fs::read_to_string(path).map_err(|e| format!("baseline {shown}: {e}"))?;
        #[derive(Deserialize)]
        struct Version {
            version: Option<serde_json::Value>,
        }
        let v: Version =
            serde_json::from_str(&text).map_err(|e| format!("baseline {shown}: {e}"))?;
        match v.version.as_ref().and_then(serde_json::Value::as_u64) {
            Some(n) if n == u64::from(BASELINE_VERSION) => {}
            other => {
                let found = other.map_or("no version".to_owned(), |n| format!("version {n}"));
                return Err(format!(
                    "baseline {shown}: {found}, but this fortilint reads version \
                     {BASELINE_VERSION}; write it again with --write-baseline"
                ));
            }
        }
        serde_json::from_str(&text).map_err(|e| format!("baseline {shown}: {e}"))
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
