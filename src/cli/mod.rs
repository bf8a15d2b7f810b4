//! The command-line front end: argument parsing, running the pipeline over the inputs, and
//! exit codes (0 clean, 1 findings, 2 usage or input errors). Per-file errors never stop a run.

pub mod args;
pub mod check;
pub mod explain_log;
pub mod fix;
pub mod inputs;
pub mod lint;
pub mod progress;
pub mod rules;
pub mod settings;
pub mod tokens;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::model::Model;
use crate::parse;
use crate::report::{FileError, ReportFile, UnitFacts};
use crate::source::{LineIndex, SourceFile, display_path};
use args::{Args, ColorChoice, Command};
use inputs::Input;

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let args = Args::parse();
    if args.command.input().is_some_and(|i| i.no_progress) {
        progress::disable();
    }
    if let Some(i) = args.command.input() {
        inputs::set_options(inputs::Options {
            stdin_filename: i.stdin_filename.clone(),
            force_exclude: i.force_exclude,
        });
    }
    if let Some(paths) = args.command.input().map(|i| &i.evidence)
        && !paths.is_empty()
    {
        match load_evidence(paths) {
            Ok(ev) => {
                let _ = EVIDENCE.set(ev);
            }
            Err(e) => {
                eprintln!("fortilint: error: {}", crate::report::escape(&e));
                return ExitCode::from(EXIT_ERROR);
            }
        }
    }
    let code = match args.command {
        Command::Check(a) => check::run(&a),
        Command::Fix(a) => fix::run(&a),
        Command::Tokens(a) => tokens::run(&a),
        Command::Rules(a) => rules::list(&a),
        Command::Explain(a) => rules::explain(&a),
        Command::ExplainLog(a) => explain_log::run(&a),
        Command::Completions(a) => settings::completions(a.shell),
        Command::Man => settings::man(),
    };
    ExitCode::from(code)
}

/// Evidence from `--evidence` files, read once before any backup.
static EVIDENCE: std::sync::OnceLock<crate::model::Evidence> = std::sync::OnceLock::new();

/// Reads `--evidence` files (session captures or debug logs).
pub fn load_evidence(paths: &[std::path::PathBuf]) -> Result<crate::model::Evidence, String> {
    let mut ev = crate::model::Evidence::default();
    for p in paths {
        let src =
            SourceFile::load(p).map_err(|e| format!("--evidence {}: {}", display_path(p), e))?;
        ev.merge(crate::model::Evidence::from_text(
            &src.display_path(),
            &src.text,
        ));
    }
    Ok(ev)
}

/// Exit code: input or parse failure.
pub const EXIT_ERROR: u8 = 2;
/// Exit code: findings at or above the threshold.
pub const EXIT_FINDINGS: u8 = 1;

/// One input after loading: its source (if it could be read) and its display path.
pub struct Loaded {
    pub display: String,
    pub source: Result<SourceFile, FileError>,
}

/// Reads every input. Unreadable, binary, encrypted and YAML files become errors here; walked
/// files that do not sniff as configurations are skipped (`None`, see [`load_one`]).
pub fn load_all(inputs: &[Input]) -> Vec<Option<Loaded>> {
    use rayon::prelude::*;
    inputs.par_iter().map(load_one).collect()
}

/// Reads one input: `None` for a file a directory walk found ([`Input::Found`]) whose head
/// does not sniff as a FortiOS configuration (nothing past the head is read).
pub fn load_one(input: &Input) -> Option<Loaded> {
    let source = match input {
        Input::File(path) => SourceFile::load(path),
        Input::Found(path) => SourceFile::load_if(path, &inputs::sniff).transpose()?,
        Input::Unreadable(path, why) => {
            return Some(Loaded {
                display: display_path(path),
                source: Err(FileError {
                    status: "unreadable",
                    message: format!("cannot read: {why}"),
                    hint: if why.starts_with("no such file") {
                        "check the spelling of the path".to_owned()
                    } else {
                        "check the permissions of the file or folder".to_owned()
                    },
                    span: None,
                    label: String::new(),
                    line_col: None,
                }),
            });
        }
    };
    Some(Loaded {
        display: display_path(&inputs::effective_path(input.path())),
        source: source.map_err(|e| FileError {
            status: e.status(),
            message: e.message(),
            hint: e.hint().to_owned(),
            span: None,
            label: String::new(),
            line_col: e.line_col,
        }),
    })
}

/// Parses and models every loaded file, on all cores, with the two-level parse
/// ([`parse::Mode::ModelBlocks`]: the model reads only the blocks it needs). Returns the
/// report entries and, for each file that parsed, its model (same indexes as the input).
pub fn analyse(loaded: &[Loaded]) -> (Vec<ReportFile<'_>>, Vec<Option<Model<'_>>>) {
    analyse_with(loaded, parse::Mode::ModelBlocks)
}

/// [`analyse`] with an explicit parse mode (`fix` needs [`parse::Mode::Full`]).
pub fn analyse_with(
    loaded: &[Loaded],
    mode: parse::Mode,
) -> (Vec<ReportFile<'_>>, Vec<Option<Model<'_>>>) {
    use rayon::prelude::*;
    let bar = progress::bar(loaded);
    let results: Vec<(ReportFile<'_>, Option<Model<'_>>)> = loaded
        .par_iter()
        .map(|l| {
            let r = analyse_one_with(l, mode);
            if let Some(b) = &bar {
                b.inc(1);
            }
            r
        })
        .collect();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    results.into_iter().unzip()
}

/// Parses and models one file with the two-level parse (see [`analyse`]).
pub fn analyse_one(l: &Loaded) -> (ReportFile<'_>, Option<Model<'_>>) {
    analyse_one_with(l, parse::Mode::ModelBlocks)
}

/// [`analyse_one`] with an explicit parse mode.
pub fn analyse_one_with(l: &Loaded, mode: parse::Mode) -> (ReportFile<'_>, Option<Model<'_>>) {
    let src = match &l.source {
        Ok(src) => src,
        Err(e) => {
            let mut f = ReportFile::new(l.display.clone(), None);
            f.error = Some(e.clone());
            return (f, None);
        }
    };
    let mut file = ReportFile::new(
        l.display.clone(),
        Some(std::borrow::Cow::Borrowed(src.text.as_str())),
    );
    match parse::parse_with(&src.text, mode) {
        Err(e) => {
            let lines = LineIndex::new(&src.text);
            // No tree to find the secrets in: mask them line by line for the snippet.
            file.secrets = crate::model::secrets_in_text(&src.text);
            file.error = Some(FileError {
                status: "parse-error",
                line_col: Some(lines.line_col(&src.text, e.span.start as usize)),
                message: e.message,
                hint: e.hint,
                span: Some(e.span),
                label: e.label,
            });
            (file, None)
        }
        Ok(doc) => {
            let mut model = Model::build(doc);
            if let Some(ev) = EVIDENCE.get() {
                model.evidence.merge(ev.clone());
            }
            file.facts = Some(UnitFacts {
                model: model.header.model.clone(),
                firmware: model.header.firmware.clone(),
                build: model.header.build,
                vdom_mode: model.is_multi_vdom(),
            });
            file.warnings = model.warnings.clone();
            file.warnings.extend(lint::marker_warnings(&model));
            (file, Some(model))
        }
    }
}

/// Whether to colour output on stdout.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// Writes to stdout; a closed pipe (`fortilint … | head`) is not an error.
pub fn print(s: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(s.as_bytes()).and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("fortilint: cannot write output: {e}");
    }
}

/// Writes the output to `file` (`--output-file`), or to stdout when there is none.
pub fn emit(s: &str, file: Option<&std::path::Path>) -> Result<(), String> {
    match file {
        None => {
            print(s);
            Ok(())
        }
        Some(p) => std::fs::write(p, s).map_err(|e| format!("cannot write {}: {e}", p.display())),
    }
}

/// The current time in Unix seconds.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
