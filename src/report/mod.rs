//! Stage 6 of the pipeline: **report**. Renders what the earlier stages produced: per-file
//! outcomes (parse errors, leniency warnings, unit facts) and rule findings, in the formats
//! of product.md §4. It never looks at the syntax tree: it gets spans, texts and the secret
//! spans to mask.

pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use std::borrow::Cow;
use std::cell::OnceCell;

use serde::Serialize;

use crate::parse::Warning;
use crate::rules::{Finding, Severity};
use crate::source::{LineIndex, Positions, Span};

/// Facts about a unit for the JSON `files[]` entry.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct UnitFacts {
    pub model: Option<String>,
    pub firmware: Option<String>,
    pub build: Option<u32>,
    pub vdom_mode: bool,
}

/// Why a file could not be linted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    /// `parse-error`, `unsupported` or `unreadable`.
    pub status: &'static str,
    pub message: String,
    pub hint: String,
    /// What to underline, when the text is available.
    pub span: Option<Span>,
    pub label: String,
    /// 1-based line and column, when the problem has a place.
    pub line_col: Option<(usize, usize)>,
}

/// One input file as the reports see it.
#[derive(Debug)]
pub struct ReportFile<'a> {
    /// Path as shown to the user.
    pub path: String,
    /// The text, if it was valid UTF-8 and is needed (snippets, or positions not known yet).
    pub text: Option<Cow<'a, str>>,
    /// Line and column of offsets worked out while the text was at hand (directory runs drop
    /// the text of files that need no snippet).
    pub positions: Positions,
    /// Spans of secret values in `text`, masked in every snippet.
    pub secrets: Vec<Span>,
    pub facts: Option<UnitFacts>,
    pub error: Option<FileError>,
    pub warnings: Vec<Warning>,
    /// The path relative to the repository root, when known: fingerprints use it.
    pub key: Option<String>,
    /// Read only as context for cross-file rules (`--repo-context`), not linted: shown where
    /// a finding points into it, not counted in the summary.
    pub context: bool,
    lines: OnceCell<LineIndex>,
}

impl<'a> ReportFile<'a> {
    pub fn new(path: String, text: Option<Cow<'a, str>>) -> ReportFile<'a> {
        ReportFile {
            path,
            text,
            positions: Positions::default(),
            secrets: Vec::new(),
            facts: None,
            error: None,
            warnings: Vec::new(),
            key: None,
            context: false,
            lines: OnceCell::new(),
        }
    }

    /// The line index, computed on first use (only files with something to report pay).
    pub fn lines(&self) -> &LineIndex {
        self.lines
            .get_or_init(|| LineIndex::new(self.text.as_deref().unwrap_or("")))
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        if let Some(p) = self.positions.get(offset) {
            return p;
        }
        self.lines()
            .line_col(self.text.as_deref().unwrap_or(""), offset as usize)
    }

    /// Works out the positions of `offsets` now, in one pass over the text, so that the text
    /// can be dropped.
    pub fn remember_positions(&mut self, offsets: impl IntoIterator<Item = u32>) {
        let Some(text) = self.text.as_deref() else {
            return;
        };
        let p = Positions::compute(text, offsets.into_iter().collect());
        self.positions.merge(p);
    }

    /// The same entry owning what it keeps: the text only if `keep_text` (the line index goes;
    /// remembered positions stay).
    pub fn into_owned(self, keep_text: bool) -> ReportFile<'static> {
        ReportFile {
            path: self.path,
            text: self
                .text
                .filter(|_| keep_text)
                .map(|t| Cow::Owned(t.into_owned())),
            positions: self.positions,
            secrets: self.secrets,
            facts: self.facts,
            error: self.error,
            warnings: self.warnings,
            key: self.key,
            context: self.context,
            lines: OnceCell::new(),
        }
    }

    /// Gives back the text of an entry that was dropped earlier (secrets with it).
    pub fn restore_text(&mut self, text: String, secrets: Vec<Span>) {
        self.text = Some(Cow::Owned(text));
        self.secrets = secrets;
        self.lines = OnceCell::new();
    }

    /// The path fingerprints are computed from: repository-relative when known.
    pub fn key_path(&self) -> &str {
        self.key.as_deref().unwrap_or(&self.path)
    }

    /// The JSON status of the file.
    pub fn status(&self) -> &'static str {
        self.error.as_ref().map_or("ok", |e| e.status)
    }
}

/// Everything one run reports.
#[derive(Debug, Default)]
pub struct Report<'a> {
    pub files: Vec<ReportFile<'a>>,
    /// Sorted by file, then position.
    pub findings: Vec<Finding>,
    /// Print secret values as they are (`--show-secrets`).
    pub show_secrets: bool,
}

/// Counts for the JSON summary and the closing line.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub parse_errors: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Report<'_> {
    pub fn summary(&self) -> Summary {
        let count = |s| self.findings.iter().filter(|f| f.severity == s).count();
        Summary {
            files: self.files.iter().filter(|f| !f.context).count(),
            parse_errors: self.files.iter().filter(|f| f.error.is_some()).count(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
        }
    }

    /// Sorts findings by path, then line, then code (stable whatever the scheduling).
    pub fn sort(&mut self) {
        let files = &self.files;
        self.findings.sort_by(|a, b| {
            (
                files[a.primary.file].path.as_str(),
                a.primary.span.start,
                a.code,
            )
                .cmp(&(
                    files[b.primary.file].path.as_str(),
                    b.primary.span.start,
                    b.code,
                ))
        });
    }
}

/// Secret spans sorted and merged where they overlap or touch, so that masking one never
/// leaves part of another shown.
pub fn merge_spans(spans: &[Span]) -> Vec<Span> {
    let mut v = spans.to_vec();
    v.sort();
    let mut out: Vec<Span> = Vec::with_capacity(v.len());
    for s in v {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// Masks secret values: every character but line breaks becomes `*`, byte length kept so that
/// spans stay valid.
pub fn redact(text: &str, secrets: &[Span]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for s in merge_spans(secrets) {
        let (start, end) = (s.start as usize, (s.end as usize).min(text.len()));
        if start < at || start >= end {
            continue;
        }
        out.push_str(&text[at..start]);
        for c in text[start..end].chars() {
            if c == '\n' || c == '\r' {
                out.push(c);
            } else {
                out.extend(std::iter::repeat_n('*', c.len_utf8()));
            }
        }
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

pub use crate::model::secrets::is_unsafe_char;

/// The escape written for an unsafe character: `\t`, `\n`, `\r`, else `\u{1b}`.
pub fn escape_char(c: char) -> String {
    match c {
        '\t' => "\\t".to_owned(),
        '\n' => "\\n".to_owned(),
        '\r' => "\\r".to_owned(),
        c => format!("\\u{{{:x}}}", c as u32),
    }
}

/// Text from the input (names, serials, paths, messages quoting them) made safe to print:
/// every [`is_unsafe_char`] becomes a visible escape. The one escaping function of every text
/// output (human, concise, GitHub, GitLab, JUnit, the `tokens` table, CSV and HTML, error
/// messages).
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.contains(is_unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe_char(c) {
            out.push_str(&escape_char(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`escape`] for a text of several lines taken from the input (a diff): line feeds and CRLF
/// line ends stay, every other unsafe character is escaped.
pub fn escape_text(s: &str) -> Cow<'_, str> {
    if !s.contains(|c: char| c != '\n' && c != '\r' && is_unsafe_char(c)) && !s.contains('\r') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' || (c == '\r' && chars.peek() == Some(&'\n')) {
            out.push(c);
        } else if is_unsafe_char(c) {
            out.push_str(&escape_char(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`escape`] for a text of several lines of our own (wrapped messages): line feeds stay.
pub fn escape_lines(s: &str) -> String {
    s.split('\n').map(escape).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_makes_every_control_visible() {
        assert_eq!(escape("plain ü name"), "plain ü name");
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
        assert_eq!(escape("x\u{1b}[2Jy"), "x\\u{1b}[2Jy");
        assert_eq!(escape("a\rb\nc\td"), "a\\rb\\nc\\td");
        for c in [
            '\u{0}', '\u{7}', '\u{8}', '\u{7f}', '\u{85}', '\u{9b}', '\u{2028}', '\u{2029}',
            '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}', '\u{200f}',
        ] {
            let e = escape(&format!("a{c}b")).into_owned();
            assert!(!e.contains(c) && e.starts_with("a\\u{"), "{c:?} -> {e:?}");
        }
        assert_eq!(escape_lines("one\ntwo\u{1b}"), "one\ntwo\\u{1b}");
        assert_eq!(escape_text("a\r\nb\rc\u{7}\n"), "a\r\nb\\rc\\u{7}\n");
    }

    #[test]
    fn redact_merges_overlapping_secrets() {
        let t = "set x ABCDEFGH\n";
        // The second span starts inside the first and ends after it.
        assert_eq!(
            redact(t, &[Span::new(6, 9), Span::new(8, 14)]),
            "set x ********\n"
        );
    }

    #[test]
    fn redact_keeps_length_and_line_breaks() {
        let t = "set seed ENC abcé\nset x \"-----BEGIN\nKEY\n-----END\"\n";
        let r = redact(t, &[Span::new(26, 49), Span::new(13, 18)]);
        assert_eq!(r.len(), t.len());
        assert_eq!(
            r,
            "set seed ENC *****\nset x \"**********\n***\n********\"\n"
        );
    }
}
