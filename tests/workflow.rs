//! The workflow around the linter (issue 11): exit and config controls, named files and
//! pre-commit, baselines, extra formats, completions and the man page.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fortilint(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("fortilint").unwrap();
    c.current_dir(dir)
        .env_remove("NO_COLOR")
        .env("COLUMNS", "100");
    c
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("{e}: {}", text(out)))
}

fn codes(v: &serde_json::Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

/// A temp folder with a `fortilint.toml` (migration on) and the single-VDOM sample (which has
/// trial tokens: FTK008 with migration) under `site/`.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("site")).unwrap();
    std::fs::copy(
        root().join("samples/fortios-7.2-single-vdom.conf"),
        dir.path().join("site/fw.conf"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("fortilint.toml"),
        "migration = true\n[rules]\nFTK014 = \"off\"\n",
    )
    .unwrap();
    dir
}

fn violation(rule: &str) -> PathBuf {
    root().join(format!("tests/fixtures/rules/{rule}/violation.conf"))
}

#[test]
fn exit_zero_passes_findings_but_not_unreadable_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let out = fortilint(dir.path())
        .args(["check", "--exit-zero"])
        .arg(violation("duplicate_reg_id"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("FTK002"));
    let out = fortilint(dir.path())
        .args(["check", "--exit-zero"])
        .arg(violation("duplicate_reg_id"))
        .arg(root().join("tests/fixtures/malformed/stray-end.conf"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn show_settings_names_the_config_file_and_each_source() {
    let dir = workspace();
    let out = fortilint(dir.path())
        .args(["check", "--show-settings", "--fail-on", "error", "site"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let s = text(&out.stdout);
    let cfg = dir.path().join("fortilint.toml").display().to_string();
    assert!(s.contains(&cfg), "{s}");
    let line = |name: &str| {
        s.lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("no {name} in {s}"))
            .to_owned()
    };
    assert!(line("migration").contains(&format!("(config file {cfg})")));
    assert!(line("fail-on").contains("error") && line("fail-on").contains("(command line)"));
    assert!(line("format").contains("human") && line("format").contains("(default)"));
    assert!(line("rules.FTK014").contains("off"));
    // Nothing was linted.
    assert!(!s.contains("FTK008"));
}

#[test]
fn isolated_ignores_config_files() {
    let dir = workspace();
    let run = |extra: &[&str]| {
        let out = fortilint(dir.path())
            .args(["check", "--format", "json"])
            .args(extra)
            .arg("site")
            .output()
            .unwrap();
        codes(&json(&out.stdout))
    };
    assert!(run(&[]).contains(&"FTK008".to_owned()));
    assert!(!run(&["--isolated"]).contains(&"FTK008".to_owned()));
    let out = fortilint(dir.path())
        .args(["check", "--isolated", "--show-settings", "site"])
        .output()
        .unwrap();
    assert!(text(&out.stdout).contains("none (--isolated)"));
    let out = fortilint(dir.path())
        .args(["check", "--isolated", "--config", "fortilint.toml", "site"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "--isolated and --config conflict"
    );
}

#[test]
fn a_path_that_does_not_exist_is_an_error_named() {
    let dir = workspace();
    let out = fortilint(dir.path())
        .args(["check", "site", "sitee"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let s = text(&out.stdout);
    assert!(
        s.contains("sitee") && s.contains("no such file or directory"),
        "{s}"
    );
    // An empty folder is not an error, but it is said.
    std::fs::create_dir_all(dir.path().join("empty")).unwrap();
    let out = fortilint(dir.path())
        .args(["check", "empty"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("no FortiOS configuration found in empty"));
}

#[test]
fn output_file_receives_the_report() {
    let dir = workspace();
    let out = fortilint(dir.path())
        .args(["check", "--format", "json", "-o", "report.json", "site"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let v = json(&std::fs::read(dir.path().join("report.json")).unwrap());
    assert!(codes(&v).contains(&"FTK008".to_owned()));
    let out = fortilint(dir.path())
        .args([
            "tokens",
            "--format",
            "json",
            "--output-file",
            "tokens.json",
            "site",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = json(&std::fs::read(dir.path().join("tokens.json")).unwrap());
    assert!(!v["tokens"].as_array().unwrap().is_empty());
}

#[test]
fn stdin_filename_drives_config_discovery_and_display() {
    let dir = workspace();
    let conf = std::fs::read(dir.path().join("site/fw.conf")).unwrap();
    // From a folder outside the workspace, `-` alone finds no config: no FTK008.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = fortilint(elsewhere.path())
        .args(["check", "--format", "json", "-"])
        .write_stdin(conf.clone())
        .output()
        .unwrap();
    assert!(!codes(&json(&out.stdout)).contains(&"FTK008".to_owned()));
    let named = dir.path().join("site/fw.conf");
    let out = fortilint(elsewhere.path())
        .args(["check", "--format", "json", "--stdin-filename"])
        .arg(&named)
        .arg("-")
        .write_stdin(conf)
        .output()
        .unwrap();
    let v = json(&out.stdout);
    assert!(codes(&v).contains(&"FTK008".to_owned()));
    assert_eq!(v["files"][0]["path"], named.display().to_string());
}

#[test]
fn now_accepts_rfc3339_with_offsets() {
    let dir = workspace();
    for (now, shown) in [
        ("2024-05-01T14:00:00+02:00", "2024-05-01T12:00:00Z"),
        ("2024-05-01T07:00:00.250-05:00", "2024-05-01T12:00:00Z"),
        ("1714564800", "2024-05-01T12:00:00Z"),
    ] {
        let out = fortilint(dir.path())
            .args(["check", "--show-settings", "--now", now, "site"])
            .output()
            .unwrap();
        assert!(text(&out.stdout).contains(shown), "{now}");
    }
    let out = fortilint(dir.path())
        .args(["check", "--now", "2024-05-01 noon", "site"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("RFC 3339"));
}

#[test]
fn ignore_markers_take_names_and_variants_and_warn_on_unknown_codes() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(violation("orphan_activated_token")).unwrap();
    let run = |comment: &str| {
        let conf = base.replace(
            "set comments \"was k.meyer, account removed 2024-12\"",
            &format!("set comments \"{comment}\""),
        );
        std::fs::write(dir.path().join("fw.conf"), conf).unwrap();
        let out = fortilint(dir.path())
            .args(["check", "--color", "never", "fw.conf"])
            .output()
            .unwrap();
        (out.status.code(), text(&out.stdout))
    };
    let (code, s) = run("spare");
    assert_eq!(code, Some(0), "FTK014 is info: {s}");
    assert!(s.contains("FTK014"));
    for marker in [
        "FortiLint: Ignore orphan-activated-token",
        "fortilint:ignore ftk014",
        "spare; FORTILINT ignore=FTK014",
    ] {
        let (_, s) = run(marker);
        assert!(!s.contains("FTK014"), "{marker}: {s}");
    }
    let (_, s) = run("fortilint: ignore FTK914");
    assert!(s.contains("FTK014"), "{s}");
    assert!(s.contains("`FTK914`, which is no rule"), "{s}");
}
