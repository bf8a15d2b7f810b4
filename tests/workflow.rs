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

#[test]
fn baselines_are_keyed_by_the_repository_root_whatever_the_cwd() {
    let dir = workspace();
    let d = dir.path();
    std::fs::create_dir_all(d.join(".git")).unwrap();
    std::fs::create_dir_all(d.join("elsewhere")).unwrap();
    let out = fortilint(d)
        .args(["check", "--write-baseline", "known.json", "site"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("wrote") && err.contains("known.json"), "{err}");
    let b = json(&std::fs::read(d.join("known.json")).unwrap());
    assert_eq!(b["version"], 2);
    let paths: Vec<&str> = b["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["path"].as_str().unwrap())
        .collect();
    assert!(
        !paths.is_empty() && paths.iter().all(|p| *p == "site/fw.conf"),
        "{paths:?}"
    );
    // Another working directory and another spelling: everything is known.
    let abs = d.join("site/../site/fw.conf");
    for (cwd, target) in [
        (d.join("elsewhere"), abs.display().to_string()),
        (d.join("site"), "./fw.conf".to_owned()),
        (d.to_path_buf(), ".".to_owned()),
    ] {
        let out = fortilint(&cwd)
            .args(["check", "--format", "json", "--baseline"])
            .arg(d.join("known.json"))
            .arg(&target)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{target} from {}",
            cwd.display()
        );
        assert!(codes(&json(&out.stdout)).is_empty());
    }
    // An unknown baseline version is an error, not an empty baseline.
    std::fs::write(d.join("old.json"), r#"{"version": 9, "findings": []}"#).unwrap();
    let out = fortilint(d)
        .args(["check", "--baseline", "old.json", "site"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("version 9"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn without_git_the_config_folder_is_the_root() {
    let dir = workspace();
    let d = dir.path();
    fortilint(d)
        .args(["check", "--write-baseline", "known.json", "site/fw.conf"])
        .assert()
        .success();
    let b = json(&std::fs::read(d.join("known.json")).unwrap());
    assert_eq!(b["findings"][0]["path"], "site/fw.conf");
    let out = fortilint(&d.join("site"))
        .args(["check", "--baseline", "../known.json", "fw.conf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn named_files_that_are_not_fortios_are_skipped_with_a_note() {
    let dir = workspace();
    let d = dir.path();
    std::fs::write(
        d.join("NOTES.txt"),
        "firewall replaced in May\nticket 4711\n",
    )
    .unwrap();
    std::fs::write(d.join("backup.log"), "2024-05-01 backup taken\n").unwrap();
    let out = fortilint(d)
        .args(["check", "--isolated", "NOTES.txt", "backup.log"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(
        err.contains("skipping NOTES.txt") && err.contains("skipping backup.log"),
        "{err}"
    );
    // A broken backup named explicitly is still an error.
    std::fs::write(
        d.join("broken.conf"),
        "config system global\n    frobnicate\nend\n",
    )
    .unwrap();
    let out = fortilint(d)
        .args(["check", "NOTES.txt", "broken.conf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn repo_context_lets_a_hook_see_the_other_backups_for_ftk012() {
    let several = root().join("tests/fixtures/rules/token_on_several_units/violation");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for f in ["fw-a.conf", "fw-b.conf"] {
        std::fs::copy(several.join(f), d.join(f)).unwrap();
    }
    let run = |extra: &[&str]| {
        let out = fortilint(d)
            .args(["check", "--format", "json", "--now", "1700000000"])
            .args(extra)
            .arg("fw-b.conf")
            .output()
            .unwrap();
        (out.status.code(), json(&out.stdout))
    };
    let (code, v) = run(&[]);
    assert_eq!((code, codes(&v)), (Some(0), vec![]));
    let (code, v) = run(&["--repo-context", "."]);
    assert_eq!(code, Some(1));
    assert_eq!(codes(&v), ["FTK012"], "only about the linted file");
    assert_eq!(v["findings"][0]["path"], "fw-b.conf");
    assert_eq!(v["findings"][0]["related"][0]["path"], "./fw-a.conf");
    assert_eq!(v["summary"]["files"], 1, "the context file is not counted");
}

const MIGRATION: &str = "samples/fortios-7.4-tokens-migration.conf";

fn tokens(format: &str) -> (Option<i32>, String) {
    let out = fortilint(&root())
        .args([
            "tokens",
            "--migration",
            "--now",
            "1700000000",
            "--format",
            format,
        ])
        .arg(MIGRATION)
        .output()
        .unwrap();
    (out.status.code(), text(&out.stdout))
}

#[test]
fn tokens_json_carries_findings_actions_delivery_and_totals() {
    let (code, s) = tokens("json");
    assert_eq!(code, Some(0));
    let v = json(s.as_bytes());
    let t = &v["tokens"];
    let by_serial = |serial: &str| {
        t.as_array()
            .unwrap()
            .iter()
            .find(|r| r["serial"] == serial)
            .unwrap()
            .clone()
    };
    let hw = by_serial("FTK200QX7M0UEL9U");
    // A seeded hardware token is FTK001's (the lock wording); never deleted, only checked.
    assert_eq!(hw["findings"], serde_json::json!(["FTK001"]));
    assert!(
        hw["action"]
            .as_str()
            .unwrap()
            .contains("TAC lock reset only if locked")
    );
    assert_eq!(hw["unit"], "FGT80F-DC-EDGE");
    let trial = by_serial("FTKMOBCB580FAC27");
    assert_eq!(trial["holders"][0]["delivery"], "email+sms");
    assert!(trial["action"].as_str().unwrap().contains("trial pair"));
    // In migration mode an expired activation takes the migration path (re-import).
    assert!(
        by_serial("FTKMOB93AFBB8B64")["action"]
            .as_str()
            .unwrap()
            .starts_with("re-issue: delete, import licence EFTM1788915947")
    );
    assert_eq!(
        v["totals"],
        serde_json::json!({"tokens_to_reissue": 8, "tokens_to_reprovision": 0,
                           "holders_to_notify": 6, "tickets_to_open": 1})
    );
}

#[test]
fn tokens_table_and_csv_list_actions_and_totals() {
    let (_, table) = tokens("table");
    insta::assert_snapshot!("tokens-action-table", table);
    assert!(table.ends_with(
        "Totals: 8 tokens to re-issue, 0 tokens to re-provision, 6 holders to notify, 1 support ticket to open\n"
    ));
    let (_, csv) = tokens("csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 10, "header and 9 tokens");
    assert!(lines[0].starts_with("path,unit,vdom,serial,kind"));
    let hw = lines
        .iter()
        .find(|l| l.contains("FTK200QX7M0UEL9U"))
        .unwrap();
    assert!(
        hw.contains(",FTK001,") && hw.contains("admin:net.admin (email)"),
        "{hw}"
    );
    // A field with a comma is quoted.
    assert!(csv.contains(
        "\"re-issue: delete, import licence EFTM1788915947 (new code from Customer Service), reassign\""
    ));
}

fn find_chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|n| std::env::split_paths(&path).map(move |d| d.join(n)))
        .find(|p| p.is_file())
}

/// The HTML page is self-contained (no network) and renders in headless Chromium: the DOM it
/// builds holds the totals, one row per token with the planned action, and the page prints
/// to a PDF.
#[test]
fn tokens_html_renders_in_headless_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("tokens.html");
    let out = fortilint(&root())
        .args([
            "tokens",
            "--migration",
            "--now",
            "1700000000",
            "--format",
            "html",
            "-o",
        ])
        .arg(&page)
        .arg(MIGRATION)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let html = std::fs::read_to_string(&page).unwrap();
    for remote in ["http:", "https:", "src=", "<link", "@import", "url("] {
        assert!(!html.contains(remote), "not self-contained: {remote}");
    }
    assert!(html.contains("@media print"));
    let Some(chromium) = find_chromium() else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true but chromium is not installed (.ci/run installs it)");
        }
        eprintln!("skipped: chromium not found on PATH (apt-get install chromium)");
        return;
    };
    let profile = dir.path().join("profile");
    let flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];
    let url = format!("file://{}", page.display());
    let run = |extra: &[String]| {
        std::process::Command::new(&chromium)
            .args(flags)
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(extra)
            .arg(&url)
            .output()
            .unwrap()
    };
    let out = run(&["--dump-dom".to_owned()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let dom = text(&out.stdout);
    assert!(dom.contains("<h1>FortiToken action plan</h1>"), "{dom}");
    assert!(
        dom.contains("<th>Tokens to re-issue</th><td>8</td>"),
        "{dom}"
    );
    assert!(dom.contains("<th>Support tickets to open</th><td>1</td>"));
    assert_eq!(
        dom.matches("<td class=\"serial\">").count(),
        9,
        "one row per token"
    );
    assert_eq!(dom.matches("<tr class=\"act\">").count(), 8, "8 re-issued");
    assert!(dom.contains("admin:net.admin (email)"));
    assert!(dom.contains("check status; TAC lock reset only if locked, then one activation"));
    // Secrets never reach the page.
    assert!(!dom.contains("ENC "));
    let pdf = dir.path().join("tokens.pdf");
    let out = run(&[
        format!("--print-to-pdf={}", pdf.display()),
        "--no-pdf-header-footer".to_owned(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF") && bytes.len() > 1000);
}

#[test]
fn gitlab_code_quality_report() {
    let dir = workspace();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    let out = fortilint(&dir.path().join("site"))
        .args(["check", "--format", "gitlab", "fw.conf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out.stdout);
    let issues = v.as_array().unwrap();
    assert!(!issues.is_empty());
    let mut fps = std::collections::HashSet::new();
    for i in issues {
        assert!(i["description"].as_str().unwrap().starts_with("FTK"));
        assert!(i["check_name"].as_str().unwrap().starts_with("FTK"));
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&i["severity"].as_str().unwrap())
        );
        assert_eq!(i["location"]["path"], "site/fw.conf", "repository-relative");
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap() > 0);
        assert!(
            fps.insert(i["fingerprint"].as_str().unwrap().to_owned()),
            "unique"
        );
    }
    // A file that does not parse is a blocker.
    std::fs::write(
        dir.path().join("site/bad.conf"),
        "config system global\n  oops\nend\n",
    )
    .unwrap();
    let out = fortilint(dir.path())
        .args(["check", "--format", "gitlab", "site/bad.conf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&out.stdout)[0]["severity"], "blocker");
}

#[test]
fn junit_report_has_one_case_per_file() {
    let out = fortilint(&root())
        .args(["check", "--format", "junit", "--now", "1700000000"])
        .arg("tests/fixtures/rules/duplicate_reg_id/violation.conf")
        .arg("tests/fixtures/rules/duplicate_reg_id/clean.conf")
        .arg("tests/fixtures/malformed/stray-end.conf")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let xml = text(&out.stdout);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
    assert!(
        xml.contains("tests=\"3\" failures=\"1\" errors=\"1\""),
        "{xml}"
    );
    assert_eq!(xml.matches("<testcase ").count(), 3);
    assert_eq!(xml.matches("<failure ").count(), 1);
    assert_eq!(xml.matches("<error ").count(), 1);
    assert!(xml.contains("FTK002"));
    // Well formed enough: every case closed, nothing unescaped in attributes.
    assert_eq!(xml.matches("</testcase>").count(), 3);
    insta::assert_snapshot!("junit", xml);
}

#[test]
fn human_report_fits_100_columns_groups_per_token_and_counts_honestly() {
    let out = fortilint(&root())
        .env_remove("COLUMNS")
        .args([
            "check",
            "--migration",
            "--color",
            "never",
            "--now",
            "1700000000",
        ])
        .arg(MIGRATION)
        .arg("tests/fixtures/rules/duplicate_reg_id/violation.conf")
        .arg("tests/fixtures/rules/activation_expired/violation.conf")
        .arg("tests/fixtures/malformed/stray-end.conf")
        .output()
        .unwrap();
    let s = text(&out.stdout);
    for line in s.lines() {
        assert!(
            line.chars().count() <= 100,
            "{} columns: {line}",
            line.chars().count()
        );
    }
    // Secrets masked at a fixed width, long reg-ids shortened.
    assert!(s.contains("set seed ENC ********\n"), "{s}");
    assert!(s.contains("…"), "{s}");
    // Plurals right.
    assert!(!s.contains("(s)"), "{s}");
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("shares its phone registration with"), "{s}");
    // Outside migration mode the expired activation is FTK003's, counted in days.
    let expired = fortilint(&root())
        .args(["check", "--color", "never", "--now", "1700000000"])
        .arg("tests/fixtures/rules/activation_expired/violation.conf")
        .output()
        .unwrap();
    let e = text(&expired.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(e.contains("days ago") && !e.contains("(s)"), "{e}");
    // The pending token's FTK001 and FTK003 (implausible deadline) are one block.
    let blocks = s.matches("token FTKMOB558C1530A4 carries state").count();
    assert_eq!(blocks, 1);
    assert!(
        s.contains("= also FTK003 (activation-expired, warning)"),
        "{s}"
    );
    assert!(!s.contains("warning[FTK003]: activation of token FTKMOB558C1530A4"));
    // A help given word for word is not repeated in every block.
    assert_eq!(
        s.matches("help: have Customer Service transfer licence EFTM1788915947")
            .count(),
        1,
        "{s}"
    );
    assert!(s.contains("help: as for FTK001 on user fortitoken/"), "{s}");
    // The summary names the file that could not be parsed.
    let last = s.lines().last().unwrap();
    assert!(
        last.contains("in 4 files (1 file could not be read or parsed)"),
        "{last}"
    );
    // A narrower terminal is honoured.
    let out = fortilint(&root())
        .env("COLUMNS", "80")
        .args([
            "check",
            "--migration",
            "--color",
            "never",
            "--now",
            "1700000000",
        ])
        .arg(MIGRATION)
        .output()
        .unwrap();
    let long: Vec<_> = text(&out.stdout)
        .lines()
        .filter(|l| l.chars().count() > 80)
        .map(str::to_owned)
        .collect();
    assert!(long.is_empty(), "{long:#?}");
}

#[test]
fn concise_carries_severity_and_fixable_marker_and_statistics_count_per_rule() {
    let out = fortilint(&root())
        .args([
            "check",
            "--format",
            "concise",
            "--migration",
            "--now",
            "1700000000",
        ])
        .arg(MIGRATION)
        .output()
        .unwrap();
    let s = text(&out.stdout);
    assert!(
        s.lines()
            .any(|l| l.contains(": FTK001 [*] error: hardware token FTK200QX7M0UEL9U")),
        "{s}"
    );
    assert!(s.lines().any(|l| l.contains(": FTK010 warning: ")), "{s}");
    assert!(s.lines().any(|l| l.contains(": FTK014 info: ")), "{s}");
    let out = fortilint(&root())
        .args([
            "check",
            "--statistics",
            "--migration",
            "--now",
            "1700000000",
        ])
        .arg(MIGRATION)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let s = text(&out.stdout);
    let first = s.lines().next().unwrap();
    assert!(first.contains("FTK001") && first.contains("[*]"), "{s}");
    let n: usize = first.split_whitespace().next().unwrap().parse().unwrap();
    assert_eq!(n, 7, "{s}");
    assert!(
        s.lines().any(|l| l.trim_start().starts_with("1  FTK010")),
        "{s}"
    );
}

#[test]
fn secrets_stay_masked_in_the_new_formats() {
    let file = root().join("tests/fixtures/rules/seeded_token_migration/violation.conf");
    let conf = std::fs::read_to_string(&file).unwrap();
    let seed = conf
        .lines()
        .find_map(|l| l.trim().strip_prefix("set seed ENC "))
        .unwrap()
        .to_owned();
    for args in [
        &["check", "--migration", "--format", "gitlab"][..],
        &["check", "--migration", "--format", "junit"],
        &["check", "--migration", "--statistics"],
        &["tokens", "--migration", "--format", "html"],
        &["tokens", "--migration", "--format", "csv"],
    ] {
        let out = fortilint(&root()).args(args).arg(&file).output().unwrap();
        assert!(!text(&out.stdout).contains(&seed), "{args:?}");
    }
}

#[test]
fn completions_complete_options_and_values() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = fortilint(dir.path())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let s = text(&out.stdout);
        assert!(
            s.contains("exit-zero") && s.contains("repo-context"),
            "{shell}"
        );
    }
    let out = fortilint(dir.path())
        .args(["completions", "bash"])
        .output()
        .unwrap();
    let script = dir.path().join("fortilint.bash");
    std::fs::write(&script, &out.stdout).unwrap();
    // Run the completion function the way bash does on <TAB>.
    let complete = |words: &str, cword: usize, cur: &str, prev: &str| {
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!(
                "source '{}'; COMP_WORDS=({words}); COMP_CWORD={cword}; \
                 _fortilint fortilint '{cur}' '{prev}'; echo \"${{COMPREPLY[@]}}\"",
                script.display()
            ))
            .output()
            .unwrap();
        text(&out.stdout).trim().to_owned()
    };
    assert_eq!(
        complete("fortilint check --exit", 2, "--exit", "check"),
        "--exit-zero"
    );
    assert_eq!(
        complete("fortilint tokens --format ''", 3, "", "--format"),
        "table json csv html"
    );
    let out = fortilint(dir.path())
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}

#[test]
fn man_page_documents_every_command_and_option() {
    let out = fortilint(&root()).arg("man").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let roff = text(&out.stdout);
    assert!(
        roff.starts_with(".ie \\n(.g .ds Aq") || roff.contains(".TH fortilint"),
        "{roff:.200}"
    );
    assert!(roff.contains(".TH fortilint 1"));
    for section in [
        "FORTILINT CHECK",
        "FORTILINT FIX",
        "FORTILINT TOKENS",
        "FORTILINT COMPLETIONS",
    ] {
        assert!(roff.contains(&format!(".SH \"{section}\"")), "{section}");
    }
    for opt in [
        "exit\\-zero",
        "show\\-settings",
        "stdin\\-filename",
        "repo\\-context",
        "statistics",
    ] {
        assert!(roff.contains(opt), "{opt}");
    }
    // man(1) renders it when available.
    let Ok(child) = std::process::Command::new("man")
        .args(["-l", "-"])
        .env("MANWIDTH", "80")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
    else {
        eprintln!("skipped rendering: no man(1)");
        return;
    };
    use std::io::Write as _;
    let mut child = child;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(roff.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    if out.status.success() {
        let page = text(&out.stdout);
        assert!(
            page.contains("--exit-zero") || page.contains("‐‐exit‐zero"),
            "{page:.400}"
        );
    }
}
