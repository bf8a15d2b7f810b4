//! The `json` format, schema version 1 (product.md §4). Field names and order are part of the
//! contract; `files[].warnings` is an addition (parser leniency notes).

use serde::Serialize;

use super::{Report, Summary};

#[derive(Serialize)]
struct JsonReport<'r> {
    version: u32,
    files: Vec<JsonFile<'r>>,
    findings: Vec<JsonFinding<'r>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonFile<'r> {
    path: &'r str,
    status: &'static str,
    model: Option<&'r str>,
    firmware: Option<&'r str>,
    build: Option<u32>,
    vdom_mode: Option<bool>,
    error: Option<JsonError<'r>>,
    warnings: Vec<JsonWarning<'r>>,
}

#[derive(Serialize)]
struct JsonError<'r> {
    line: Option<usize>,
    column: Option<usize>,
    message: &'r str,
}

#[derive(Serialize)]
struct JsonWarning<'r> {
    line: usize,
    column: usize,
    message: &'r str,
}

#[derive(Serialize)]
struct JsonFinding<'r> {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    path: &'r str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    vdom: Option<&'r str>,
    object: &'r str,
    token: Option<&'r str>,
    user: Option<&'r str>,
    message: &'r str,
    help: &'r str,
    related: Vec<JsonRelated<'r>>,
}

#[derive(Serialize)]
struct JsonRelated<'r> {
    path: &'r str,
    line: usize,
    column: usize,
    message: &'r str,
}

/// Renders the report as one JSON document (pretty-printed, trailing newline).
pub fn render(report: &Report<'_>) -> String {
    let files = report
        .files
        .iter()
        .map(|f| JsonFile {
            path: &f.path,
            status: f.status(),
            model: f.facts.as_ref().and_then(|u| u.model.as_deref()),
            firmware: f.facts.as_ref().and_then(|u| u.firmware.as_deref()),
            build: f.facts.as_ref().and_then(|u| u.build),
            vdom_mode: f.facts.as_ref().map(|u| u.vdom_mode),
            error: f.error.as_ref().map(|e| JsonError {
                line: e.line_col.map(|p| p.0),
                column: e.line_col.map(|p| p.1),
                message: &e.message,
            }),
            warnings: f
                .warnings
                .iter()
                .map(|w| {
                    let (line, column) = f.line_col(w.span.start);
                    JsonWarning {
                        line,
                        column,
                        message: &w.message,
                    }
                })
                .collect(),
        })
        .collect();
    let findings = report
        .findings
        .iter()
        .map(|f| {
            let file = &report.files[f.primary.file];
            let (line, column) = file.line_col(f.primary.span.start);
            let (end_line, end_column) = file.line_col(f.primary.span.end);
            JsonFinding {
                code: f.code,
                name: f.name,
                severity: f.severity.as_str(),
                path: &file.path,
                line,
                column,
                end_line,
                end_column,
                vdom: f.vdom.as_deref(),
                object: &f.object,
                token: f.token.as_deref(),
                user: f.user.as_deref(),
                message: &f.message,
                help: &f.help,
                related: f
                    .related
                    .iter()
                    .map(|l| {
                        let rf = &report.files[l.file];
                        let (line, column) = rf.line_col(l.span.start);
                        JsonRelated {
                            path: &rf.path,
                            line,
                            column,
                            message: &l.message,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let doc = JsonReport {
        version: 1,
        files,
        findings,
        summary: report.summary(),
    };
    let mut s =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
