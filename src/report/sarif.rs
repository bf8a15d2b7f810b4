//! The `sarif` format: SARIF 2.1.0 as GitHub code scanning accepts it. Rules carry their help
//! (the docs page); results carry regions and `partialFingerprints` computed from file + VDOM
//! + object + code, so they survive re-exported backups whose lines moved.

use serde_json::{Value, json};

use super::Report;
use crate::rules::{Severity, registry};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative URI reference for a path (forward slashes, reserved characters escaped).
fn uri(path: &str) -> String {
    let mut out = String::new();
    let path = crate::source::normalized(std::path::Path::new(path))
        .to_string_lossy()
        .replace('\\', "/");
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => {
                out.push(b as char);
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// FNV-1a, 64 bits: a small stable hash for fingerprints (same input, same value, any platform).
pub fn fingerprint(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

pub fn render(report: &Report<'_>) -> String {
    let rules: Vec<Value> = registry::RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": { "text": m.summary },
                "fullDescription": { "text": m.summary },
                "help": { "text": m.docs, "markdown": m.docs },
                "defaultConfiguration": { "level": level(m.default_severity) },
                "properties": { "fixable": m.fixable.as_str(), "migrationOnly": m.migration_only }
            })
        })
        .collect();
    let region = |file: usize, span: crate::source::Span| {
        let f = &report.files[file];
        let (sl, sc) = f.line_col(span.start);
        let (el, ec) = f.line_col(span.end);
        json!({ "startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec })
    };
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let path = &report.files[f.primary.file].path;
            let index = registry::RULES.iter().position(|r| r.meta().code == f.code).unwrap_or(0);
            let related: Vec<Value> = f
                .related
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    json!({
                        "id": i,
                        "message": { "text": l.message },
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri(&report.files[l.file].path) },
                            "region": region(l.file, l.span)
                        }
                    })
                })
                .collect();
            json!({
                "ruleId": f.code,
                "ruleIndex": index,
                "level": level(f.severity),
                "message": { "text": format!("{} Help: {}", f.message, f.help) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(path) },
                        "region": region(f.primary.file, f.primary.span)
                    },
                    "message": { "text": f.primary.message }
                }],
                "relatedLocations": related,
                "partialFingerprints": {
                    "fortilint/object/v1": fingerprint(&[&uri(report.files[f.primary.file].key_path()), f.vdom.as_deref().unwrap_or(""), &f.object, f.code])
                },
                "properties": {
                    "vdom": f.vdom,
                    "object": f.object,
                    "token": f.token,
                    "user": f.user
                }
            })
        })
        .collect();
    let notifications: Vec<Value> = report
        .files
        .iter()
        .filter_map(|f| {
            let e = f.error.as_ref()?;
            let (l, c) = e.line_col.unwrap_or((1, 1));
            Some(json!({
                "level": "error",
                "message": { "text": format!("{}: {} ({})", e.status, e.message, e.hint) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&f.path) },
                        "region": { "startLine": l, "startColumn": c }
                    }
                }]
            }))
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "fortilint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules
                }
            },
            "invocations": [{
                "executionSuccessful": notifications.is_empty(),
                "toolExecutionNotifications": notifications
            }],
            "results": results
        }]
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_and_fingerprints_are_stable() {
        assert_eq!(uri("samples/a b#1.conf"), "samples/a%20b%231.conf");
        assert_eq!(fingerprint(&["a", "b"]), fingerprint(&["a", "b"]));
        assert_ne!(fingerprint(&["ab", ""]), fingerprint(&["a", "b"]));
    }
}
