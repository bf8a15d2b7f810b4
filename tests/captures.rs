//! Session captures as input: PuTTY/SSH/console logs, markdown fences, fragments that start
//! inside a block, abbreviated commands, prompts before the header. Each fixture in
//! `tests/fixtures/captures/` parses losslessly, its configuration reaches the model, and what
//! was skipped is named in a warning.

use std::path::{Path, PathBuf};

use fortilint::model::Model;
use fortilint::parse::{self, Kind, ParseErrorKind};
use fortilint::source::SourceFile;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/captures")
        .join(name)
}

/// Loads and parses a capture, checks that the spans tile it, and returns the token serials,
/// the header serial/firmware and the warning messages.
fn read(name: &str) -> (Vec<String>, Option<String>, Option<String>, Vec<String>) {
    let src = SourceFile::load(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let doc = parse::parse(&src.text).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    let mut at = 0;
    for s in doc.spans() {
        assert_eq!(s.start, at, "{name}: spans must tile the input");
        at = s.end;
    }
    assert_eq!(at as usize, src.text.len(), "{name}");
    let m = Model::build(doc);
    let serials = m.tokens.iter().map(|t| t.serial.to_string()).collect();
    let warnings = m.warnings.iter().map(|w| w.message.clone()).collect();
    (
        serials,
        m.header.serial.clone(),
        m.header.firmware.clone(),
        warnings,
    )
}

const BOTH: [&str; 2] = ["FTKMOB4B94972FBA", "FTK2000BHV1KRZCC"];

#[test]
fn putty_log_with_banner_login_pager_and_other_commands() {
    let (serials, serial, firmware, warnings) = read("putty-log.conf");
    assert_eq!(serials, BOTH);
    // `get system status` before the configuration gives the unit's facts.
    assert_eq!(serial.as_deref(), Some("FGT60FTK20000001"));
    assert_eq!(firmware.as_deref(), Some("7.2.8"));
    assert!(
        warnings.iter().any(|w| w.contains("session log banner")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("console login")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("`get system performance status`")),
        "{warnings:?}"
    );
    // Diagnostic output is evidence, not a note.
    assert!(
        !warnings.iter().any(|w| w.contains("fortitoken info")),
        "{warnings:?}"
    );
}

#[test]
fn pager_artefacts_keep_the_statement_after_them() {
    let src = SourceFile::load(&fixture("putty-log.conf")).unwrap();
    let doc = parse::parse(&src.text).unwrap();
    let pagers = doc
        .tree
        .nodes
        .iter()
        .filter(|n| n.kind == Kind::Pager)
        .count();
    assert_eq!(pagers, 2);
    let m = Model::build(doc);
    let t = m
        .tokens
        .iter()
        .find(|t| t.serial == "FTKMOB4B94972FBA")
        .unwrap();
    // `set status active` came right after the erased `--More--` on the same line.
    assert!(m.attrs(t.entry).node("status").is_some());
}

#[test]
fn markdown_fence_console_vdom_and_crlf_mix() {
    for name in ["markdown-fence.conf", "console-vdom.conf", "crlf-mix.conf"] {
        let (serials, _, _, warnings) = read(name);
        assert_eq!(serials, BOTH, "{name}: {warnings:?}");
    }
    let (_, _, _, warnings) = read("markdown-fence.conf");
    assert_eq!(
        warnings
            .iter()
            .filter(|w| w.contains("markdown code fence"))
            .count(),
        2
    );
}

#[test]
fn capture_starting_inside_a_block_is_lenient_with_a_warning() {
    for name in ["starts-inside-block.conf", "set-before-config.conf"] {
        let (serials, _, _, warnings) = read(name);
        assert_eq!(serials, BOTH, "{name}");
        assert!(
            warnings
                .iter()
                .any(|w| w.starts_with("capture starts inside a block: lines 1-")),
            "{name}: {warnings:?}"
        );
    }
}

#[test]
fn abbreviated_commands_and_headers_after_show_or_prompt() {
    let (serials, _, _, _) = read("abbreviated-commands.conf");
    assert_eq!(serials, BOTH);
    for name in [
        "bare-abbreviated-show.conf",
        "show-before-header.conf",
        "prompt-on-header-line.conf",
    ] {
        let src = SourceFile::load(&fixture(name)).unwrap();
        let m = Model::build(parse::parse(&src.text).unwrap());
        assert!(m.header.has_version_line, "{name}");
        assert_eq!(m.header.firmware.as_deref(), Some("7.2.8"), "{name}");
        assert_eq!(m.header.build, Some(1639), "{name}");
        assert_eq!(m.tokens.len(), 2, "{name}");
        // The `show` that produced the output is not a script command in a backup.
        assert!(m.script_statements.is_empty(), "{name}");
    }
}

#[test]
fn abbreviated_config_keyword_in_a_pasted_script_opens_a_block() {
    let text = "conf user fortitoken\n    edit \"FTK2000BHV1KRZCC\"\n    next\nend\nconf sys glo\n    set hostname FGT-A\nend\n";
    let m = Model::build(parse::parse(text).unwrap());
    assert_eq!(m.tokens.len(), 1);
    assert!(m.warnings.is_empty(), "{:?}", m.warnings);
}

#[test]
fn a_prompt_like_line_inside_a_quoted_value_is_data() {
    let text = "FGT-A # show\nconfig system replacemsg admin \"pre_admin-disclaimer-text\"\n    set buffer \"Hello\nWelcome $ user\nbye\"\nend\nFGT-A # get system performance status\nCPU states: 0% user\n";
    let doc = parse::parse(text).unwrap();
    let set = doc
        .tree
        .nodes
        .iter()
        .position(|n| n.kind == Kind::Set)
        .unwrap() as u32;
    assert_eq!(doc.set_value(set).unwrap(), "Hello\nWelcome $ user\nbye");
    assert_eq!(doc.spans().map(|s| doc.raw(s)).collect::<String>(), text);
}

#[test]
fn an_unbalanced_quote_in_debug_output_does_not_hide_later_prompts() {
    let text = "[forticldd] {\"d\":{\"error_message\":\"cut off\nFGT-A # show user fortitoken\nconfig user fortitoken\n    edit \"FTK2000BHV1KRZCC\"\n    next\nend\nFGT-A # \n";
    let m = Model::build(parse::parse(text).unwrap());
    assert_eq!(m.tokens.len(), 1);
}

#[test]
fn a_backup_with_a_header_stays_strict() {
    // The same orphan `set` after a real header is an error, not leniency.
    let text = "#config-version=FGT60F-7.2.8-FW-build1639-240313:opmode=0:vdom=0:user=admin\nset timezone 04\nconfig system global\nend\n";
    assert_eq!(
        parse::parse(text).unwrap_err().kind,
        ParseErrorKind::SetOutsideBlock
    );
    // An unknown line inside a block of a file that is not a capture is still an error.
    let text = "config user local\n    edit \"a\"\n        frobnicate now\n    next\nend\n";
    assert_eq!(
        parse::parse(text).unwrap_err().kind,
        ParseErrorKind::UnknownStatement
    );
}

#[test]
fn indentation_only_text_gets_a_located_error() {
    let text =
        "config system dns\n    set primary 1.1.1.1\nconfig system ntp\n    set ntpsync enable\n";
    let e = parse::parse(text).unwrap_err();
    assert_eq!(e.kind, ParseErrorKind::NoEndLines);
    assert_eq!(&text[e.span.range()], "config system ntp");
    // A fragment with one block and no final `end` is still read (with a warning).
    assert!(parse::parse("config user fortitoken\n    edit \"FTK2000BHV1KRZCC\"\n").is_ok());
    // Nested blocks indented deeper are not siblings.
    assert!(parse::parse("config system sdwan\n    config members\n        edit 1\n").is_ok());
}

#[test]
fn notes_for_each_capture() {
    insta::glob!("fixtures/captures/*.conf", |path| {
        let src = SourceFile::load(path).unwrap();
        let m = Model::build(parse::parse(&src.text).unwrap());
        let lines = fortilint::source::LineIndex::new(&src.text);
        let mut out = String::new();
        for w in &m.warnings {
            let (l, c) = lines.line_col(&src.text, w.span.start as usize);
            out.push_str(&format!("{l}:{c}: {}\n", w.message));
        }
        out.push_str(&format!(
            "tokens: {}\n",
            m.tokens
                .iter()
                .map(|t| t.serial.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        insta::assert_snapshot!(out);
    });
}

fn check_output(rel: &str, extra: &[&str]) -> (Option<i32>, String) {
    let out = assert_cmd::Command::cargo_bin("fortilint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "--color", "never", "--now", "1700000000"])
        .args(extra)
        .arg(rel)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn a_fragment_starting_inside_a_pem_block_shows_no_key_line() {
    let (code, out) = check_output("tests/fixtures/malformed/starts-inside-pem.conf", &[]);
    assert_eq!(code, Some(2));
    assert!(out.contains("1:1"), "{out}");
    for key in [
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
        "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY",
    ] {
        assert!(!out.contains(key), "key material in the frame:\n{out}");
    }
    let (_, shown) = check_output(
        "tests/fixtures/malformed/starts-inside-pem.conf",
        &["--show-secrets"],
    );
    // Shown (long values are elided to the terminal width, so only its start).
    assert!(shown.contains("MIIEvQIBADANBgkqhkiG9w0B"), "{shown}");
}

#[test]
fn secrets_in_skipped_debug_lines_are_masked_in_notes() {
    let (_, out) = check_output("tests/fixtures/captures/debug-log-with-secrets.conf", &[]);
    assert!(out.contains("warning[parse]"), "{out}");
    for s in [
        "7X3K9QW2ERT5YU8P",
        "3132333435363738393031323334353637383930",
        "FTMLIC0123456789AB",
    ] {
        assert!(!out.contains(s), "{s} leaked:\n{out}");
    }
    let (_, shown) = check_output(
        "tests/fixtures/captures/debug-log-with-secrets.conf",
        &["--show-secrets"],
    );
    assert!(shown.contains("7X3K9QW2ERT5YU8P"), "{shown}");
}
