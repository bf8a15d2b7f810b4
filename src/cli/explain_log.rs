//! `fortilint explain-log FILE…`: reads debug logs and session captures and prints, per
//! recognised event, what it means, the likely cause and the documented next step with its
//! Fortinet source (`shared/docs/fortitoken-remediation.md` §1, §8). Activation codes, seeds
//! and licence activation codes are masked unless `--show-secrets`.

use serde::Serialize;

use super::args::{ExplainLogArgs, ExplainLogFormat};
use super::{EXIT_ERROR, print};
use crate::model::evidence::{Explanation, explain};
use crate::parse::diagnostic;
use crate::source::{LineIndex, SourceFile, Span, display_path};

#[derive(Serialize)]
struct JsonReport {
    version: u32,
    files: Vec<JsonFile>,
}

#[derive(Serialize)]
struct JsonFile {
    path: String,
    error: Option<String>,
    events: Vec<JsonEvent>,
}

#[derive(Serialize)]
struct JsonEvent {
    line: usize,
    kind: &'static str,
    /// The line as read, secrets masked.
    text: String,
    #[serde(flatten)]
    explanation: Explanation,
}

/// Longest line quoted in the report.
const MAX_QUOTE: usize = 240;

/// The line with every secret replaced by `*` (the secrets the remediation doc names on
/// the line, and whatever the one masking policy finds on it), cut to [`MAX_QUOTE`]
/// characters.
fn quote(text: &str, line: Span, secrets: &[Span], show_secrets: bool) -> String {
    let body = &text[line.range()];
    let mut out = if show_secrets {
        body.to_owned()
    } else {
        let mut spans = crate::model::secrets_in_region(text, line);
        spans.extend_from_slice(secrets);
        let local: Vec<Span> = spans
            .iter()
            .filter(|s| s.start >= line.start && s.end <= line.end)
            .map(|s| {
                Span::new(
                    (s.start - line.start) as usize,
                    (s.end - line.start) as usize,
                )
            })
            .collect();
        crate::report::redact(body, &local)
    };
    if out.chars().count() > MAX_QUOTE {
        out = out.chars().take(MAX_QUOTE).collect::<String>() + "…";
    }
    out.trim().to_owned()
}

fn read_file(path: &std::path::Path, show_secrets: bool) -> JsonFile {
    let display = display_path(path);
    let src = match SourceFile::load(path) {
        Ok(s) => s,
        Err(e) => {
            return JsonFile {
                path: display,
                error: Some(e.to_string()),
                events: Vec::new(),
            };
        }
    };
    let text = &src.text;
    let lines = LineIndex::new(text);
    let events = diagnostic::read(text, [Span::new(0, text.len())])
        .into_iter()
        .map(|ev| JsonEvent {
            line: lines.line_col(text, ev.span.start as usize).0,
            kind: ev.kind.name(),
            text: quote(text, ev.span, &ev.secrets, show_secrets),
            explanation: explain(&ev.kind),
        })
        .collect();
    JsonFile {
        path: display,
        error: None,
        events,
    }
}

fn human(files: &[JsonFile]) -> String {
    use crate::report::escape;
    let mut out = String::new();
    let mut total = 0;
    for f in files {
        if let Some(e) = &f.error {
            out.push_str(&format!("{}: error: {}\n\n", escape(&f.path), escape(e)));
            continue;
        }
        if f.events.is_empty() {
            out.push_str(&format!(
                "{}: no FortiToken diagnostic output recognised\n\n",
                escape(&f.path)
            ));
        }
        for ev in &f.events {
            total += 1;
            let x = &ev.explanation;
            out.push_str(&format!(
                "{}:{}: {} [{}]\n",
                escape(&f.path),
                ev.line,
                x.title,
                ev.kind
            ));
            out.push_str(&format!("  | {}\n", escape(&ev.text)));
            out.push_str(&format!("  meaning:   {}\n", x.meaning));
            out.push_str(&format!("  cause:     {}\n", x.cause));
            out.push_str(&format!("  next step: {}\n", x.next_step));
            out.push_str(&format!("  source:    {}\n\n", x.source));
        }
    }
    out.push_str(&format!(
        "{total} event{} in {} file{}\n",
        if total == 1 { "" } else { "s" },
        files.len(),
        if files.len() == 1 { "" } else { "s" }
    ));
    out
}

pub fn run(args: &ExplainLogArgs) -> u8 {
    let files: Vec<JsonFile> = args
        .files
        .iter()
        .map(|p| read_file(p, args.show_secrets))
        .collect();
    let out = match args.format {
        ExplainLogFormat::Human => human(&files),
        ExplainLogFormat::Json => {
            let r = JsonReport { version: 1, files };
            let s = serde_json::to_string_pretty(&r).unwrap_or_default() + "\n";
            print(&s);
            return if r.files.iter().any(|f| f.error.is_some()) {
                EXIT_ERROR
            } else {
                0
            };
        }
    };
    print(&out);
    if files.iter().any(|f| f.error.is_some()) {
        EXIT_ERROR
    } else {
        0
    }
}
