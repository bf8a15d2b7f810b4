//! The leak test (issue 12): backups and captures with a canary secret in every position
//! ([`fortilint::testing::secret_placements`]) go through every command and format; stdout,
//! stderr and every written file are searched for the canary (any case, even cut short).
//! Inputs are given together where a command takes several, so the run stays short; the
//! commands that take one file (`fix --script`, `--config`) run once per placement.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use fortilint::testing::{CANARY_PREFIX, Placement, canary, secret_placements};

fn fortilint(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("fortilint")
        .unwrap()
        .current_dir(dir)
        .env("COLUMNS", "200")
        .args(args)
        .output()
        .unwrap()
}

/// Which placements' canaries a text shows.
fn leaked(text: &str, placements: &[Placement]) -> Vec<usize> {
    let lower = text.to_ascii_lowercase();
    if !lower.contains(CANARY_PREFIX) {
        return Vec::new();
    }
    let found: Vec<usize> = (0..placements.len())
        .filter(|&i| lower.contains(&canary(i)[..11].to_ascii_lowercase()))
        .collect();
    // Cut shorter than its number: still a leak.
    if found.is_empty() {
        vec![usize::MAX]
    } else {
        found
    }
}

/// Every file under `dir` that is not an input.
fn written(dir: &Path, inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if !inputs.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

struct Run {
    label: String,
    /// Placements this run covers.
    covers: usize,
    leaks: Vec<(usize, String)>,
}

fn check_run(
    label: String,
    covers: usize,
    out: &Output,
    dir: &Path,
    inputs: &[PathBuf],
    p: &[Placement],
) -> Run {
    let mut leaks = Vec::new();
    for (what, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        for i in leaked(&String::from_utf8_lossy(bytes), p) {
            leaks.push((i, what.to_owned()));
        }
    }
    for f in written(dir, inputs) {
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
        for i in leaked(&text, p) {
            leaks.push((i, f.display().to_string()));
        }
        std::fs::remove_file(&f).unwrap();
    }
    Run {
        label,
        covers,
        leaks,
    }
}

#[test]
fn no_secret_reaches_any_output_of_any_command() {
    let placements = secret_placements();
    let dir = tempfile::tempdir().unwrap();
    let inputs: Vec<PathBuf> = placements
        .iter()
        .map(|p| {
            let path = dir.path().join(&p.file);
            std::fs::write(&path, &p.text).unwrap();
            path
        })
        .collect();
    let names: Vec<String> = placements.iter().map(|p| p.file.clone()).collect();
    let all: Vec<&str> = names.iter().map(String::as_str).collect();
    let n = placements.len();
    let clean = dir.path().join("clean");
    std::fs::create_dir(&clean).unwrap();
    std::fs::write(
        clean.join("unit.conf"),
        placements[0].text.replace(&canary(0), "x"),
    )
    .unwrap();
    let mut inputs_and_clean = inputs.clone();
    inputs_and_clean.push(clean.join("unit.conf"));
    let now = ["--now", "1700000000"];
    let mut runs = Vec::new();
    let mut run = |label: String, covers: usize, args: Vec<&str>| {
        let out = fortilint(dir.path(), &args);
        runs.push(check_run(
            label,
            covers,
            &out,
            dir.path(),
            &inputs_and_clean,
            &placements,
        ));
    };

    for format in [
        "human", "concise", "json", "sarif", "github", "gitlab", "junit",
    ] {
        for migration in [false, true] {
            let mut args = vec!["check", "--format", format];
            args.extend(now);
            if migration {
                args.push("--migration");
            }
            args.extend(&all);
            run(
                format!("check --format {format} (migration {migration})"),
                n,
                args,
            );
        }
    }
    // A written report file.
    let mut args = vec!["check", "--format", "json", "--output-file", "report.json"];
    args.extend(now);
    args.extend(&all);
    run("check --output-file".into(), n, args);
    for format in ["table", "json", "csv", "html"] {
        let mut args = vec!["tokens", "--format", format];
        args.extend(now);
        args.extend(&all);
        run(format!("tokens --format {format}"), n, args);
    }
    let mut args = vec!["fix", "--migration", "--diff"];
    args.extend(now);
    args.extend(&all);
    run("fix --diff".into(), n, args);
    for format in ["script", "plan"] {
        let mut args = vec!["fix", "--migration", "--format", format, "--out-dir", "out"];
        args.extend(now);
        args.extend(&all);
        run(format!("fix --format {format} --out-dir"), n, args);
    }
    for (i, name) in names.iter().enumerate() {
        let mut args = vec!["fix", "--migration", "--script", "unit.txt"];
        args.extend(now);
        args.push(name);
        run(format!("fix --script ({name})"), 1, args);
        let mut args = vec!["fix", "--migration", "--format", "plan"];
        args.extend(now);
        args.push(name);
        run(format!("fix --format plan ({name})"), 1, args);
        // A backup (or capture) given as the TOML config.
        run(
            format!("check --config ({name})"),
            1,
            vec!["check", "--config", name, "clean/unit.conf"],
        );
        let _ = i;
    }
    for format in ["human", "json"] {
        let mut args = vec!["explain-log", "--format", format];
        args.extend(&all);
        run(format!("explain-log --format {format}"), n, args);
    }
    for format in ["human", "json"] {
        let mut args = vec!["check", "--format", format];
        args.extend(now);
        for name in &all {
            args.extend(["--evidence", name]);
        }
        args.push("clean/unit.conf");
        run(format!("check --evidence --format {format}"), n, args);
    }

    let commands = runs.len();
    let checks: usize = runs.iter().map(|r| r.covers).sum();
    let failing: Vec<&str> = placements
        .iter()
        .filter(|p| !p.parses)
        .map(|p| p.name.as_str())
        .collect();
    let pl = &placements;
    let leaks: Vec<String> = runs
        .iter()
        .flat_map(|r| {
            r.leaks.iter().map(move |(i, w)| {
                let what = pl.get(*i).map_or("a canary cut short".to_owned(), |p| {
                    format!("{} ({})", p.name, p.file)
                });
                format!("{}: {what} in {w}", r.label)
            })
        })
        .collect();
    println!(
        "leak test: {n} positions ({} fail to parse) x {commands} command/format runs = {checks} position checks; leaks found: {}",
        failing.len(),
        leaks.len()
    );
    if std::env::var_os("LEAK_KEEP").is_some() {
        // For a look at the inputs by hand.
        println!("inputs kept in {}", dir.keep().display());
        return;
    }
    assert!(leaks.is_empty(), "secrets leaked:\n{}", leaks.join("\n"));
    // The generator covers both paths, and both matter.
    assert!(failing.len() >= 20, "{failing:?}");
    assert!(n - failing.len() >= 20);

    // The test can fail: with --show-secrets the same inputs do show the canaries.
    let mut args = vec!["check", "--show-secrets", "--format", "human"];
    args.extend(now);
    args.extend(&all);
    let out = fortilint(dir.path(), &args);
    let shown = leaked(&String::from_utf8_lossy(&out.stdout), &placements);
    assert!(
        shown.len() >= 5,
        "--show-secrets shows only {shown:?}:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let mut args = vec!["explain-log", "--show-secrets"];
    args.extend(&all);
    let out = fortilint(dir.path(), &args);
    assert!(!leaked(&String::from_utf8_lossy(&out.stdout), &placements).is_empty());
}
