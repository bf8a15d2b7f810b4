//! The `human` and `concise` formats. `human` renders with codespan-reporting: the code, the
//! message, `file:line:col`, the statement underlined (primary label), related statements as
//! secondary labels, the VDOM breadcrumb and a help line. Secret values are masked in every
//! snippet unless `--show-secrets` is given.

use std::borrow::Cow;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic, Label as CsLabel, Severity as CsSeverity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::termcolor::{Buffer, WriteColor};
use codespan_reporting::term::{self, Config};

use super::{Report, ReportFile, redact};
use crate::rules::{Finding, Severity};

/// codespan's view of the run's files, with our line index (LF, CRLF and lone CR) and the
/// secret values masked.
struct RunFiles<'r> {
    names: Vec<&'r str>,
    texts: Vec<Cow<'r, str>>,
    files: &'r [ReportFile<'r>],
}

impl<'r> RunFiles<'r> {
    fn new(report: &'r Report<'r>, needed: &[bool]) -> RunFiles<'r> {
        let texts = report
            .files
            .iter()
            .zip(needed)
            .map(|(f, &need)| match f.text.as_deref() {
                Some(t) if need && !report.show_secrets && !f.secrets.is_empty() => {
                    Cow::Owned(redact(t, &f.secrets))
                }
                Some(t) if need => Cow::Borrowed(t),
                _ => Cow::Borrowed(""),
            })
            .collect();
        RunFiles {
            names: report.files.iter().map(|f| f.path.as_str()).collect(),
            texts,
            files: &report.files,
        }
    }
}

impl<'r> Files<'r> for RunFiles<'r> {
    type FileId = usize;
    type Name = &'r str;
    type Source = &'r str;

    fn name(&'r self, id: usize) -> Result<&'r str, FilesError> {
        self.names.get(id).copied().ok_or(FilesError::FileMissing)
    }

    fn source(&'r self, id: usize) -> Result<&'r str, FilesError> {
        self.texts
            .get(id)
            .map(|t| t.as_ref())
            .ok_or(FilesError::FileMissing)
    }

    fn line_index(&'r self, id: usize, byte_index: usize) -> Result<usize, FilesError> {
        let f = self.files.get(id).ok_or(FilesError::FileMissing)?;
        Ok(f.lines()
            .line_col(f.text.as_deref().unwrap_or(""), byte_index)
            .0
            - 1)
    }

    fn line_range(&'r self, id: usize, line_index: usize) -> Result<Range<usize>, FilesError> {
        let f = self.files.get(id).ok_or(FilesError::FileMissing)?;
        let text = self.texts[id].as_ref();
        let start = f.lines().line_start(line_index + 1);
        let next = f.lines().line_start(line_index + 2);
        let end = if next > start { next } else { text.len() };
        if start > text.len() {
            return Err(FilesError::LineTooLarge {
                given: line_index,
                max: f.lines().line_col(text, text.len()).0,
            });
        }
        Ok(start..end.min(text.len()))
    }
}

fn cs_severity(s: Severity) -> CsSeverity {
    match s {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    }
}

/// The codespan diagnostic for a finding.
pub fn finding_diagnostic(f: &Finding) -> Diagnostic<usize> {
    let mut labels = vec![
        CsLabel::primary(f.primary.file, f.primary.span.range()).with_message(&f.primary.message),
    ];
    labels.extend(
        f.related
            .iter()
            .map(|l| CsLabel::secondary(l.file, l.span.range()).with_message(&l.message)),
    );
    let mut notes = Vec::new();
    if let Some(v) = &f.vdom {
        notes.push(format!("in: vdom {v} > {}", f.object));
    } else {
        notes.push(format!("in: {}", f.object));
    }
    notes.push(format!("help: {}", f.help));
    Diagnostic::new(cs_severity(f.severity))
        .with_code(f.code)
        .with_message(&f.message)
        .with_labels(labels)
        .with_notes(notes)
}

/// Renders the whole report in the `human` format into a colour (or plain) buffer.
pub fn render(report: &Report<'_>, out: &mut dyn WriteColor) -> std::io::Result<()> {
    let mut needed = vec![false; report.files.len()];
    for f in &report.findings {
        needed[f.primary.file] = true;
        for l in &f.related {
            needed[l.file] = true;
        }
    }
    for (i, f) in report.files.iter().enumerate() {
        if f.error.as_ref().is_some_and(|e| e.span.is_some()) || !f.warnings.is_empty() {
            needed[i] = true;
        }
    }
    let files = RunFiles::new(report, &needed);
    let config = Config::default();
    let emit = |out: &mut dyn WriteColor, d: &Diagnostic<usize>| -> std::io::Result<()> {
        term::emit_to_write_style(out, &config, &files, d).map_err(std::io::Error::other)
    };
    for (i, f) in report.files.iter().enumerate() {
        if let Some(e) = &f.error {
            let mut d = Diagnostic::error()
                .with_code(e.status)
                .with_notes(vec![format!("help: {}", e.hint)]);
            match (e.span, f.text.as_deref()) {
                (Some(span), Some(t)) if short_line(t, span.start as usize) => {
                    d = d.with_message(&e.message).with_labels(vec![
                        CsLabel::primary(i, span.range()).with_message(&e.label),
                    ]);
                }
                _ => {
                    let at = match e.line_col {
                        Some((l, c)) => format!("{}:{l}:{c}", f.path),
                        None => f.path.clone(),
                    };
                    d = d.with_message(format!("{at}: {}", e.message));
                }
            }
            emit(out, &d)?;
        }
        for w in &f.warnings {
            let d = Diagnostic::warning()
                .with_code("parse")
                .with_message(&w.message)
                .with_labels(vec![CsLabel::primary(i, w.span.range())]);
            emit(out, &d)?;
        }
    }
    for f in &report.findings {
        emit(out, &finding_diagnostic(f))?;
    }
    Ok(())
}

/// Longest line shown as a snippet; a longer one (a 10 MB image line) is named by its place.
const MAX_SNIPPET_LINE: usize = 2000;

/// Whether the line holding `offset` is short enough to print.
fn short_line(text: &str, offset: usize) -> bool {
    let b = text.as_bytes();
    let offset = offset.min(b.len());
    let start = memchr::memrchr2(b'\n', b'\r', &b[..offset]).map_or(0, |i| i + 1);
    let end = memchr::memchr2(b'\n', b'\r', &b[offset..]).map_or(b.len(), |i| offset + i);
    end - start <= MAX_SNIPPET_LINE
}

/// The closing line of a human report.
pub fn summary_line(report: &Report<'_>) -> String {
    let s = report.summary();
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let mut parts = vec![plural(s.errors, "error"), plural(s.warnings, "warning")];
    if s.infos > 0 {
        parts.push(format!("{} info", s.infos));
    }
    let mut line = format!("{} in {}", parts.join(", "), plural(s.files, "file"));
    if s.parse_errors > 0 {
        line.push_str(&format!(" ({} could not be read)", s.parse_errors));
    }
    line
}

/// `path:line:col: CODE message`, one line per finding or file error.
pub fn render_concise(report: &Report<'_>) -> String {
    let mut out = String::new();
    for f in &report.files {
        if let Some(e) = &f.error {
            let (l, c) = e.line_col.unwrap_or((1, 1));
            out.push_str(&format!("{}:{l}:{c}: {} {}\n", f.path, e.status, e.message));
        }
    }
    for f in &report.findings {
        let file = &report.files[f.primary.file];
        let (l, c) = file.line_col(f.primary.span.start);
        out.push_str(&format!(
            "{}:{l}:{c}: {} {}\n",
            file.path, f.code, f.message
        ));
    }
    out
}

/// Renders to a plain string (tests and snapshots).
pub fn render_to_string(report: &Report<'_>) -> String {
    let mut buf = Buffer::no_color();
    // Writing into memory cannot fail.
    let _ = render(report, &mut buf);
    String::from_utf8_lossy(buf.as_slice()).into_owned()
}
