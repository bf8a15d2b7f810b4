//! Rule fixtures (`tests/fixtures/rules/<rule_name>/`): every `.conf` file is linted alone and
//! every sub-folder as one run. The first line says what must happen (`# expect: FTK003 fires`
//! or `# expect: clean`; `# also: FTK0xx fires` lines allow findings of other rules). Each
//! fixture's human report is pinned by an insta snapshot.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use fortilint::rules::registry::RULES;

const NOW: &str = "1700000000";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fortilint() -> Command {
    let mut c = Command::cargo_bin("fortilint").unwrap();
    c.current_dir(root());
    c
}

/// (fixture path relative to the repo, files to lint, expectation text)
fn fixtures() -> Vec<(String, Vec<PathBuf>, String)> {
    let mut out = Vec::new();
    let base = root().join("tests/fixtures/rules");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&base)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for e in entries {
            let rel = e
                .strip_prefix(root())
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if e.is_dir() {
                let mut files: Vec<PathBuf> = std::fs::read_dir(&e)
                    .unwrap()
                    .map(|x| x.unwrap().path())
                    .collect();
                files.sort();
                let head = std::fs::read_to_string(&files[0]).unwrap();
                out.push((rel, files, head));
            } else if e.extension().is_some_and(|x| x == "conf") {
                let head = std::fs::read_to_string(&e).unwrap();
                out.push((rel, vec![e], head));
            }
        }
    }
    out
}

fn codes_in(line_prefix: &str, text: &str) -> BTreeSet<String> {
    text.lines()
        .take(4)
        .filter(|l| l.starts_with(line_prefix))
        .flat_map(|l| {
            l.split_whitespace()
                .filter(|w| w.starts_with("FTK"))
                .map(str::to_owned)
        })
        .collect()
}

fn run_json(files: &[PathBuf], extra: &[&str]) -> (i32, serde_json::Value) {
    let out = fortilint()
        .args(["check", "--format", "json", "--now", NOW])
        .args(extra)
        .args(files)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap();
    (out.status.code().unwrap(), v)
}

#[test]
fn every_rule_fires_on_violations_and_stays_quiet_on_clean_fixtures() {
    let all = fixtures();
    for rule in RULES {
        let m = rule.meta();
        let dir = m.name.replace('-', "_");
        let mine: Vec<_> = all
            .iter()
            .filter(|(rel, _, _)| rel.starts_with(&format!("tests/fixtures/rules/{dir}/")))
            .collect();
        assert!(
            mine.iter().any(|(r, _, _)| r.contains("violation")),
            "{} has no violation fixture",
            m.code
        );
        assert!(
            mine.iter().any(|(r, _, _)| r.contains("clean")),
            "{} has no clean fixture",
            m.code
        );
        assert!(
            root()
                .join("docs/rules")
                .join(format!("{dir}.md"))
                .is_file(),
            "{} has no docs page",
            m.code
        );
    }
    for (rel, files, head) in &all {
        let expect = codes_in("# expect:", head);
        let also = codes_in("# also:", head);
        let clean = head.lines().next().unwrap_or("").contains("clean") || rel.ends_with("/clean");
        let (code, v) = run_json(files, &[]);
        let found: BTreeSet<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(v["summary"]["parse_errors"], 0, "{rel}");
        if clean {
            assert!(
                found.is_subset(&also),
                "{rel}: expected clean, got {found:?}"
            );
        } else {
            assert!(!expect.is_empty(), "{rel}: no expectation line");
            let allowed: BTreeSet<String> = expect.union(&also).cloned().collect();
            assert!(
                expect.is_subset(&found),
                "{rel}: expected {expect:?}, got {found:?}"
            );
            assert!(
                found.is_subset(&allowed),
                "{rel}: unexpected findings {found:?}"
            );
            let serious = v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["severity"] != "info");
            assert_eq!(
                code,
                i32::from(serious),
                "{rel}: findings at warning or above exit 1, info alone 0"
            );
        }
    }
}

#[test]
fn fixture_reports_snapshot() {
    for (rel, files, _) in fixtures() {
        let out = fortilint()
            .args(["check", "--color", "never", "--now", NOW])
            .args(files.iter().map(|f| f.strip_prefix(root()).unwrap()))
            .output()
            .unwrap();
        let name = rel
            .trim_start_matches("tests/fixtures/rules/")
            .trim_end_matches(".conf")
            .replace('/', "__");
        insta::assert_snapshot!(name, String::from_utf8_lossy(&out.stdout));
    }
}

#[test]
fn migration_rules_need_migration_mode() {
    let dir = tempfile::tempdir().unwrap();
    for rule in [
        "seeded_token_migration",
        "trial_token_migration",
        "hardware_token_activation_lock",
    ] {
        let src = root().join(format!("tests/fixtures/rules/{rule}/violation.conf"));
        let copy = dir.path().join(format!("{rule}.conf"));
        std::fs::copy(&src, &copy).unwrap();
        let (code, v) = run_json(std::slice::from_ref(&copy), &[]);
        assert_eq!(
            (code, v["findings"].as_array().unwrap().len()),
            (0, 0),
            "{rule} without --migration"
        );
        let (_, v) = run_json(std::slice::from_ref(&copy), &["--migration"]);
        assert!(
            !v["findings"].as_array().unwrap().is_empty(),
            "{rule} with --migration"
        );
    }
}

#[test]
fn exit_codes_follow_fail_on() {
    let orphan = [root().join("tests/fixtures/rules/orphan_activated_token/violation.conf")];
    assert_eq!(
        run_json(&orphan, &[]).0,
        0,
        "info is below the default --fail-on warning"
    );
    assert_eq!(run_json(&orphan, &["--fail-on", "info"]).0, 1);
    let lock = [root().join("tests/fixtures/rules/locked_token_assigned/violation.conf")];
    assert_eq!(run_json(&lock, &[]).0, 1);
    assert_eq!(run_json(&lock, &["--fail-on", "error"]).0, 0);
    let clean = [root().join("samples/fortios-7.2-single-vdom.conf")];
    assert_eq!(run_json(&clean, &[]).0, 0);
}

/// Secret values as the fixture text holds them, found without fortilint's own code.
fn secrets_of(text: &str) -> Vec<String> {
    const KEYS: [&str; 7] = [
        "seed",
        "activation-code",
        "passwd",
        "password",
        "private-key",
        "psksecret",
        "old-password",
    ];
    let mut out = Vec::new();
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let words: Vec<&str> = code.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        if *w == "ENC"
            && let Some(v) = words.get(i + 1)
        {
            out.push((*v).to_owned());
        }
        if i > 0
            && words[i - 1] == "set"
            && KEYS.contains(w)
            && let Some(v) = words.get(i + 1).filter(|v| **v != "ENC")
        {
            out.push(v.trim_matches('"').to_owned());
        }
    }
    for body in text.split("-----BEGIN").skip(1) {
        if let Some(line) = body.lines().nth(1) {
            out.push(line.to_owned());
        }
    }
    out.retain(|s| s.len() >= 6);
    out
}

#[test]
fn no_secret_reaches_any_format() {
    let mut checked = 0;
    let mut inputs: Vec<(String, Vec<PathBuf>)> =
        fixtures().into_iter().map(|(r, f, _)| (r, f)).collect();
    for s in [
        "samples/fortios-7.4-multi-vdom.conf",
        "samples/fortios-7.4-tokens-migration.conf",
        "samples/fortios-7.2-single-vdom.conf",
        "tests/fixtures/malformed/secret-on-broken-line.conf",
        "tests/fixtures/malformed/secret-outside-block.conf",
    ] {
        inputs.push((s.to_owned(), vec![root().join(s)]));
    }
    for (rel, files) in inputs {
        let secrets: Vec<String> = files
            .iter()
            .flat_map(|f| secrets_of(&std::fs::read_to_string(f).unwrap()))
            .collect();
        for format in ["human", "concise", "json", "sarif", "github"] {
            for extra in [&[][..], &["--migration", "--fail-on", "info"][..]] {
                let out = fortilint()
                    .args([
                        "check", "--color", "never", "--format", format, "--now", NOW,
                    ])
                    .args(extra)
                    .args(&files)
                    .output()
                    .unwrap();
                let text = String::from_utf8_lossy(&out.stdout);
                for s in &secrets {
                    assert!(
                        !text.contains(s.as_str()),
                        "{rel} --format {format}: secret {s:.12}… leaked"
                    );
                }
                checked += 1;
            }
        }
        // tokens and fix, stdout and stderr (parse errors are reported there), diff included.
        let runs: [&[&str]; 4] = [
            &["tokens", "--format", "json"],
            &["fix", "--migration", "--now", NOW],
            &["fix", "--migration", "--now", NOW, "--diff"],
            &["check", "--migration", "--now", NOW, "--color", "never"],
        ];
        for args in runs {
            let out = fortilint().args(args).args(&files).output().unwrap();
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            for s in &secrets {
                assert!(
                    !text.contains(s.as_str()),
                    "{rel} {args:?}: secret {s:.12}… leaked"
                );
            }
        }
    }
    assert!(checked > 100);
    // And --show-secrets is the way to see them.
    let f = root().join("tests/fixtures/rules/seeded_token_migration/violation.conf");
    let secrets = secrets_of(&std::fs::read_to_string(&f).unwrap());
    let out = fortilint()
        .args(["check", "--color", "never", "--show-secrets", "--now", NOW])
        .arg(&f)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(secrets.iter().any(|s| text.contains(s.as_str())), "{text}");
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let mut schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/schema/sarif-2.1.0.json")).unwrap(),
    )
    .unwrap();
    // The official file's `language` patterns have a stray `]` that the draft-07 meta-schema's
    // `format: regex` check rejects. Escape it in memory (fortilint never writes `language`);
    // the file stays byte-for-byte official.
    fn escape_stray_bracket(v: &mut serde_json::Value) -> usize {
        match v {
            serde_json::Value::Object(map) => map
                .iter_mut()
                .map(|(k, x)| {
                    if k == "pattern" && x == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" {
                        *x = serde_json::Value::from("^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$");
                        1
                    } else {
                        escape_stray_bracket(x)
                    }
                })
                .sum(),
            serde_json::Value::Array(a) => a.iter_mut().map(escape_stray_bracket).sum(),
            _ => 0,
        }
    }
    assert!(escape_stray_bracket(&mut schema) > 0);
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut runs: Vec<Vec<PathBuf>> = fixtures().into_iter().map(|(_, f, _)| f).collect();
    runs.push(vec![
        root().join("samples/fortios-7.4-multi-vdom.conf"),
        root().join("tests/fixtures/malformed/stray-end.conf"),
    ]);
    for files in runs {
        let out = fortilint()
            .args(["check", "--format", "sarif", "--migration", "--now", NOW])
            .args(&files)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&v)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{files:?}: {errors:#?}");
        assert_eq!(
            v["runs"][0]["tool"]["driver"]["rules"]
                .as_array()
                .unwrap()
                .len(),
            RULES.len()
        );
        for r in v["runs"][0]["results"].as_array().unwrap() {
            assert!(r["partialFingerprints"]["fortilint/object/v1"].is_string());
            assert!(
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap()
                    >= 1
            );
        }
    }
}

#[test]
fn github_annotations() {
    let f = Path::new("tests/fixtures/rules/duplicate_reg_id/violation.conf");
    let out = fortilint()
        .args(["check", "--format", "github", "--now", NOW])
        .arg(f)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().next().unwrap();
    assert!(
        line.starts_with("::error file=tests/fixtures/rules/duplicate_reg_id/violation.conf,line="),
        "{line}"
    );
    assert!(line.contains(",title=FTK002::"), "{line}");
}

#[test]
fn several_units_needs_known_different_units() {
    let dir = tempfile::tempdir().unwrap();
    let token = "config user fortitoken\n    edit \"FTKMOB0123456789\"\n        set license \"FTMTRIAL0401A296\"\n    next\nend\n";
    let unit = |host: Option<&str>, serial: Option<&str>| {
        let mut s = String::new();
        if let Some(sn) = serial {
            s.push_str(&format!("# Serial-Number: {sn}\n"));
        }
        if let Some(h) = host {
            s.push_str(&format!(
                "config system global\n    set hostname \"{h}\"\nend\n"
            ));
        }
        s.push_str(token);
        s
    };
    let cases = [
        ((None, None), (None, None), 0), // two fragments: unknown units
        ((Some("fw1"), None), (Some("fw1"), None), 0), // two backups of one unit
        (
            (Some("fw1"), Some("FG100F0000000001")),
            (Some("fw1"), None),
            0,
        ), // one with a serial line
        ((Some("fw1"), None), (Some("fw2"), None), 1), // different host names: one finding per serial
        (
            (Some("fw"), Some("FG100F0000000001")),
            (Some("fw"), Some("FG100F0000000002")),
            1,
        ),
    ];
    for (i, (a, b, expected)) in cases.into_iter().enumerate() {
        let pa = dir.path().join(format!("{i}-a.conf"));
        let pb = dir.path().join(format!("{i}-b.conf"));
        std::fs::write(&pa, unit(a.0, a.1)).unwrap();
        std::fs::write(&pb, unit(b.0, b.1)).unwrap();
        let (_, v) = run_json(&[pa, pb], &["--select", "FTK012"]);
        let n = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| {
                f["code"] == "FTK012" && f["message"].as_str().unwrap().starts_with("serial")
            })
            .count();
        assert_eq!(n, expected, "case {i}");
    }
}

#[test]
fn rules_and_explain_commands() {
    let out = fortilint()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rules"].as_array().unwrap().len(), RULES.len());
    assert_eq!(v["rules"][1]["code"], "FTK002");
    let out = fortilint().args(["rules"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("FTK014  orphan-activated-token"));
    for key in ["FTK002", "duplicate-reg-id", "ftk002"] {
        let out = fortilint().args(["explain", key]).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("# FTK002 duplicate-reg-id"));
    }
    let out = fortilint().args(["explain", "FTK999"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn color_follows_the_flag_and_no_color() {
    let f = "tests/fixtures/rules/duplicate_reg_id/violation.conf";
    let out = fortilint()
        .args(["check", "--color", "always", "--now", NOW, f])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\u{1b}["));
    let out = fortilint()
        .args(["check", "--color", "never", "--now", NOW, f])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("\u{1b}["));
    // auto: not a terminal here, and NO_COLOR set: no colour.
    let out = fortilint()
        .env("NO_COLOR", "1")
        .args(["check", "--now", NOW, f])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("\u{1b}["));
}
