//! The command line: exit codes, per-file errors that do not stop a run, JSON shapes,
//! malformed inputs, the token inventory.

use std::path::Path;

use assert_cmd::Command;

fn fortilint() -> Command {
    let mut c = Command::cargo_bin("fortilint").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR");
    c
}

fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(out)))
}

#[test]
fn malformed_inputs_are_located_and_exit_2() {
    insta::glob!("fixtures/malformed/*.conf", |path| {
        let rel = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
        let out = fortilint()
            .args(["check", "--color", "never"])
            .arg(rel)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", rel.display());
        insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
    });
}

#[test]
fn one_bad_file_does_not_stop_the_run() {
    let out = fortilint()
        .args([
            "check",
            "--format",
            "json",
            "tests/fixtures/malformed/stray-end.conf",
            "samples/fortios-7.2-single-vdom.conf",
            "no/such/file.conf",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out.stdout);
    assert_eq!(v["version"], 1);
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 3);
    assert_eq!(files[0]["status"], "parse-error");
    assert_eq!(files[0]["error"]["line"], 10);
    assert_eq!(files[0]["error"]["column"], 1);
    assert_eq!(files[1]["status"], "ok");
    assert_eq!(files[1]["model"], "FGT60F");
    assert_eq!(files[1]["firmware"], "7.2.8");
    assert_eq!(files[1]["build"], 1639);
    assert_eq!(files[1]["vdom_mode"], false);
    assert_eq!(files[1]["error"], serde_json::Value::Null);
    assert_eq!(files[2]["status"], "unreadable");
    assert_eq!(v["summary"]["files"], 3);
    assert_eq!(v["summary"]["parse_errors"], 2);
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.to_string_lossy().into_owned()
}

#[test]
fn binary_and_foreign_inputs_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut enc =
        b"#config-version=FGT60F-7.2.5-FW-build1517-230606:opmode=0:vdom=0:user=admin\n".to_vec();
    enc.extend([0x8f, 0x00, 0x13, 0xfe, 0x41, 0x99]);
    let cases = [
        (write(d, "enc.conf", &enc), "encrypted backup", Some((2, 1))),
        (write(d, "nul.conf", b"config a\nend\0\n"), "NUL byte", Some((2, 4))),
        (write(d, "latin1.conf", b"config a\n    set alias \"caf\xe9\"\nend\n"), "invalid UTF-8", Some((2, 19))),
        (write(d, "empty.conf", b""), "empty file", None),
        (write(d, "yaml.conf", b"#config-version=FGT60F-7.2.5-FW-build1517-230606:opmode=0:vdom=0:user=admin\nsystem_global:\n    hostname: \"x\"\n"), "YAML", Some((2, 1))),
    ];
    for (path, words, at) in cases {
        let out = fortilint()
            .args(["check", "--format", "json", &path])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{path}");
        let v = json(&out.stdout);
        let e = &v["files"][0]["error"];
        assert!(
            e["message"].as_str().unwrap().contains(words),
            "{path}: {e}"
        );
        if let Some((l, c)) = at {
            assert_eq!(
                (e["line"].as_u64(), e["column"].as_u64()),
                (Some(l), Some(c)),
                "{path}"
            );
        }
        // The human format says the same, with the place.
        let out = fortilint()
            .args(["check", "--color", "never", &path])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(words), "{text}");
        assert!(text.contains("help:"), "{text}");
    }
}

#[test]
fn fragment_without_final_end_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "snippet.conf", b"FGT-A # show user fortitoken\nconfig user fortitoken\n    edit \"FTK2000BHV1KRZCC\"\n    next\n");
    let out = fortilint()
        .args(["check", "--format", "json", &p])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out.stdout);
    assert_eq!(v["files"][0]["status"], "ok");
    let w = v["files"][0]["warnings"][0]["message"].as_str().unwrap();
    assert!(w.contains("missing final `end`"), "{w}");
    assert_eq!(v["files"][0]["warnings"][0]["line"], 2);
}

#[test]
fn stdin_is_read_with_dash() {
    let out = fortilint()
        .args(["tokens", "--format", "json", "-"])
        .write_stdin("config user fortitoken\n    edit \"FTKMOB42A1AAF752\"\n        set license \"FTMTRIAL0401A296\"\n    next\nend\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out.stdout);
    assert_eq!(v["tokens"][0]["path"], "<stdin>");
    assert_eq!(v["tokens"][0]["trial"], true);
    assert_eq!(v["tokens"][0]["state"], "available");
}

#[test]
fn token_inventory_json_and_table() {
    for sample in [
        "samples/fortios-7.4-tokens-migration.conf",
        "samples/fortios-7.4-multi-vdom.conf",
    ] {
        let out = fortilint()
            .args([
                "tokens",
                "--format",
                "json",
                "--now",
                "2023-11-14T22:13:20Z",
                sample,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let v = json(&out.stdout);
        insta::assert_json_snapshot!(
            format!(
                "tokens-json-{}",
                Path::new(sample).file_stem().unwrap().to_string_lossy()
            ),
            v
        );
        let out = fortilint()
            .args(["tokens", "--now", "1700000000", sample])
            .output()
            .unwrap();
        insta::assert_snapshot!(
            format!(
                "tokens-table-{}",
                Path::new(sample).file_stem().unwrap().to_string_lossy()
            ),
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn tokens_reports_unparsable_files_on_stderr() {
    let out = fortilint()
        .args([
            "tokens",
            "samples/fortios-7.2-single-vdom.conf",
            "tests/fixtures/malformed/unterminated-quote.conf",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("FTKMOBA84BBA0793"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unterminated double quote"));
}

#[test]
fn usage_errors_exit_2() {
    let out = fortilint()
        .args(["check", "--format", "xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = fortilint()
        .args(["check", "--now", "someday", "samples"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn parse_error_on_a_huge_line_is_named_not_printed() {
    let dir = tempfile::tempdir().unwrap();
    let mut text =
        String::from("config system replacemsg-image\n    edit \"x\"\n        set image-base64 \"");
    text.push_str(&"A".repeat(300_000));
    text.push('\n');
    let p = write(dir.path(), "huge.conf", text.as_bytes());
    let out = fortilint()
        .args(["check", "--color", "never", &p])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.len() < 2000, "{} bytes of output", s.len());
    assert!(
        s.contains("huge.conf:3:26: unterminated double quote"),
        "{s}"
    );
}

#[test]
fn selecting_a_migration_only_rule_without_migration_says_so() {
    let sample = "samples/fortios-7.2-single-vdom.conf";
    let stderr = |args: &[&str]| {
        let out = fortilint().args(args).output().unwrap();
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let warned = stderr(&[
        "check",
        "--select",
        "FTK001,trial-token-migration,FTK006",
        sample,
    ]);
    let lines: Vec<&str> = warned.lines().collect();
    assert_eq!(
        lines,
        [
            "fortilint: warning: FTK001 (seeded-token-migration) runs only with --migration (or `migration = true` in fortilint.toml); it was selected but will not run",
            "fortilint: warning: FTK008 (trial-token-migration) runs only with --migration (or `migration = true` in fortilint.toml); it was selected but will not run",
        ],
        "one line per migration-only rule, none for FTK006"
    );
    let fix = stderr(&["fix", "--select", "ftk009", sample]);
    assert!(
        fix.contains("FTK009 (hardware-token-activation-lock) runs only with --migration"),
        "{fix}"
    );
    for quiet in [
        &["check", "--migration", "--select", "FTK001", sample][..],
        // A prefix selects a group; it does not name the rule.
        &["check", "--select", "FTK00", sample][..],
        // `migration = true` in the fixture folder's fortilint.toml.
        &[
            "check",
            "--select",
            "FTK008",
            "tests/fixtures/rules/trial_token_migration/clean.conf",
        ][..],
    ] {
        let text = stderr(quiet);
        assert!(
            !text.contains("runs only with --migration"),
            "{quiet:?}: {text}"
        );
    }
}

#[test]
fn endless_inputs_are_refused_not_buffered() {
    // `/dev/zero` as a path and as stdin: named as binary from its first bytes; the run ends.
    let out = fortilint()
        .args(["check", "--format", "json", "/dev/zero"])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2);
    let v = json(&out.get_output().stdout);
    assert_eq!(v["files"][0]["status"], "parse-error", "{v}");
    let stdin = std::fs::File::open("/dev/zero").unwrap();
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("fortilint"))
        .args(["check", "-"])
        .stdin(stdin)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("NUL byte"), "{text}");
}
