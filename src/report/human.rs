//! The `human` and `concise` formats. `human` renders with codespan-reporting: the code, the
//! message, `file:line:col`, the statement underlined (primary label), related statements as
//! secondary labels, the VDOM breadcrumb and a help line. Secret values are masked in every
//! snippet unless `--show-secrets` is given.

use std::collections::HashMap;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic, Label as CsLabel, Severity as CsSeverity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::termcolor::{Buffer, WriteColor};
use codespan_reporting::term::{self, Config};

use super::{Report, ReportFile, escape};
use crate::rules::{Finding, Severity};
use crate::source::LineIndex;

/// Width of a masked secret in snippets, whatever its length.
const MASK: &str = "********";
/// Values longer than this (reg-ids, certificates on one line) are shortened in snippets.
const LONG_VALUE: usize = 48;

/// One replacement in the text shown: bytes `start..end` of the original become `with`.
#[derive(Clone, Debug)]
struct Edit {
    start: usize,
    end: usize,
    with: String,
}

/// The text as shown in snippets (secrets masked at a fixed width, long values elided) and
/// the map from original offsets to offsets in it. Line breaks are never edited, so line
/// numbers stay those of the file.
#[derive(Debug, Default)]
struct Shown {
    text: String,
    edits: Vec<Edit>,
}

impl Shown {
    fn new(text: &str, secrets: &[crate::source::Span], mask: bool) -> Shown {
        let mut edits: Vec<Edit> = Vec::new();
        if mask {
            for sp in super::merge_spans(secrets) {
                let (start, end) = (sp.start as usize, sp.end.min(text.len() as u32) as usize);
                if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                    continue;
                }
                // Each line of a (multi-line) secret becomes one fixed-width mask.
                let mut at = start;
                for part in text[start..end].split_inclusive(['\n', '\r']) {
                    let body = part.trim_end_matches(['\n', '\r']);
                    if !body.is_empty() {
                        edits.push(Edit {
                            start: at,
                            end: at + body.len(),
                            with: MASK.to_owned(),
                        });
                    }
                    at += part.len();
                }
            }
        }
        // Control characters, separators and bidi overrides outside the masks: escaped. Line
        // breaks stay (line numbers are those of the file; codespan drops them at line ends).
        // The mask edits are sorted and disjoint: find the one that could hold `i` by bisection.
        let masked = |i: usize, edits: &[Edit]| {
            let k = edits.partition_point(|e| e.start <= i);
            k > 0 && i < edits[k - 1].end
        };
        let mut controls = Vec::new();
        for (i, c) in text.char_indices() {
            if c != '\n' && c != '\r' && super::is_unsafe_char(c) && !masked(i, &edits) {
                controls.push(Edit {
                    start: i,
                    end: i + c.len_utf8(),
                    with: super::escape_char(c),
                });
            }
        }
        edits.extend(controls);
        // Long runs without spaces (a 170-character reg-id): head…tail.
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i].is_ascii_whitespace() {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let run = &text[start..i];
            if run.chars().count() > LONG_VALUE
                && !edits.iter().any(|e| e.start < i && start < e.end)
            {
                let head: usize = run.char_indices().nth(24).map_or(run.len(), |(b, _)| b);
                let tail: usize = run.char_indices().rev().nth(9).map_or(0, |(b, _)| b);
                edits.push(Edit {
                    start: start + head,
                    end: start + tail,
                    with: "…".to_owned(),
                });
            }
        }
        edits.sort_by_key(|e| (e.start, std::cmp::Reverse(e.end)));
        // Overlapping secrets (a value inside a broken quoted line): keep the first.
        let mut end = 0;
        edits.retain(|e| {
            let keep = e.start >= end;
            if keep {
                end = e.end;
            }
            keep
        });
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for e in &edits {
            out.push_str(&text[at..e.start]);
            out.push_str(&e.with);
            at = e.end;
        }
        out.push_str(&text[at..]);
        Shown { text: out, edits }
    }

    /// Where an original offset lands in the shown text.
    fn map(&self, offset: usize) -> usize {
        let mut shift: isize = 0;
        for e in &self.edits {
            if offset >= e.end {
                shift += e.with.len() as isize - (e.end - e.start) as isize;
            } else if offset >= e.start {
                let new_start = (e.start as isize + shift) as usize;
                return new_start + (offset - e.start).min(e.with.len());
            } else {
                break;
            }
        }
        (offset as isize + shift) as usize
    }

    /// Where an offset of the shown text comes from in the original.
    fn unmap(&self, offset: usize) -> usize {
        let mut shift: isize = 0;
        for e in &self.edits {
            let start = (e.start as isize + shift) as usize;
            let end = start + e.with.len();
            if offset >= end {
                shift += e.with.len() as isize - (e.end - e.start) as isize;
            } else if offset >= start {
                return e.start + (offset - start).min(e.end - e.start);
            } else {
                break;
            }
        }
        (offset as isize - shift) as usize
    }

    fn map_range(&self, r: Range<usize>) -> Range<usize> {
        let (s, e) = (self.map(r.start), self.map(r.end));
        s..e.max(s)
    }
}

/// codespan's view of the run's files: the shown texts (see [`Shown`]) and their lines.
struct RunFiles<'r> {
    names: Vec<String>,
    shown: Vec<Shown>,
    lines: Vec<LineIndex>,
    files: &'r [ReportFile<'r>],
}

impl<'r> RunFiles<'r> {
    fn new(report: &'r Report<'r>, needed: &[bool]) -> RunFiles<'r> {
        let shown: Vec<Shown> = report
            .files
            .iter()
            .zip(needed)
            .map(|(f, &need)| match f.text.as_deref() {
                Some(t) if need => Shown::new(t, &f.secrets, !report.show_secrets),
                _ => Shown::default(),
            })
            .collect();
        let lines = shown.iter().map(|s| LineIndex::new(&s.text)).collect();
        RunFiles {
            names: report
                .files
                .iter()
                .map(|f| super::escape(&f.path).into_owned())
                .collect(),
            shown,
            lines,
            files: &report.files,
        }
    }

    fn range(&self, file: usize, r: Range<usize>) -> Range<usize> {
        self.shown.get(file).map_or(r.clone(), |s| s.map_range(r))
    }
}

impl<'r> Files<'r> for RunFiles<'r> {
    type FileId = usize;
    type Name = &'r str;
    type Source = &'r str;

    fn name(&'r self, id: usize) -> Result<&'r str, FilesError> {
        self.names
            .get(id)
            .map(String::as_str)
            .ok_or(FilesError::FileMissing)
    }

    fn source(&'r self, id: usize) -> Result<&'r str, FilesError> {
        self.shown
            .get(id)
            .map(|t| t.text.as_str())
            .ok_or(FilesError::FileMissing)
    }

    fn line_index(&'r self, id: usize, byte_index: usize) -> Result<usize, FilesError> {
        let (s, l) = (
            self.shown.get(id).ok_or(FilesError::FileMissing)?,
            &self.lines[id],
        );
        Ok(l.line_col(&s.text, byte_index).0 - 1)
    }

    /// The column in the original file (the shown text may have shortened values before it).
    fn column_number(
        &'r self,
        id: usize,
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let s = self.shown.get(id).ok_or(FilesError::FileMissing)?;
        let f = self.files.get(id).ok_or(FilesError::FileMissing)?;
        Ok(f.line_col(s.unmap(byte_index) as u32).1)
    }

    fn line_range(&'r self, id: usize, line_index: usize) -> Result<Range<usize>, FilesError> {
        let (s, l) = (
            self.shown.get(id).ok_or(FilesError::FileMissing)?,
            &self.lines[id],
        );
        let text = s.text.as_str();
        let start = l.line_start(line_index + 1);
        let next = l.line_start(line_index + 2);
        let end = if next > start { next } else { text.len() };
        if start > text.len() {
            return Err(FilesError::LineTooLarge {
                given: line_index,
                max: l.line_col(text, text.len()).0,
            });
        }
        Ok(start..end.min(text.len()))
    }
}

/// The output width: `COLUMNS` when set, else 100.
pub fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c >= 40)
        .unwrap_or(100)
}

/// Shortens words longer than `max` characters (reg-ids in messages) to head…tail.
pub fn elide_words(s: &str, max: usize) -> String {
    s.split(' ')
        .map(|w| {
            let n = w.chars().count();
            if n > max {
                let head: String = w.chars().take(max / 2).collect();
                let tail: String = w.chars().skip(n - 6).collect();
                format!("{head}…{tail}")
            } else {
                w.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Cuts `s` to at most `max` characters, ending in `…` when cut.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Word-wraps `s` to `width` columns; lines after the first start with `indent`.
pub fn wrap(s: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut col = 0;
    for w in s.split(' ') {
        let n = w.chars().count();
        if col > 0 && col + 1 + n > width {
            out.push('\n');
            out.push_str(indent);
            col = indent.chars().count();
        } else if col > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(w);
        col += n;
    }
    out
}

/// `1 other token(s)` → `1 other token`, `3 day(s)` → `3 days`: rule messages written for
/// any count read right in the report.
pub fn plurals(s: &str) -> String {
    if !s.contains("(s)") {
        return s.to_owned();
    }
    let words: Vec<&str> = s.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut last_number: Option<u64> = None;
    for w in words {
        let digits = w.trim_matches(|c: char| !c.is_ascii_digit());
        if !digits.is_empty() && w.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            last_number = digits.parse().ok();
        }
        if let Some(at) = w.find("(s)") {
            let one = last_number == Some(1);
            let fixed = format!("{}{}{}", &w[..at], if one { "" } else { "s" }, &w[at + 3..]);
            out.push(fixed);
            last_number = None;
        } else {
            out.push(w.to_owned());
        }
    }
    out.join(" ")
}

fn cs_severity(s: Severity) -> CsSeverity {
    match s {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    }
}

/// The codespan diagnostic for a finding, spans as in the original text.
pub fn finding_diagnostic(f: &Finding) -> Diagnostic<usize> {
    diagnostic_for(&[f], &|_, r| r, 100, &mut HashMap::new())
}

/// Findings about the same token (same file and VDOM) form one block, most severe first.
fn group(findings: &[Finding]) -> Vec<Vec<&Finding>> {
    let mut groups: Vec<Vec<&Finding>> = Vec::new();
    let mut at: std::collections::HashMap<(usize, &str, Option<&str>), usize> =
        std::collections::HashMap::new();
    for f in findings {
        match &f.token {
            Some(t) => {
                let key = (f.primary.file, t.as_str(), f.vdom.as_deref());
                match at.get(&key) {
                    Some(&g) => groups[g].push(f),
                    None => {
                        at.insert(key, groups.len());
                        groups.push(vec![f]);
                    }
                }
            }
            None => groups.push(vec![f]),
        }
    }
    for g in &mut groups {
        g.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.code.cmp(b.code)));
    }
    groups
}

/// The codespan diagnostic for a block of findings about one object: spans moved by `map`
/// (into the shown text), long words in messages elided, notes wrapped to `width`. The
/// first finding leads; the others are added as labels and `also:` notes.
fn diagnostic_for(
    group: &[&Finding],
    map: &dyn Fn(usize, Range<usize>) -> Range<usize>,
    width: usize,
    helps: &mut HashMap<String, String>,
) -> Diagnostic<usize> {
    let f = group[0];
    // A label follows its underline on the same line: keep it short enough that a typical
    // `set` line, its underline and the label fit the width.
    let label_max = width.saturating_sub(52).max(20);
    let label = |m: &str| clip(&elide_words(&escape(&plurals(m)), 32), label_max);
    let note = |s: &str, indent: &str| {
        wrap(
            &elide_words(&escape(s), 40),
            width.saturating_sub(7),
            indent,
        )
    };
    let mut labels = vec![
        CsLabel::primary(f.primary.file, map(f.primary.file, f.primary.span.range()))
            .with_message(label(&f.primary.message)),
    ];
    labels.extend(f.related.iter().map(|l| {
        CsLabel::secondary(l.file, map(l.file, l.span.range())).with_message(label(&l.message))
    }));
    let mut notes = Vec::new();
    let place = match &f.vdom {
        Some(v) => format!("in: vdom {v} > {}", f.object),
        None => format!("in: {}", f.object),
    };
    notes.push(note(&place, "    "));
    // A help already given word for word in an earlier block is referred to, not repeated.
    let mut help = |h: &str, code: &str, object: &str| match helps.get(h) {
        Some(first) => format!("help: as for {code} on {first} above"),
        None => {
            helps.insert(h.to_owned(), object.to_owned());
            format!("help: {h}")
        }
    };
    notes.push(note(&help(&f.help, f.code, &f.object), "      "));
    for o in &group[1..] {
        let span = map(o.primary.file, o.primary.span.range());
        if !labels
            .iter()
            .any(|l| l.file_id == o.primary.file && l.range == span)
        {
            labels.push(CsLabel::secondary(o.primary.file, span).with_message(clip(
                &format!("{}: {}", o.code, label(&o.primary.message)),
                label_max,
            )));
        }
        notes.push(note(
            &format!(
                "also {} ({}, {}): {}",
                o.code,
                o.name,
                o.severity.as_str(),
                plurals(&o.message)
            ),
            "    ",
        ));
        if o.help != f.help {
            notes.push(note(&help(&o.help, o.code, &o.object), "      "));
        }
    }
    Diagnostic::new(cs_severity(f.severity))
        .with_code(f.code)
        .with_message(wrap(
            &elide_words(&escape(&plurals(&f.message)), 40),
            width.saturating_sub(16),
            "  ",
        ))
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
                .with_notes(vec![wrap(
                    &format!("help: {}", escape(&e.hint)),
                    width().saturating_sub(7),
                    "      ",
                )]);
            match (e.span, f.text.as_deref()) {
                (Some(span), Some(t)) if short_line(t, span.start as usize) => {
                    d = d
                        .with_message(wrap(&escape(&e.message), width().saturating_sub(20), "  "))
                        .with_labels(vec![
                            CsLabel::primary(i, files.range(i, span.range()))
                                .with_message(escape(&e.label)),
                        ]);
                }
                _ => {
                    let path = escape(&f.path);
                    let at = match e.line_col {
                        Some((l, c)) => format!("{path}:{l}:{c}"),
                        None => path.into_owned(),
                    };
                    d = d.with_message(format!("{at}: {}", escape(&e.message)));
                }
            }
            emit(out, &d)?;
        }
        for w in &f.warnings {
            let d = Diagnostic::warning()
                .with_code("parse")
                .with_message(escape(&w.message))
                .with_labels(vec![CsLabel::primary(i, files.range(i, w.span.range()))]);
            emit(out, &d)?;
        }
    }
    let width = width();
    let map = |file: usize, r: Range<usize>| files.range(file, r);
    let mut helps = HashMap::new();
    for g in group(&report.findings) {
        emit(out, &diagnostic_for(&g, &map, width, &mut helps))?;
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

/// The closing line of a human report: findings by severity, then the files, then what
/// could not be linted and the parser's warnings, so that a clean-looking count never hides
/// a file that was not read.
pub fn summary_line(report: &Report<'_>) -> String {
    let s = report.summary();
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let mut parts = vec![plural(s.errors, "error"), plural(s.warnings, "warning")];
    if s.infos > 0 {
        parts.push(format!("{} info", s.infos));
    }
    let mut line = format!("{} in {}", parts.join(", "), plural(s.files, "file"));
    let mut extra = Vec::new();
    if s.parse_errors > 0 {
        extra.push(format!(
            "{} could not be read or parsed",
            plural(s.parse_errors, "file")
        ));
    }
    let notes: usize = report.files.iter().map(|f| f.warnings.len()).sum();
    if notes > 0 {
        extra.push(plural(notes, "parse warning"));
    }
    if !extra.is_empty() {
        line.push_str(&format!(" ({})", extra.join("; ")));
    }
    line
}

/// `path:line:col: CODE [*] severity: message`, one line per finding or file error (`[*]`:
/// `fortilint fix` handles it).
pub fn render_concise(report: &Report<'_>) -> String {
    let mut out = String::new();
    for f in &report.files {
        if let Some(e) = &f.error {
            let (l, c) = e.line_col.unwrap_or((1, 1));
            out.push_str(&format!(
                "{}:{l}:{c}: {} error: {}\n",
                escape(&f.path),
                e.status,
                escape(&e.message)
            ));
        }
    }
    for f in &report.findings {
        let file = &report.files[f.primary.file];
        let (l, c) = file.line_col(f.primary.span.start);
        let fixable = crate::rules::registry::find(f.code)
            .is_some_and(|r| r.meta().fixable != crate::rules::Fixable::No);
        out.push_str(&format!(
            "{}:{l}:{c}: {}{} {}: {}\n",
            escape(&file.path),
            f.code,
            if fixable { " [*]" } else { "" },
            f.severity.as_str(),
            escape(&plurals(&f.message))
        ));
    }
    out
}

/// `--statistics`: one line per rule that fired, most frequent first: count, code, fixable
/// marker, name.
pub fn render_statistics(report: &Report<'_>) -> String {
    let mut counts: std::collections::BTreeMap<&str, (usize, &str)> = Default::default();
    for f in &report.findings {
        counts.entry(f.code).or_insert((0, f.name)).0 += 1;
    }
    let mut rows: Vec<(&str, usize, &str)> = counts
        .into_iter()
        .map(|(c, (n, name))| (c, n, name))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let w = rows
        .iter()
        .map(|r| r.1.to_string().len())
        .max()
        .unwrap_or(1);
    let mut out = String::new();
    for (code, n, name) in rows {
        let fixable = crate::rules::registry::find(code)
            .is_some_and(|r| r.meta().fixable != crate::rules::Fixable::No);
        out.push_str(&format!(
            "{n:>w$}  {code}  {}  {name}\n",
            if fixable { "[*]" } else { "   " }
        ));
    }
    let errors = report.files.iter().filter(|f| f.error.is_some()).count();
    if errors > 0 {
        out.push_str(&format!(
            "{errors:>w$}  (files that could not be read or parsed)\n"
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    #[test]
    fn shown_text_escapes_controls_and_merges_overlapping_secrets() {
        let t = "edit \"x\u{1b}[2Jy\u{202e}\"\nset passwd ENC ABCDEFGH\n";
        let s = Shown::new(t, &[], true);
        assert_eq!(
            s.text.lines().next(),
            Some("edit \"x\\u{1b}[2Jy\\u{202e}\"")
        );
        // Offsets after an escape still map back.
        let y = t.find('y').unwrap();
        assert_eq!(&s.text[s.map(y)..=s.map(y)], "y");
        assert_eq!(s.unmap(s.map(y)), y);
        // Two secrets, the second starting inside the first and ending after it.
        let a = t.find("ENC").unwrap();
        let s = Shown::new(t, &[Span::new(a, a + 6), Span::new(a + 4, a + 12)], true);
        assert_eq!(s.text.lines().nth(1), Some("set passwd ********"));
    }

    #[test]
    fn shown_text_masks_at_fixed_width_and_maps_offsets_both_ways() {
        let t = "set seed ENC abcdefghijklmnopqrstuvwxyz\nset reg-id \"AAAAAAAAAABBBBBBBBBBCCCCCCCCCCDDDDDDDDDDEEEEEEEEEE\" x\n";
        let s = Shown::new(t, &[Span::new(13, 39)], true);
        assert_eq!(s.text.lines().next(), Some("set seed ENC ********"));
        assert!(s.text.lines().nth(1).unwrap().contains('…'));
        assert_eq!(s.text.lines().count(), 2);
        // Offsets before, inside and after an edit.
        assert_eq!(s.map(4), 4);
        assert_eq!(s.map(39), 21);
        assert_eq!(s.unmap(s.map(40)), 40);
        let x = t.rfind('x').unwrap();
        assert_eq!(&s.text[s.map(x)..=s.map(x)], "x");
        assert_eq!(s.unmap(s.map(x)), x);
    }

    #[test]
    fn plurals_follow_the_number() {
        assert_eq!(plurals("1 holder(s), 1157 day(s)"), "1 holder, 1157 days");
        assert_eq!(plurals("as 1 other token(s)"), "as 1 other token");
        assert_eq!(plurals("in 2 backup(s) of"), "in 2 backups of");
        assert_eq!(
            elide_words("id abcdefghijklmnopqrstuvwxyz", 10),
            "id abcde…uvwxyz"
        );
        assert_eq!(wrap("aa bb cc", 5, " "), "aa bb\n cc");
    }
}
