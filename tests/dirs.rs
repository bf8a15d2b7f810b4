//! Directory mode: recursive walk, VCS folders and `.gitignore`d files skipped, files chosen by
//! extension and sniffed content, explicit files always linted, `-` for stdin, unreadable
//! inputs reported without stopping the run, and output that does not depend on scheduling.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy(from: &str, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(root().join(from), to).unwrap();
}

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy(
        "samples/fortios-7.4-multi-vdom.conf",
        &d.join("hq/fw1.conf"),
    );
    copy(
        "samples/fortios-7.2-single-vdom.conf",
        &d.join("branch/a/FW-BRANCH"),
    );
    copy(
        "tests/fixtures/rules/duplicate_reg_id/violation.conf",
        &d.join("branch/b/lab.cfg"),
    );
    copy(
        "tests/fixtures/rules/activation_expired/violation.conf",
        &d.join("ignored/old.conf"),
    );
    copy(
        "tests/fixtures/rules/activation_expired/violation.conf",
        &d.join(".git/objects/x.conf"),
    );
    copy(
        "tests/fixtures/rules/activation_expired/violation.conf",
        &d.join("notes.md"),
    );
    std::fs::write(d.join("README.txt"), "notes about the firewalls\n").unwrap();
    std::fs::write(d.join(".gitignore"), "ignored/\n").unwrap();
    dir
}

fn paths(json: &[u8]) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(json).unwrap();
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn walk_picks_configs_and_skips_vcs_ignored_and_other_files() {
    let t = tree();
    let out = Command::cargo_bin("fortilint")
        .unwrap()
        .current_dir(t.path())
        .args(["check", "--format", "json", "--now", "1700000000", "."])
        .output()
        .unwrap();
    let got = paths(&out.stdout);
    assert_eq!(
        got,
        [
            "./branch/a/FW-BRANCH",
            "./branch/b/lab.cfg",
            "./hq/fw1.conf"
        ]
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn explicit_files_stdin_and_unreadable_inputs() {
    let t = tree();
    let stdin =
        std::fs::read(root().join("tests/fixtures/rules/locked_token_assigned/violation.conf"))
            .unwrap();
    let out = Command::cargo_bin("fortilint")
        .unwrap()
        .current_dir(t.path())
        .args([
            "check",
            "--format",
            "json",
            "--now",
            "1700000000",
            "notes.md",
            "missing.conf",
            "-",
            "hq",
        ])
        .write_stdin(stdin)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unreadable input makes the run exit 2"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = v["files"].as_array().unwrap();
    let status: Vec<(&str, &str)> = files
        .iter()
        .map(|f| (f["path"].as_str().unwrap(), f["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        status,
        [
            ("notes.md", "ok"),
            ("missing.conf", "unreadable"),
            ("<stdin>", "ok"),
            ("hq/fw1.conf", "ok")
        ]
    );
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"FTK003") && codes.contains(&"FTK010") && codes.contains(&"FTK002"),
        "{codes:?}"
    );
}

#[test]
fn output_does_not_depend_on_thread_count() {
    let t = tree();
    let run = |threads: &str| {
        Command::cargo_bin("fortilint")
            .unwrap()
            .current_dir(t.path())
            .env("RAYON_NUM_THREADS", threads)
            .args(["check", "--format", "json", "--now", "1700000000", "."])
            .output()
            .unwrap()
            .stdout
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    assert_eq!(one, run("8"));
}

#[test]
fn no_progress_is_accepted_and_pipes_get_no_bar() {
    let t = tree();
    let out = Command::cargo_bin("fortilint")
        .unwrap()
        .current_dir(t.path())
        .args(["check", "--no-progress", "--now", "1700000000", "."])
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::cargo_bin("fortilint")
        .unwrap()
        .current_dir(t.path())
        .args(["check", "--now", "1700000000", "."])
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "stderr is not a terminal here: no bar"
    );
}
