//! `fortilint.toml`, `--select`/`--ignore`, suppression comments and baselines.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fortilint(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("fortilint").unwrap();
    c.current_dir(dir);
    c
}

fn codes(out: &[u8]) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(out).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

/// A temp folder with the multi-VDOM sample (FTK002 and FTK003 in it) under `site/`.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("site")).unwrap();
    std::fs::copy(
        root().join("samples/fortios-7.4-multi-vdom.conf"),
        dir.path().join("site/fw.conf"),
    )
    .unwrap();
    dir
}

fn check(dir: &Path, extra: &[&str]) -> (i32, Vec<String>, String) {
    let out = fortilint(dir)
        .args(["check", "--format", "json", "--now", "1700000000"])
        .args(extra)
        .arg("site")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let codes = if out.stdout.is_empty() {
        Vec::new()
    } else {
        codes(&out.stdout)
    };
    (out.status.code().unwrap(), codes, err)
}

#[test]
fn config_found_upward_sets_migration_and_severities() {
    let w = workspace();
    let (_, base, _) = check(w.path(), &[]);
    assert!(
        base.contains(&"FTK002".to_owned()) && base.contains(&"FTK003".to_owned()),
        "{base:?}"
    );
    assert!(!base.contains(&"FTK001".to_owned()));
    std::fs::write(
        w.path().join("fortilint.toml"),
        "migration = true\n[rules]\nFTK003 = \"off\"\nduplicate-reg-id = \"info\"\n",
    )
    .unwrap();
    let out = fortilint(w.path())
        .args(["check", "--format", "json", "--now", "1700000000", "site"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["code"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect();
    assert!(found.contains(&("FTK001", "error")), "{found:?}");
    assert!(found.contains(&("FTK002", "info")), "{found:?}");
    assert!(!found.iter().any(|(c, _)| *c == "FTK003"), "{found:?}");
}

#[test]
fn unknown_config_key_is_an_error_naming_it() {
    let w = workspace();
    std::fs::write(w.path().join("fortilint.toml"), "migrations = true\n").unwrap();
    let (code, _, err) = check(w.path(), &[]);
    assert_eq!(code, 2);
    assert!(err.contains("migrations"), "{err}");
    std::fs::write(
        w.path().join("fortilint.toml"),
        "[[ignore]]\ncode = \"FTK002\"\nreason = \"x\"\nvdom = \"root\"\n",
    )
    .unwrap();
    let (code, _, err) = check(w.path(), &[]);
    assert_eq!(code, 2);
    assert!(err.contains("vdom"), "{err}");
}

#[test]
fn ignore_entries_by_token_user_and_path() {
    let w = workspace();
    let (_, base, _) = check(w.path(), &[]);
    std::fs::write(
        w.path().join("fortilint.toml"),
        "[[ignore]]\ncode = \"FTK003\"\ntoken = \"FTKMOB1C0ACB3DEA\"\nreason = \"user on leave\"\n",
    )
    .unwrap();
    let (_, got, _) = check(w.path(), &[]);
    assert_eq!(
        got.iter().filter(|c| *c == "FTK003").count() + 1,
        base.iter().filter(|c| *c == "FTK003").count()
    );
    std::fs::write(
        w.path().join("fortilint.toml"),
        "[[ignore]]\ncode = \"FTK\"\npath = \"site/*.conf\"\nreason = \"lab\"\n",
    )
    .unwrap();
    let (code, got, _) = check(w.path(), &[]);
    assert_eq!((code, got.len()), (0, 0));
    // --config overrides discovery.
    std::fs::write(w.path().join("other.toml"), "[rules]\nFTK002 = \"off\"\n").unwrap();
    let (_, got, _) = check(w.path(), &["--config", "other.toml"]);
    assert!(
        !got.contains(&"FTK002".to_owned()) && got.contains(&"FTK003".to_owned()),
        "{got:?}"
    );
}

#[test]
fn select_and_ignore_take_prefixes_and_names() {
    let w = workspace();
    let (_, got, _) = check(w.path(), &["--select", "FTK002"]);
    assert!(
        !got.is_empty() && got.iter().all(|c| c == "FTK002"),
        "{got:?}"
    );
    let (_, got, _) = check(w.path(), &["--ignore", "FTK00,duplicate-reg-id"]);
    assert!(got.iter().all(|c| !c.starts_with("FTK00")), "{got:?}");
    let (code, _, err) = check(w.path(), &["--select", "FTK9"]);
    assert_eq!(code, 2);
    assert!(err.contains("FTK9"), "{err}");
}

#[test]
fn comment_marker_suppresses_for_that_object() {
    let w = workspace();
    let text = std::fs::read_to_string(w.path().join("site/fw.conf")).unwrap();
    let marked = text.replacen("edit \"FTKMOB1C0ACB3DEA\"\n", "edit \"FTKMOB1C0ACB3DEA\"\n        set comments \"renewal pending; fortilint: ignore FTK003\"\n", 1);
    assert_ne!(marked, text);
    std::fs::write(w.path().join("site/fw.conf"), marked).unwrap();
    let (_, got, _) = check(w.path(), &[]);
    assert!(!got.contains(&"FTK003".to_owned()), "{got:?}");
}

#[test]
fn baseline_survives_a_reexport_with_moved_lines() {
    let w = workspace();
    let (code, _, err) = check(w.path(), &["--write-baseline", "baseline.json"]);
    assert_eq!(code, 0, "--write-baseline writes and passes: {err}");
    let (_, first, _) = check(w.path(), &[]);
    assert!(!first.is_empty());
    // Re-export: lines move (a new address block at the top), a new problem appears.
    let text = std::fs::read_to_string(w.path().join("site/fw.conf")).unwrap();
    let moved = text.replacen(
        "config global\n",
        "config global\nconfig system dns\n    set primary 192.0.2.53\nend\n",
        1,
    );
    let moved = format!(
        "{moved}config vdom\nedit root\nconfig user local\n    edit \"newbie\"\n        set two-factor fortitoken\n    next\nend\nnext\nend\n"
    );
    std::fs::write(w.path().join("site/fw.conf"), moved).unwrap();
    let (code, got, _) = check(w.path(), &["--baseline", "baseline.json"]);
    assert_eq!(got, ["FTK006"], "only the new finding");
    assert_eq!(code, 1);
}

#[test]
fn ignore_paths_and_baselines_do_not_depend_on_how_the_path_is_spelled() {
    let w = workspace();
    std::fs::write(
        w.path().join("fortilint.toml"),
        "[[ignore]]\ncode = \"FTK002\"\npath = \"site/*.conf\"\nreason = \"lab\"\n",
    )
    .unwrap();
    for target in [".", "site", "./site/fw.conf", "site/fw.conf"] {
        let out = fortilint(w.path())
            .args(["check", "--format", "json", "--now", "1700000000", target])
            .output()
            .unwrap();
        let got = codes(&out.stdout);
        assert!(
            !got.contains(&"FTK002".to_owned()) && got.contains(&"FTK003".to_owned()),
            "{target}: {got:?}"
        );
    }
    // From a sub-folder, the glob stays relative to the config file.
    let out = fortilint(&w.path().join("site"))
        .args([
            "check",
            "--format",
            "json",
            "--now",
            "1700000000",
            "fw.conf",
        ])
        .output()
        .unwrap();
    assert!(!codes(&out.stdout).contains(&"FTK002".to_owned()));
    std::fs::remove_file(w.path().join("fortilint.toml")).unwrap();
    // A baseline written with `check .` matches `check site/fw.conf` (what pre-commit passes).
    let out = fortilint(w.path())
        .args([
            "check",
            "--format",
            "json",
            "--now",
            "1700000000",
            "--write-baseline",
            "b.json",
            ".",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let out = fortilint(w.path())
        .args([
            "check",
            "--format",
            "json",
            "--now",
            "1700000000",
            "--baseline",
            "b.json",
            "site/fw.conf",
        ])
        .output()
        .unwrap();
    assert_eq!((out.status.code(), codes(&out.stdout).len()), (Some(0), 0));
}

#[test]
fn fortimanager_rule_sees_findings_whatever_is_selected() {
    let f = root().join("tests/fixtures/rules/managed_by_fortimanager/violation.conf");
    let out = fortilint(&root())
        .args([
            "check",
            "--format",
            "json",
            "--now",
            "1700000000",
            "--select",
            "FTK011",
        ])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(codes(&out.stdout), ["FTK011"]);
    // But a token finding switched off in the config does not count.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(&f, dir.path().join("fw.conf")).unwrap();
    std::fs::write(
        dir.path().join("fortilint.toml"),
        "[rules]\nFTK003 = \"off\"\n",
    )
    .unwrap();
    let out = fortilint(dir.path())
        .args([
            "check",
            "--format",
            "json",
            "--now",
            "1700000000",
            "fw.conf",
        ])
        .output()
        .unwrap();
    assert!(codes(&out.stdout).is_empty());
}
