//! `fortilint fix`: for every fixture and sample, the script replayed by fortilint's own CLI
//! interpreter over the original yields the patched backup; re-linting the patched backup
//! shows none of the fixed findings; `fix` on the patched backup plans nothing; a backup with
//! nothing to fix keeps every byte; every script parses with fortilint's grammar; no secret
//! reaches a script. Scripts and diffs are pinned by insta snapshots.

use std::path::PathBuf;

use assert_cmd::Command;
use fortilint::fix::fix_file;
use fortilint::fix::plan::{FIXED_CODES, Plan};
use fortilint::fix::replay::Interpreter;
use fortilint::fix::script::ScriptInfo;
use fortilint::model::Model;
use fortilint::parse;
use fortilint::rules;
use fortilint::source::SourceFile;

const NOW: u64 = 1_700_000_000;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every single-file backup we have: rule fixtures, samples, fix fixtures.
fn backups() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![
        root().join("tests/fixtures/rules"),
        root().join("tests/fixtures/fix"),
        root().join("samples"),
    ];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "conf") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn secrets_of(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
        let w: Vec<&str> = line.split_whitespace().collect();
        for (i, x) in w.iter().enumerate() {
            if *x == "ENC"
                && let Some(v) = w.get(i + 1)
            {
                out.push((*v).to_owned());
            }
        }
        if let ["set", "activation-code" | "seed", v, ..] = w.as_slice() {
            out.push(v.trim_matches('"').to_owned());
        }
    }
    out.retain(|s| s.len() >= 6);
    out
}

#[test]
fn scripts_replay_to_the_patched_backup_and_settle() {
    let mut planned = 0;
    for path in backups() {
        let rel = path.strip_prefix(root()).unwrap().display().to_string();
        let src = SourceFile::load(&path).unwrap();
        let model = Model::build(parse::parse(&src.text).unwrap());
        let models = vec![Some(model)];
        let findings = rules::run(&models, NOW, vec![true]);
        let model = models[0].as_ref().unwrap();
        let info = ScriptInfo {
            source: &rel,
            date: "2023-11-14T22:13:20Z".to_owned(),
        };
        let fx = fix_file(model, 0, &findings, &[], &info);

        // The script is FortiOS CLI that fortilint's own grammar reads.
        let script_doc = parse::parse(&fx.script.text)
            .unwrap_or_else(|e| panic!("{rel}: script does not parse: {e:?}\n{}", fx.script.text));
        for s in secrets_of(&src.text) {
            assert!(!fx.script.text.contains(&s), "{rel}: secret in script");
        }

        if fx.plan.is_empty() {
            assert_eq!(
                fx.patched, src.text,
                "{rel}: nothing to fix must change no byte"
            );
            continue;
        }
        planned += 1;

        // Only whole `set` lines of the five activation attributes went.
        for e in &fx.edits {
            let line = &src.text[e.span.start as usize..e.span.end as usize];
            let attr = line.split_whitespace().nth(1).unwrap();
            assert!(
                [
                    "seed",
                    "activation-code",
                    "activation-expire",
                    "reg-id",
                    "os-ver"
                ]
                .contains(&attr),
                "{rel}: removed {line:?}"
            );
            assert!(e.text.is_empty());
        }
        if src.text.contains("\r\n") {
            assert_eq!(
                fx.patched.matches('\n').count(),
                fx.patched.matches("\r\n").count(),
                "{rel}: CRLF kept"
            );
        }

        // Replay: script over the original = the patched backup.
        let patched_model = Model::build(parse::parse(&fx.patched).unwrap());
        let mut interp = Interpreter::new(model);
        interp.run(&script_doc);
        assert!(
            interp.skipped.is_empty(),
            "{rel}: the interpreter did not understand {:?}",
            interp.skipped
        );
        let expected = Interpreter::state_of(&patched_model);
        assert!(
            interp.state == expected,
            "{rel}: replay differs from the patched backup"
        );

        // Re-lint: the fixed findings of the planned tokens are gone; fix settles at once.
        let after = vec![Some(patched_model)];
        let again = rules::run(&after, NOW, vec![true]);
        let serials: Vec<&str> = fx
            .plan
            .items
            .iter()
            .map(|i| model.tokens[i.token].serial.as_str())
            .collect();
        for f in again.iter().filter(|f| FIXED_CODES.contains(&f.code)) {
            assert!(
                !f.token.as_deref().is_some_and(|t| serials.contains(&t)),
                "{rel}: {} still on {:?}",
                f.code,
                f.token
            );
        }
        let plan2 = Plan::build(after[0].as_ref().unwrap(), 0, &again, &[]);
        assert!(
            plan2.is_empty(),
            "{rel}: fix on the patched backup plans {:?}",
            plan2.items
        );
    }
    assert!(planned >= 8, "only {planned} fixtures had something to fix");
}

fn fortilint() -> Command {
    let mut c = Command::cargo_bin("fortilint").unwrap();
    c.current_dir(root());
    c
}

#[test]
fn script_and_diff_snapshots() {
    let cases = [
        (
            "multi-vdom-migration",
            "samples/fortios-7.4-multi-vdom.conf",
            true,
        ),
        (
            "crlf-migration",
            "tests/fixtures/fix/crlf-tokens-migration.conf",
            true,
        ),
        (
            "duplicate-reg-id",
            "tests/fixtures/rules/duplicate_reg_id/three-tokens.conf",
            false,
        ),
        (
            "activation-expired",
            "tests/fixtures/rules/activation_expired/violation.conf",
            false,
        ),
        (
            "trial-partner",
            "tests/fixtures/rules/trial_token_migration/violation.conf",
            true,
        ),
        (
            "fortimanager",
            "tests/fixtures/rules/managed_by_fortimanager/violation.conf",
            false,
        ),
        ("vdom-scoped", "samples/fortios-7.0-vdom-scoped.conf", true),
    ];
    for (name, file, migration) in cases {
        let mut args = vec!["fix", "--now", "1700000000", file];
        if migration {
            args.push("--migration");
        }
        let out = fortilint().args(&args).output().unwrap();
        insta::assert_snapshot!(
            format!("script-{name}"),
            String::from_utf8_lossy(&out.stdout)
        );
        let out = fortilint().args(&args).arg("--diff").output().unwrap();
        insta::assert_snapshot!(format!("diff-{name}"), String::from_utf8_lossy(&out.stdout));
    }
}

#[test]
fn placeholders_are_listed_on_stderr() {
    let out = fortilint()
        .args([
            "fix",
            "--migration",
            "--now",
            "1700000000",
            "samples/fortios-7.4-multi-vdom.conf",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1 placeholder(s)")
            && err.contains("<FILL-IN:activation-code-of-licence-EFTM6732416880>"),
        "{err}"
    );
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("# BEFORE RUNNING: replace every <FILL-IN:...>")
    );
}

#[test]
fn token_option_limits_the_plan() {
    let out = fortilint()
        .args([
            "fix",
            "--migration",
            "--now",
            "1700000000",
            "--token",
            "FTK200BHOQMAZ4FT",
            "samples/fortios-7.4-multi-vdom.conf",
        ])
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("delete \"FTK200BHOQMAZ4FT\""));
    assert!(!s.contains("delete \"FTKMOB"), "{s}");
}

#[test]
fn diff_masks_secrets_and_raw_diff_applies_with_patch() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("site")).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/fix/crlf-tokens-migration.conf"),
        d.join("site/fw.conf"),
    )
    .unwrap();
    let original = std::fs::read(d.join("site/fw.conf")).unwrap();
    let secrets = secrets_of(&String::from_utf8_lossy(&original));
    let run = |extra: &[&str]| {
        let mut c = Command::cargo_bin("fortilint").unwrap();
        c.current_dir(d)
            .args([
                "fix",
                "--migration",
                "--now",
                "1700000000",
                "--diff",
                "site/fw.conf",
            ])
            .args(extra);
        c.output().unwrap()
    };
    let masked = String::from_utf8_lossy(&run(&[]).stdout).into_owned();
    assert!(masked.contains("-        set seed ENC ****"), "{masked}");
    for s in &secrets {
        assert!(!masked.contains(s.as_str()), "secret in diff");
    }
    let raw = run(&["--show-secrets"]).stdout;
    std::fs::write(d.join("fix.diff"), &raw).unwrap();
    let st = std::process::Command::new("patch")
        .current_dir(d)
        .args(["-p1", "-i", "fix.diff"])
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    // The patched file is what --write would produce.
    let patched = std::fs::read(d.join("site/fw.conf")).unwrap();
    std::fs::write(d.join("site/fw.conf"), &original).unwrap();
    let w = Command::cargo_bin("fortilint")
        .unwrap()
        .current_dir(d)
        .args([
            "fix",
            "--migration",
            "--now",
            "1700000000",
            "--write",
            "site/fw.conf",
        ])
        .output()
        .unwrap();
    assert_ne!(w.status.code(), Some(2));
    assert_eq!(std::fs::read(d.join("site/fw.conf")).unwrap(), patched);
}

#[cfg(unix)]
#[test]
fn write_is_atomic_keeps_permissions_and_skips_unparsable_files() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = d.join("fw.conf");
    let bad = d.join("broken.conf");
    std::fs::copy(
        root().join("tests/fixtures/rules/duplicate_reg_id/violation.conf"),
        &good,
    )
    .unwrap();
    std::fs::copy(
        root().join("tests/fixtures/malformed/unterminated-quote.conf"),
        &bad,
    )
    .unwrap();
    std::fs::set_permissions(&good, std::fs::Permissions::from_mode(0o640)).unwrap();
    let bad_before = std::fs::read(&bad).unwrap();
    let out = Command::cargo_bin("fortilint")
        .unwrap()
        .current_dir(d)
        .args([
            "fix",
            "--now",
            "1700000000",
            "--write",
            "fw.conf",
            "broken.conf",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "a file that did not parse makes the run exit 2"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("unterminated double quote"));
    assert_eq!(std::fs::read(&bad).unwrap(), bad_before, "never touched");
    let after = std::fs::read_to_string(&good).unwrap();
    let before = std::fs::read_to_string(
        root().join("tests/fixtures/rules/duplicate_reg_id/violation.conf"),
    )
    .unwrap();
    assert_eq!(
        after.matches("set reg-id").count() + 1,
        before.matches("set reg-id").count(),
        "{after}"
    );
    assert_eq!(
        std::fs::metadata(&good).unwrap().permissions().mode() & 0o777,
        0o640
    );
    let leftovers: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with(".fortilint-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // Idempotent: a second run changes nothing and finds nothing left to fix.
    let out = Command::cargo_bin("fortilint")
        .unwrap()
        .current_dir(d)
        .args(["fix", "--now", "1700000000", "--write", "fw.conf"])
        .output()
        .unwrap();
    assert_eq!(std::fs::read_to_string(&good).unwrap(), after);
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to fix"));
}

#[test]
fn script_file_option_and_clean_backup() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("fix.txt");
    let out = fortilint()
        .args(["fix", "--now", "1700000000", "--script"])
        .arg(&script)
        .arg("tests/fixtures/rules/activation_expired/violation.conf")
        .output()
        .unwrap();
    assert!(out.stdout.is_empty());
    let text = std::fs::read_to_string(&script).unwrap();
    assert!(text.contains("execute fortitoken-mobile renew"), "{text}");
    let clean = "samples/fortios-7.2-single-vdom.conf";
    let before = std::fs::read(root().join(clean)).unwrap();
    let out = fortilint().args(["fix", "--diff", clean]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read(root().join(clean)).unwrap(), before);
}

#[test]
fn hostile_serials_and_names_cannot_inject_commands() {
    let text = "#config-version=FGT60F-7.2.8-FW-build1639-240313:opmode=0:vdom=0:user=admin\n\
config system global\n    set hostname \"fw\nexecute shutdown\"\nend\n\
config user fortitoken\n\
    edit \"FTK200 \\\"X\nexecute factoryreset\n#\"\n        set seed ENC c2VlZA==\n    next\n\
    edit \"FTKMOB0000000001\"\n        set seed ENC c2VlZA==\n        set license \"EFTM1\nexecute formatlogdisk\"\n    next\n\
end\n";
    let model = Model::build(parse::parse(text).unwrap());
    let models = vec![Some(model)];
    let findings = rules::run(&models, NOW, vec![true]);
    let model = models[0].as_ref().unwrap();
    let info = ScriptInfo {
        source: "evil\nexecute reboot",
        date: "2023-11-14T22:13:20Z".to_owned(),
    };
    let fx = fix_file(model, 0, &findings, &[], &info);
    let script = &fx.script.text;
    for line in script.lines() {
        let t = line.trim_start();
        assert!(
            !t.starts_with("execute shutdown")
                && !t.starts_with("execute factoryreset")
                && !t.starts_with("execute reboot")
                && !t.starts_with("execute formatlogdisk"),
            "injected: {line}\n{script}"
        );
    }
    assert!(script.contains("NOT PLANNED: token FTK200"), "{script}");
    assert!(script.contains("delete \"FTKMOB0000000001\""), "{script}");
    let doc = parse::parse(script).unwrap();
    let mut interp = Interpreter::new(model);
    interp.run(&doc);
    assert!(interp.skipped.is_empty(), "{:?}", interp.skipped);
}
