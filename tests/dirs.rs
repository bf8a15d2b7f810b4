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

/// A folder where a note and a binary `.conf` sort before and between the configurations: the
/// walk finds all four by extension, the load sniffs them and drops the two that are not
/// configurations (the binary one silently, not as an error).
fn mixed() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy(
        "tests/fixtures/rules/activation_expired/violation.conf",
        &d.join("repo/b.conf"),
    );
    copy(
        "tests/fixtures/rules/activation_expired/clean.conf",
        &d.join("repo/c.conf"),
    );
    std::fs::write(
        d.join("repo/a-notes.txt"),
        "firewall replaced in May\nticket 4711\n",
    )
    .unwrap();
    std::fs::write(d.join("repo/x.conf"), b"\x8f\x00\x13binary\x00\x00").unwrap();
    dir
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("fortilint")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .args(["--now", "1700000000"])
        .output()
        .unwrap()
}

#[test]
fn walked_files_that_are_not_configurations_are_skipped_when_read() {
    let t = mixed();
    let out = run(t.path(), &["check", "--format", "json", "repo"]);
    assert_eq!(paths(&out.stdout), ["repo/b.conf", "repo/c.conf"]);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The exit code is that of the two configurations named.
    let named = run(
        t.path(),
        &["check", "--format", "json", "repo/b.conf", "repo/c.conf"],
    );
    assert_eq!(out.status.code(), named.status.code());
    // The findings point into the right file, though a skipped file sorted before it.
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        assert_eq!(f["path"], "repo/b.conf", "{f}");
    }
    let n: serde_json::Value = serde_json::from_slice(&named.stdout).unwrap();
    assert_eq!(v["findings"], n["findings"]);
    let sarif = run(t.path(), &["check", "--format", "sarif", "repo"]);
    let v: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    for r in results {
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "repo/b.conf", "{r}");
        assert_eq!(loc["region"]["startLine"], findings[0]["line"], "{r}");
    }
}

#[test]
fn fix_and_tokens_read_the_same_files_as_check() {
    let t = mixed();
    // Were the note or the binary file read, they would be errors (exit 2, named on stderr).
    let out = run(t.path(), &["tokens", "--format", "json", "repo"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tokens = v["tokens"].as_array().unwrap();
    assert!(!tokens.is_empty());
    let named = run(
        t.path(),
        &["tokens", "--format", "json", "repo/b.conf", "repo/c.conf"],
    );
    assert_eq!(out.stdout, named.stdout);
    let out = run(t.path(), &["fix", "repo"]);
    let named = run(t.path(), &["fix", "repo/b.conf", "repo/c.conf"]);
    assert_eq!(out.status.code(), named.status.code());
    assert_eq!(out.stdout, named.stdout);
    assert_eq!(out.stderr, named.stderr);
    assert!(!out.stdout.is_empty());
}

#[test]
fn a_folder_of_files_that_are_not_configurations_is_said_to_hold_none() {
    let t = mixed();
    let d = t.path();
    for f in ["a-notes.txt", "x.conf"] {
        std::fs::create_dir_all(d.join("only")).unwrap();
        std::fs::rename(d.join("repo").join(f), d.join("only").join(f)).unwrap();
    }
    for args in [
        &["check", "--format", "json", "only", "repo"][..],
        &["tokens", "--format", "json", "only", "repo"],
        &["check", "--show-settings", "only", "repo"],
    ] {
        let out = run(d, args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            err.matches("no FortiOS configuration found").count(),
            1,
            "{args:?}: {err}"
        );
        assert!(err.contains("found in only"), "{args:?}: {err}");
        assert_ne!(out.status.code(), Some(2), "{args:?}");
    }
    let out = run(d, &["check", "--format", "json", "only"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(paths(&out.stdout).is_empty());
    // --show-settings lists the files a run would read.
    let out = run(d, &["check", "--show-settings", "repo", "only"]);
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.contains("repo/b.conf") && s.contains("repo/c.conf"),
        "{s}"
    );
    assert!(!s.contains("x.conf") && !s.contains("a-notes"), "{s}");
}

#[test]
fn run_rules_point_into_the_right_files_after_a_skipped_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for f in ["fw-a.conf", "fw-b.conf"] {
        copy(
            &format!("tests/fixtures/rules/token_on_several_units/violation/{f}"),
            &d.join("repo").join(f),
        );
    }
    std::fs::write(d.join("repo/a-notes.txt"), "inventory notes\n").unwrap();
    let walked = run(d, &["check", "--format", "json", "repo"]);
    let named = run(
        d,
        &[
            "check",
            "--format",
            "json",
            "repo/fw-a.conf",
            "repo/fw-b.conf",
        ],
    );
    let codes = |o: &std::process::Output| {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["findings"].clone()
    };
    assert!(
        codes(&walked)
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "FTK012"),
        "{}",
        codes(&walked)
    );
    assert_eq!(codes(&walked), codes(&named));
}

#[test]
fn repo_context_keeps_its_boundary_when_walked_files_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy(
        "tests/fixtures/rules/token_on_several_units/violation/fw-a.conf",
        &d.join("repo/fw-a.conf"),
    );
    copy(
        "tests/fixtures/rules/token_on_several_units/violation/fw-b.conf",
        &d.join("other/fw-b.conf"),
    );
    // Skipped files in the linted folder and in the context folder, before the backups.
    std::fs::write(d.join("repo/a-notes.txt"), "inventory notes\n").unwrap();
    std::fs::write(d.join("other/a-notes.txt"), "more notes\n").unwrap();
    let check = |linted: &str| {
        run(
            d,
            &[
                "check",
                "--format",
                "json",
                "--repo-context",
                "other",
                linted,
            ],
        )
    };
    let walked = check("repo");
    let named = check("repo/fw-a.conf");
    let v: serde_json::Value = serde_json::from_slice(&walked.stdout).unwrap();
    assert_eq!(v["summary"]["files"], 1, "{v}");
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty(), "{v}");
    for f in findings {
        assert_eq!(f["path"], "repo/fw-a.conf", "{f}");
    }
    assert_eq!(walked.status.code(), named.status.code());
    assert_eq!(
        String::from_utf8_lossy(&walked.stdout),
        String::from_utf8_lossy(&named.stdout)
    );
}
