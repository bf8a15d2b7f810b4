//! The `github` format: GitHub Actions workflow commands, one per finding or file error
//! (`::error file=…,line=…,col=…,title=FTK002::message`).

use super::Report;
use crate::rules::Severity;

/// Escapes data for a workflow command (`%`, CR, LF) and, in properties, `:` and `,`; control
/// characters and bidi overrides from the input first become visible escapes
/// ([`super::escape`]), so that no ANSI sequence reaches the Actions log.
fn escape(s: &str, property: bool) -> String {
    let s = super::escape(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    for f in &report.files {
        if let Some(e) = &f.error {
            let (l, c) = e.line_col.unwrap_or((1, 1));
            out.push_str(&format!(
                "::error file={},line={l},col={c},title={}::{}\n",
                escape(&f.path, true),
                e.status,
                escape(&format!("{} ({})", e.message, e.hint), false)
            ));
        }
    }
    for f in &report.findings {
        let file = &report.files[f.primary.file];
        let (l, c) = file.line_col(f.primary.span.start);
        let (el, ec) = file.line_col(f.primary.span.end);
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        out.push_str(&format!(
            "::{level} file={},line={l},col={c},endLine={el},endColumn={ec},title={}::{}\n",
            escape(&file.path, true),
            escape(f.code, true),
            escape(
                &format!("{} ({}) Help: {}", f.message, f.name, f.help),
                false
            )
        ));
    }
    out
}
