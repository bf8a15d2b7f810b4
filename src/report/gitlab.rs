//! The `gitlab` format: a GitLab Code Quality report (a JSON array of issues with
//! `description`, `check_name`, `fingerprint`, `severity` and `location.path` +
//! `location.lines.begin`). Paths are relative to the repository root when known, as GitLab
//! wants; fingerprints come from path, VDOM, object and code (no line), so an issue keeps its
//! identity when a re-exported backup moves its lines. A file that could not be read or
//! parsed is a `blocker` issue.

use std::collections::HashSet;

use serde_json::{Value, json};

use super::Report;
use super::sarif::fingerprint;
use crate::rules::Severity;

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

pub fn render(report: &Report<'_>) -> String {
    let mut issues: Vec<Value> = Vec::new();
    let mut seen = HashSet::new();
    // Two findings with the same identity (rare: the same object twice) still get distinct
    // fingerprints, which GitLab requires.
    let mut unique = |base: String| {
        let mut fp = base.clone();
        let mut n = 1;
        while !seen.insert(fp.clone()) {
            n += 1;
            fp = fingerprint(&[&base, &n.to_string()]);
        }
        fp
    };
    for f in &report.files {
        if let Some(e) = &f.error {
            let line = e.line_col.map_or(1, |(l, _)| l);
            issues.push(json!({
                "type": "issue",
                "description": format!("{}: {}", e.status, super::escape(&e.message)),
                "check_name": e.status,
                "fingerprint": unique(fingerprint(&[f.key_path(), e.status])),
                "severity": "blocker",
                "categories": ["Bug Risk"],
                "location": { "path": super::escape(f.key_path()), "lines": { "begin": line } },
            }));
        }
    }
    for f in &report.findings {
        let file = &report.files[f.primary.file];
        let (line, _) = file.line_col(f.primary.span.start);
        let base = fingerprint(&[
            file.key_path(),
            f.vdom.as_deref().unwrap_or(""),
            &f.object,
            f.code,
        ]);
        issues.push(json!({
            "type": "issue",
            "description": format!("{} {}", f.code, super::escape(&f.message)),
            "check_name": f.code,
            "content": { "body": super::escape(&format!("{} ({}): {}", f.name, f.object, f.help)) },
            "fingerprint": unique(base),
            "severity": severity(f.severity),
            "categories": ["Bug Risk"],
            "location": { "path": super::escape(file.key_path()), "lines": { "begin": line } },
        }));
    }
    let mut s = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".to_owned());
    s.push('\n');
    s
}
