//! The `junit` format: JUnit XML as GitLab (`artifacts:reports:junit`) and Jenkins (`junit`
//! step) read it. One test case per file, so that the test report lists every backup: a file
//! with findings at or above the threshold fails with one `<failure>` that lists them all
//! (`path:line:col CODE message`), a file that could not be read or parsed is an `<error>`,
//! findings below the threshold go to `<system-out>`. Text is XML-escaped and characters XML
//! cannot carry are dropped.

use std::fmt::Write as _;

use super::Report;
use crate::rules::Severity;

/// Escapes text and attribute values: markup as entities, control characters and bidi
/// overrides as visible escapes (`\u{1b}`); drops the non-characters XML 1.0 forbids.
pub fn xml_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\t' | '\n' | '\r' => o.push(c),
            // Controls, separators and bidi overrides: shown as an escape, never raw.
            c if super::is_unsafe_char(c) => o.push_str(&super::escape_char(c)),
            '\u{fffe}' | '\u{ffff}' => {}
            c => o.push(c),
        }
    }
    o
}

/// Renders the report; findings at or above `threshold` fail their file's test case.
pub fn render(report: &Report<'_>, threshold: Severity) -> String {
    let mut cases = String::new();
    let (mut failures, mut errors) = (0, 0);
    for (i, file) in report.files.iter().enumerate() {
        let name = xml_escape(&super::escape(&file.path));
        let _ = writeln!(
            cases,
            "    <testcase classname=\"fortilint\" name=\"{name}\" file=\"{name}\">"
        );
        if let Some(e) = &file.error {
            errors += 1;
            let (l, c) = e.line_col.unwrap_or((1, 1));
            let _ = writeln!(
                cases,
                "      <error type=\"{}\" message=\"{}\">{}:{l}:{c}: {}\n{}</error>",
                xml_escape(e.status),
                xml_escape(&super::escape(&e.message)),
                name,
                xml_escape(&super::escape(&e.message)),
                xml_escape(&format!("help: {}", super::escape(&e.hint)))
            );
        }
        let mut failing = String::new();
        let mut quiet = String::new();
        let mut n_fail = 0;
        for f in report.findings.iter().filter(|f| f.primary.file == i) {
            let (l, c) = file.line_col(f.primary.span.start);
            let line = format!(
                "{}:{l}:{c}: {} [{}] {}\n",
                super::escape(&file.path),
                f.code,
                f.severity.as_str(),
                super::escape(&f.message)
            );
            if f.severity >= threshold {
                n_fail += 1;
                failing.push_str(&line);
            } else {
                quiet.push_str(&line);
            }
        }
        if n_fail > 0 {
            failures += 1;
            let _ = writeln!(
                cases,
                "      <failure type=\"fortilint\" message=\"{}\">{}</failure>",
                if n_fail == 1 {
                    "1 finding".to_owned()
                } else {
                    format!("{n_fail} findings")
                },
                xml_escape(&failing)
            );
        }
        if !quiet.is_empty() {
            let _ = writeln!(
                cases,
                "      <system-out>{}</system-out>",
                xml_escape(&quiet)
            );
        }
        cases.push_str("    </testcase>\n");
    }
    let tests = report.files.len();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <testsuites name=\"fortilint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n\
         \x20 <testsuite name=\"fortilint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n\
         {cases}\
         \x20 </testsuite>\n\
         </testsuites>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            xml_escape("a<b>&\"c'\u{1}\n\u{1b}[2J\u{202e}\u{ffff}"),
            "a&lt;b&gt;&amp;&quot;c&apos;\\u{1}\n\\u{1b}[2J\\u{202e}"
        );
    }
}
