//! `fortilint fix`: for every fixture and sample (in migration mode and not), the staged script
//! replayed by fortilint's own CLI interpreter (with FortiGuard's documented failure modes)
//! over the original yields the patched backup; re-linting the patched backup leaves nothing
//! the plan would change (idempotent); a backup with nothing to fix keeps every byte; every
//! script parses; no secret reaches a script; and the safety contract of
//! fortitoken-remediation.md §5 holds (see `safety_contract_holds_on_every_backup`).
//! Scripts, runbooks and diffs are pinned by insta snapshots.

use std::collections::BTreeMap;
use std::path::PathBuf;

use assert_cmd::Command;
use fortilint::fix::plan::{Plan, PlanOptions, PostImport};
use fortilint::fix::replay::{Interpreter, State};
use fortilint::fix::{FileFix, fix_file};
use fortilint::model::Model;
use fortilint::parse;
use fortilint::rules::{self, Finding};
use fortilint::source::SourceFile;

const NOW: u64 = 1_700_000_000;
const DATE: &str = "2023-11-14T22:13:20Z";

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

fn fix(model: &Model<'_>, findings: &[Finding], opts: &PlanOptions, rel: &str) -> FileFix {
    fix_file(model, 0, findings, opts, rel, DATE)
}

fn run_stages(it: &mut Interpreter, fx: &FileFix, stages: std::ops::RangeInclusive<u8>, rel: &str) {
    for n in stages {
        let text = fx.script.text(Some(n));
        let doc = parse::parse(&text)
            .unwrap_or_else(|e| panic!("{rel}: stage {n} does not parse: {e:?}\n{text}"));
        it.run(&doc);
    }
}

/// The new trial serials the simulated unit lists after stage 2, as the plan takes them.
fn post_import(it: &Interpreter) -> PostImport {
    let mut trial_serials = BTreeMap::new();
    for (scope, serials) in &it.new_trial_serials {
        let vdom = scope.strip_prefix("vdom:").map(str::to_owned);
        trial_serials.insert(vdom, serials.clone());
    }
    PostImport { trial_serials }
}

/// Where two states differ: `scope/table/entry: attrs`, both sides.
fn state_diff(a: &State, b: &State) -> String {
    let mut out = Vec::new();
    for scope in a.scopes.keys().chain(b.scopes.keys()) {
        let (x, y) = (a.scopes.get(scope), b.scopes.get(scope));
        if x == y {
            continue;
        }
        let (x, y) = (
            x.cloned().unwrap_or_default(),
            y.cloned().unwrap_or_default(),
        );
        for t in x.tables.keys().chain(y.tables.keys()) {
            let (tx, ty) = (
                x.tables.get(t).cloned().unwrap_or_default(),
                y.tables.get(t).cloned().unwrap_or_default(),
            );
            for e in tx.entries.keys().chain(ty.entries.keys()) {
                let (ex, ey) = (tx.entries.get(e), ty.entries.get(e));
                if ex != ey {
                    out.push(format!(
                        "{scope}/{t}/{e}: replay {:?} vs patched {:?}",
                        ex.map(|o| &o.attrs),
                        ey.map(|o| &o.attrs)
                    ));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out.join("\n")
}

fn mode_label(migration: bool) -> &'static str {
    if migration { "migration" } else { "same unit" }
}

#[test]
fn scripts_replay_to_the_patched_backup_and_settle() {
    let mut planned = 0;
    for path in backups() {
        for migration in [false, true] {
            let rel = path.strip_prefix(root()).unwrap().display().to_string();
            let mode = mode_label(migration);
            let src = SourceFile::load(&path).unwrap();
            let model = Model::build(parse::parse(&src.text).unwrap());
            let models = vec![Some(model)];
            let findings = rules::run(&models, NOW, vec![migration]);
            let model = models[0].as_ref().unwrap();
            let fx = fix(model, &findings, &PlanOptions::default(), &rel);
            let text = fx.script.text(None);
            parse::parse(&text)
                .unwrap_or_else(|e| panic!("{rel} ({mode}): script does not parse: {e:?}\n{text}"));
            for s in secrets_of(&src.text) {
                assert!(!text.contains(&s), "{rel} ({mode}): secret in script");
            }
            if !fx.plan.changes_config() {
                assert_eq!(
                    fx.patched, src.text,
                    "{rel} ({mode}): nothing to change must change no byte"
                );
                continue;
            }
            planned += 1;

            // Only whole activation lines go, and trial entries are renamed.
            for e in &fx.edits {
                let old = &src.text[e.span.start as usize..e.span.end as usize];
                if e.text.is_empty() {
                    let attr = old.split_whitespace().nth(1).unwrap();
                    assert!(
                        [
                            "seed",
                            "activation-code",
                            "activation-expire",
                            "reg-id",
                            "os-ver",
                            "license",
                            "comments",
                            "status"
                        ]
                        .contains(&attr),
                        "{rel} ({mode}): removed {old:?}"
                    );
                } else if e.span.start == e.span.end {
                    // The rest of a trial pair, inserted as new entries.
                    assert!(
                        e.text.trim_start().starts_with("edit ")
                            && e.text.trim_end().ends_with("next"),
                        "{rel}: {e:?}"
                    );
                } else {
                    assert!(
                        e.text.starts_with('"') || e.text.starts_with("<FILL-IN:"),
                        "{rel}: {e:?}"
                    );
                }
            }
            if src.text.contains("\r\n") {
                assert_eq!(
                    fx.patched.matches('\n').count(),
                    fx.patched.matches("\r\n").count(),
                    "{rel}: CRLF kept"
                );
            }

            // Replay stages 0–2 on the unit, read the new trial serials from it (as
            // `--evidence` does), then stages 3–4 of the plan rebuilt with them.
            let mut it = Interpreter::new(model);
            it.other_unit = migration;
            run_stages(&mut it, &fx, 0..=2, &rel);
            let opts = PlanOptions {
                post_import: post_import(&it),
                ..PlanOptions::default()
            };
            let fx2 = fix(model, &findings, &opts, &rel);
            assert_eq!(
                fx2.plan.unresolved(),
                0,
                "{rel} ({mode}): serials left unresolved"
            );
            for n in 0..=2u8 {
                let body = |f: &FileFix| {
                    f.script
                        .stages
                        .iter()
                        .find(|s| s.number == n)
                        .map(|s| s.body.clone())
                };
                assert_eq!(body(&fx), body(&fx2), "{rel}: evidence changed stage {n}");
            }
            run_stages(&mut it, &fx2, 3..=4, &rel);
            assert!(
                it.skipped.is_empty(),
                "{rel} ({mode}): not understood {:?}",
                it.skipped
            );
            assert!(
                it.failures.is_empty(),
                "{rel} ({mode}): failed {:?}",
                it.failures
            );
            let patched_model = Model::build(parse::parse(&fx2.patched).unwrap());
            let expected = Interpreter::state_of(&patched_model);
            assert!(
                it.state == expected,
                "{rel} ({mode}): replay differs from the patched backup: {}\n{}",
                state_diff(&it.state, &expected),
                fx2.script.text(None)
            );

            // Idempotent: the plan on the patched backup changes nothing more.
            let after = vec![Some(patched_model)];
            let again = rules::run(&after, NOW, vec![migration]);
            let plan2 = Plan::build(
                after[0].as_ref().unwrap(),
                0,
                &again,
                &PlanOptions::default(),
            );
            assert!(
                !plan2.changes_config(),
                "{rel} ({mode}): fix on the patched backup plans {:?} {:?}",
                plan2.groups,
                plan2.provisions
            );
            // No error-level finding that the plan acts on survives (FTK001 licence
            // transfers stay as warnings).
            for f in again
                .iter()
                .filter(|f| f.severity == rules::Severity::Error)
            {
                assert!(
                    !matches!(
                        f.intent,
                        rules::Intent::ReimportLicence { .. }
                            | rules::Intent::ReimportTrialPair { .. }
                            | rules::Intent::Reprovision { .. }
                    ) || fx
                        .plan
                        .skipped
                        .iter()
                        .any(|s| Some(&s.what) == f.token.as_ref()),
                    "{rel} ({mode}): {} {} survives the fix",
                    f.code,
                    f.message
                );
            }
        }
    }
    assert!(planned >= 10, "only {planned} backups had something to fix");
}

/// A `super_admin` that can still log in: no token two-factor, or its token untouched.
fn working_super_admins(state: &State, original: &State) -> Vec<String> {
    let mut out = Vec::new();
    for (scope, obj) in &state.scopes {
        let Some(admins) = obj.tables.get("system admin") else {
            continue;
        };
        for (name, a) in &admins.entries {
            if a.attrs
                .get("accprofile")
                .and_then(|v| v.first())
                .map(String::as_str)
                != Some("super_admin")
            {
                continue;
            }
            let tf = a
                .attrs
                .get("two-factor")
                .and_then(|v| v.first())
                .map(String::as_str);
            let works = match tf {
                Some("fortitoken") => a
                    .attrs
                    .get("fortitoken")
                    .and_then(|v| v.first())
                    .is_some_and(|sn| {
                        let find = |s: &State| {
                            s.scopes.values().find_map(|o| {
                                o.tables
                                    .get("user fortitoken")
                                    .and_then(|t| t.entries.get(sn))
                                    .cloned()
                            })
                        };
                        find(state).is_some() && find(state) == find(original)
                    }),
                _ => true,
            };
            if works {
                out.push(format!("{scope}/{name}"));
            }
        }
    }
    out
}

/// The safety contract, fortitoken-remediation.md §5, on every sample and fixture, in both
/// modes: (1) a working super_admin after every stage prefix, import success or failure;
/// (2) admins only in stage 4; (3) no hardware token deleted; (4) a STOP gate before any
/// reassignment that names who is on password only; (5) no old trial serial reassigned on
/// another unit; (6) no `status lock` written; (7) no token given to two holders; (8) FortiManager
/// units get split output; (10) the header names the licence transfer; (11) no secret.
#[test]
fn safety_contract_holds_on_every_backup() {
    let mut checked = 0;
    for path in backups() {
        for migration in [false, true] {
            let rel = path.strip_prefix(root()).unwrap().display().to_string();
            let mode = mode_label(migration);
            let src = SourceFile::load(&path).unwrap();
            let model = Model::build(parse::parse(&src.text).unwrap());
            let models = vec![Some(model)];
            let findings = rules::run(&models, NOW, vec![migration]);
            let model = models[0].as_ref().unwrap();
            let fx = fix(model, &findings, &PlanOptions::default(), &rel);
            if fx.plan.is_empty() {
                continue;
            }
            checked += 1;
            let text = fx.script.text(None);
            let original = Interpreter::state_of(model);
            let had_working = !working_super_admins(&original, &original).is_empty();

            // (1) and (4): every stage prefix, imports succeeding or failing.
            for fail in [false, true] {
                let mut it = Interpreter::new(model);
                it.other_unit = migration;
                it.imports_fail = fail;
                for n in 0..=4u8 {
                    run_stages(&mut it, &fx, n..=n, &rel);
                    if had_working {
                        assert!(
                            !working_super_admins(&it.state, &original).is_empty(),
                            "{rel} ({mode}, imports fail: {fail}): no working super_admin after stage {n}\n{text}"
                        );
                    }
                    if n == 2 && fail {
                        let stop: String = fx
                            .script
                            .stages
                            .iter()
                            .find(|s| s.number == 2)
                            .map(|s| s.outro.join("\n"))
                            .unwrap_or_default();
                        for (scope, obj) in &it.state.scopes {
                            for table in ["user local", "system admin"] {
                                let Some(t) = obj.tables.get(table) else {
                                    continue;
                                };
                                for (name, e) in &t.entries {
                                    let before =
                                        original.scopes[scope].tables[table].entries.get(name);
                                    let was = before
                                        .and_then(|b| b.attrs.get("two-factor"))
                                        .and_then(|v| v.first());
                                    let now = e.attrs.get("two-factor").and_then(|v| v.first());
                                    if was.is_some_and(|w| w != "disable")
                                        && now.is_some_and(|n| n == "disable")
                                    {
                                        assert!(
                                            stop.contains(&format!("\"{name}\"")),
                                            "{rel} ({mode}): {name} is on password only after a failed import and the STOP gate does not say so\n{stop}"
                                        );
                                    }
                                }
                            }
                        }
                    }
                }
            }

            // (2) admins only in stage 4; (4) STOP after stage 2 when anybody is reassigned.
            for s in &fx.script.stages {
                let body = s.body.join("\n");
                if s.number != 4 && s.number != 1 {
                    assert!(
                        !body.contains("config system admin"),
                        "{rel}: admins touched in stage {}",
                        s.number
                    );
                }
                if s.number == 1 && body.contains("config system admin") {
                    assert!(
                        !body.contains("set two-factor fortitoken"),
                        "{rel}: admin reassigned in stage 1"
                    );
                }
            }
            if !fx.plan.reassign.is_empty() {
                let s2 = fx.script.stages.iter().find(|s| s.number == 2).unwrap();
                assert!(
                    s2.outro.iter().any(|l| l.contains("STOP")),
                    "{rel}: no STOP gate"
                );
            }
            for l in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
                let w: Vec<&str> = l.split_whitespace().collect();
                // (3) never delete a hardware token, unless the unit itself reported an error
                //     for it (KB 194508 step 5a, planned from evidence only).
                if let ["delete", sn] = w.as_slice() {
                    let sn = sn.trim_matches('"');
                    let readd = fx.plan.groups.iter().any(|g| {
                        g.how == fortilint::fix::plan::Reimport::HardwareReAdd
                            && g.tokens.iter().any(|&i| model.tokens[i].serial == sn)
                    });
                    assert!(
                        !sn.starts_with("FTK2") || readd,
                        "{rel}: hardware token deleted: {l}"
                    );
                }
                // (6) never re-apply a lock.
                assert!(
                    !(w.first() == Some(&"set") && w.get(1) == Some(&"status")),
                    "{rel}: {l}"
                );
                // (5) never reassign an old trial serial on another unit.
                if migration && let ["set", "fortitoken", sn] = w.as_slice() {
                    let sn = sn.trim_matches('"');
                    assert!(
                        !model.tokens.iter().any(|t| t.trial && t.serial == sn),
                        "{rel}: old trial serial reassigned: {l}"
                    );
                }
            }
            // (7) one token, one holder.
            let mut given: BTreeMap<String, usize> = BTreeMap::new();
            for l in text.lines() {
                if let ["set", "fortitoken", sn] =
                    l.split_whitespace().collect::<Vec<_>>().as_slice()
                {
                    *given.entry((*sn).to_owned()).or_default() += 1;
                }
            }
            assert!(
                given.values().all(|&n| n == 1),
                "{rel}: a token given twice: {given:?}"
            );
            // (8) FortiManager split; (10) prerequisites.
            if model
                .central_management
                .as_ref()
                .is_some_and(|c| c.manages_config())
            {
                assert!(
                    text.contains("where: FortiManager"),
                    "{rel}: no FortiManager split"
                );
            }
            if fx
                .plan
                .groups
                .iter()
                .any(|g| matches!(g.how, fortilint::fix::plan::Reimport::Licence(_)))
            {
                assert!(
                    text.contains("Customer Service ticket"),
                    "{rel}: licence transfer not named"
                );
            }
            // (11) no secret.
            for s in secrets_of(&src.text) {
                assert!(!text.contains(&s), "{rel}: secret in script");
            }
        }
    }
    assert!(checked >= 10, "only {checked} plans checked");
}

/// Declared fixability matches what `fix` does for every rule's violation fixtures.
#[test]
fn declared_fixability_matches_the_plan() {
    use fortilint::rules::{Fixable, registry::RULES};
    for rule in RULES {
        let meta = rule.meta();
        let dir = root()
            .join("tests/fixtures/rules")
            .join(meta.name.replace('-', "_"));
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("violation"))
            })
            .collect();
        files.sort();
        for path in files.into_iter().filter(|p| p.is_file()) {
            let src = SourceFile::load(&path).unwrap();
            let model = Model::build(parse::parse(&src.text).unwrap());
            let models = vec![Some(model)];
            let all = rules::run(&models, NOW, vec![meta.migration_only]);
            let mine: Vec<Finding> = all.into_iter().filter(|f| f.code == meta.code).collect();
            assert!(
                !mine.is_empty(),
                "{}: {} does not fire",
                path.display(),
                meta.code
            );
            let model = models[0].as_ref().unwrap();
            let only: Vec<String> = match meta.fixable {
                Fixable::OnRequest => mine.iter().filter_map(|f| f.token.clone()).collect(),
                _ => Vec::new(),
            };
            let plan = Plan::build(
                model,
                0,
                &mine,
                &PlanOptions {
                    only,
                    ..PlanOptions::default()
                },
            );
            let fixed = plan.changes_config();
            assert_eq!(
                fixed,
                meta.fixable != Fixable::No,
                "{}: {} declares fixable {:?} but the plan {} it",
                path.display(),
                meta.code,
                meta.fixable,
                if fixed {
                    "changes config for"
                } else {
                    "does nothing for"
                }
            );
            if meta.fixable == Fixable::OnRequest {
                let without = Plan::build(model, 0, &mine, &PlanOptions::default());
                assert!(
                    !without.changes_config(),
                    "{}: acts without --token",
                    meta.code
                );
            }
        }
    }
}

/// `fortilint ARGS` run in `dir`.
fn run_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("fortilint")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn fortilint() -> Command {
    let mut c = Command::cargo_bin("fortilint").unwrap();
    c.current_dir(root());
    c
}

#[test]
fn script_plan_and_diff_snapshots() {
    let cases = [
        (
            "tokens-migration",
            "samples/fortios-7.4-tokens-migration.conf",
            true,
        ),
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
            "activation-expired",
            "tests/fixtures/rules/activation_expired/violation.conf",
            false,
        ),
        (
            "trial-pair",
            "tests/fixtures/rules/trial_token_migration/violation.conf",
            true,
        ),
        (
            "fortimanager",
            "tests/fixtures/rules/managed_by_fortimanager/violation.conf",
            false,
        ),
        ("vdom-scoped", "samples/fortios-7.0-vdom-scoped.conf", true),
        (
            "lockout-refused",
            "tests/fixtures/fix/only-super-admin-migrates.conf",
            true,
        ),
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
        let out = fortilint()
            .args(&args)
            .args(["--format", "plan"])
            .output()
            .unwrap();
        insta::assert_snapshot!(format!("plan-{name}"), String::from_utf8_lossy(&out.stdout));
        let out = fortilint().args(&args).arg("--diff").output().unwrap();
        insta::assert_snapshot!(format!("diff-{name}"), String::from_utf8_lossy(&out.stdout));
    }
}

#[test]
fn stage_option_prints_one_stage() {
    let base = [
        "fix",
        "--migration",
        "--now",
        "1700000000",
        "samples/fortios-7.4-tokens-migration.conf",
    ];
    let all = String::from_utf8(fortilint().args(base).output().unwrap().stdout).unwrap();
    for n in 0..=4 {
        let out = fortilint()
            .args(base)
            .args(["--stage", &n.to_string()])
            .output()
            .unwrap();
        let s = String::from_utf8(out.stdout).unwrap();
        let banners: Vec<&str> = s.lines().filter(|l| l.starts_with("# STAGE ")).collect();
        assert!(banners.len() <= 1, "{banners:?}");
        if let Some(b) = banners.first() {
            assert!(b.starts_with(&format!("# STAGE {n}:")), "{b}");
            assert!(all.contains(*b));
        }
        assert!(s.starts_with("# fortilint"), "header kept");
    }
    let out = fortilint()
        .args(base)
        .args(["--stage", "5"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn lockout_gate_refuses_admins_unless_the_risk_is_accepted() {
    let file = "tests/fixtures/fix/only-super-admin-migrates.conf";
    let base = ["fix", "--migration", "--now", "1700000000", file];
    let out = fortilint().args(base).output().unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!s.contains("config system admin"), "{s}");
    assert!(
        err.contains("refused: every super_admin holds a token"),
        "{err}"
    );
    let out = fortilint()
        .args(base)
        .arg("--allow-admin-lockout-risk")
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("ADMIN LOCKOUT RISK ACCEPTED"), "{s}");
    let stage4 = s.split("# STAGE 4:").nth(1).expect("stage 4 exists");
    assert!(stage4.contains("config system admin"), "{s}");
    let before4 = s.split("# STAGE 4:").next().unwrap();
    assert!(
        !before4.contains("edit \"admin\"\n        set two-factor fortitoken"),
        "admins only in stage 4"
    );
}

#[test]
fn shared_phone_is_reprovisioned_only_when_named() {
    let file = "tests/fixtures/rules/duplicate_reg_id/violation.conf";
    let out = fortilint()
        .args(["fix", "--now", "1700000000", file])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("nothing to fix"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    let model = Model::build(parse::parse(&text).unwrap());
    let serial = model
        .tokens
        .iter()
        .find(|t| t.reg_id().is_some())
        .unwrap()
        .serial
        .clone();
    let out = fortilint()
        .args(["fix", "--now", "1700000000", "--token", &serial, file])
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.contains(&format!("execute fortitoken-mobile provision {serial}")),
        "{s}"
    );
    assert!(
        !s.contains("delete"),
        "never deleted for a shared phone: {s}"
    );
}

#[test]
fn exit_codes_and_messages() {
    // --token with an unknown serial is a usage error.
    let out = fortilint()
        .args([
            "fix",
            "--token",
            "FTKMOB0000000000",
            "samples/fortios-7.4-multi-vdom.conf",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such token"));
    // Nothing to fix names the rules considered.
    let out = fortilint()
        .args(["fix", "samples/fortios-7.2-single-vdom.conf"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("nothing to fix")
            && err.contains("FTK001")
            && err.contains("FTK002 (with --token)"),
        "{err}"
    );
    // Findings the plan cannot fix: exit 1, named.
    let out = fortilint()
        .args([
            "fix",
            "--now",
            "1700000000",
            "tests/fixtures/rules/token_assigned_twice/violation.conf",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("findings remain that the plan does not fix: FTK005")
    );
}

#[test]
fn one_script_per_unit() {
    let a = "samples/fortios-7.4-tokens-migration.conf";
    let b = "samples/fortios-7.4-multi-vdom.conf";
    let out = fortilint()
        .args(["fix", "--migration", "--now", "1700000000", a, b])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "never two units in one stream");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--out-dir"));
    let dir = tempfile::tempdir().unwrap();
    let out = fortilint()
        .args(["fix", "--migration", "--now", "1700000000", "--out-dir"])
        .arg(dir.path())
        .args([a, b])
        .output()
        .unwrap();
    assert_ne!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        names.iter().all(|n| n.ends_with(".fortilint-fix.txt")),
        "{names:?}"
    );
    for n in &names {
        let t = std::fs::read_to_string(dir.path().join(n)).unwrap();
        assert_eq!(t.matches("# fortilint ").count(), 1, "one unit per file");
    }
}

#[test]
fn outputs_never_clobber_inputs_or_old_scripts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(
        root().join("samples/fortios-7.4-tokens-migration.conf"),
        d.join("fw.conf"),
    )
    .unwrap();
    let before = std::fs::read(d.join("fw.conf")).unwrap();
    let run = |args: &[&str]| {
        Command::cargo_bin("fortilint")
            .unwrap()
            .current_dir(d)
            .args(args)
            .output()
            .unwrap()
    };
    // The script path is the backup itself: refused.
    let out = run(&["fix", "--migration", "--script", "fw.conf", "fw.conf"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(d.join("fw.conf")).unwrap(), before);
    // An existing script is not truncated by an empty plan.
    std::fs::copy(
        root().join("samples/fortios-7.2-single-vdom.conf"),
        d.join("clean.conf"),
    )
    .unwrap();
    std::fs::write(d.join("old.txt"), "keep me\n").unwrap();
    let out = run(&["fix", "--script", "old.txt", "clean.conf"]);
    assert_ne!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(d.join("old.txt")).unwrap(),
        "keep me\n"
    );
    // A script that cannot be written leaves the backup untouched.
    let out = run(&[
        "fix",
        "--migration",
        "--write",
        "--script",
        "no/such/dir/s.txt",
        "fw.conf",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read(d.join("fw.conf")).unwrap(),
        before,
        "backup rewritten without its script"
    );
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
            .args(["fix", "--now", "1700000000", "--diff", "site/fw.conf"])
            .args(extra);
        c.output().unwrap()
    };
    let masked = String::from_utf8_lossy(&run(&["--migration"]).stdout).into_owned();
    assert!(masked.contains("-        set seed ENC ****"), "{masked}");
    for s in &secrets {
        assert!(!masked.contains(s.as_str()), "secret in diff");
    }
    // A purchased-licence plan (no trial renames) applies with patch and equals --write.
    let raw = run(&["--migration", "--show-secrets"]).stdout;
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
    let patched = std::fs::read(d.join("site/fw.conf")).unwrap();
    std::fs::write(d.join("site/fw.conf"), &original).unwrap();
    let w = run_in(
        d,
        &[
            "fix",
            "--migration",
            "--now",
            "1700000000",
            "--write",
            "site/fw.conf",
        ],
    );
    assert_ne!(
        w.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&w.stderr)
    );
    let after = std::fs::read(d.join("site/fw.conf")).unwrap();
    if String::from_utf8_lossy(&w.stderr).contains("not rewritten") {
        assert_eq!(
            after, original,
            "placeholders are never written into a backup"
        );
    } else {
        assert_eq!(after, patched);
    }
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
        root().join("tests/fixtures/rules/activation_expired/violation.conf"),
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
    let out = run_in(
        d,
        &[
            "fix",
            "--now",
            "1700000000",
            "--write",
            "--out-dir",
            "scripts",
            "fw.conf",
            "broken.conf",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "a file that did not parse makes the run exit 2"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("unterminated double quote"));
    assert_eq!(std::fs::read(&bad).unwrap(), bad_before, "never touched");
    let after = std::fs::read_to_string(&good).unwrap();
    assert!(!after.contains("set activation-code"), "{after}");
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
    let out = run_in(d, &["fix", "--now", "1700000000", "--write", "fw.conf"]);
    assert_eq!(std::fs::read_to_string(&good).unwrap(), after);
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to fix"));
    // A read-only backup is not rewritten.
    std::fs::copy(
        root().join("tests/fixtures/rules/activation_expired/violation.conf"),
        &good,
    )
    .unwrap();
    std::fs::set_permissions(&good, std::fs::Permissions::from_mode(0o440)).unwrap();
    let before = std::fs::read(&good).unwrap();
    let out = run_in(
        d,
        &[
            "fix",
            "--now",
            "1700000000",
            "--write",
            "--script",
            "s.txt",
            "fw.conf",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(&good).unwrap(), before);
    assert!(d.join("s.txt").exists(), "the script was written first");
}

/// Injection payloads in every field that reaches a script: holder names, two-factor values,
/// serials, licences, VDOM and host names, comments, the source path. No line of the script
/// may start a command that the plan did not write.
#[test]
fn hostile_values_cannot_inject_commands() {
    let payloads = [
        "\nexecute factoryreset",
        "\rexecute factoryreset",
        "\u{2028}execute factoryreset",
        "\u{85}execute factoryreset",
        "\"\nexecute factoryreset\n#",
    ];
    for p in payloads {
        let q = p.replace('\\', "\\\\").replace('"', "\\\"");
        let text = format!(
            "#config-version=FGT60F-7.2.8-FW-build1639-240313:opmode=0:vdom=0:user=admin\n\
config system global\n    set hostname \"fw{q}\"\nend\n\
config system admin\n    edit \"admin\"\n        set accprofile \"super_admin\"\n    next\n\
    edit \"boss{q}\"\n        set accprofile \"super_admin\"\n        set two-factor fortitoken\n        set fortitoken \"FTKMOB0000000002\"\n    next\nend\n\
config user fortitoken\n\
    edit \"FTKMOB000{q}\"\n        set seed ENC c2VlZA==\n    next\n\
    edit \"FTKMOB0000000001\"\n        set license \"EFTM1{q}\"\n        set reg-id \"r1\"\n        set comments \"x{q}\"\n    next\n\
    edit \"FTKMOB0000000002\"\n        set license \"EFTM2\"\n        set reg-id \"r2\"\n    next\n\
    edit \"FTKMOB0000000003\"\n        set license \"EFTM3\"\n        set reg-id \"r3\"\n    next\n\
    edit \"FTKMOB0000000004\"\n        set license \"EFTM4\"\n        set reg-id \"r4\"\n    next\n\
end\n\
config user local\n    edit \"alice{q}\"\n        set two-factor fortitoken\n        set fortitoken \"FTKMOB0000000001\"\n    next\n\
    edit \"bob\"\n        set two-factor \"fortitoken{q}\"\n        set fortitoken \"FTKMOB0000000003\"\n    next\n\
    edit \"carol\"\n        set two-factor fortitoken\n        set fortitoken \"FTKMOB0000000004\"\n    next\nend\n"
        );
        let model = Model::build(parse::parse(&text).unwrap());
        let models = vec![Some(model)];
        let findings = rules::run(&models, NOW, vec![true]);
        let model = models[0].as_ref().unwrap();
        let fx = fix_file(
            model,
            0,
            &findings,
            &PlanOptions::default(),
            &format!("evil{p}.conf"),
            DATE,
        );
        let script = fx.script.text(None);
        let runbook = fortilint::fix::runbook::render(
            model,
            &fx.plan,
            &fortilint::fix::script::ScriptInfo {
                source: "evil",
                date: DATE.to_owned(),
                findings: Vec::new(),
            },
        );
        for out in [&script, &runbook] {
            for line in out.split(['\n', '\r', '\u{2028}', '\u{2029}', '\u{85}']) {
                assert!(
                    !line.trim_start().starts_with("execute factoryreset"),
                    "injected via {p:?}: {line:?}\n{out}"
                );
            }
        }
        let doc = parse::parse(&script).unwrap();
        let mut it = Interpreter::new(model);
        it.other_unit = true;
        it.run(&doc);
        assert!(
            !it.skipped.iter().any(|s| s.contains("factoryreset")),
            "{:?}",
            it.skipped
        );
        // The safe token of the safe licence is still planned, and reassigned.
        assert!(script.contains("delete \"FTKMOB0000000004\""), "{script}");
        assert!(script.contains("edit \"carol\""), "{script}");
    }
}

/// `--write` keeps owner, group and extended attributes (ACLs are extended attributes), and
/// `write_atomic` refuses a file that changed since it was read.
#[cfg(unix)]
#[test]
fn write_keeps_owner_and_xattrs_and_refuses_changed_files() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = d.join("fw.conf");
    std::fs::copy(
        root().join("tests/fixtures/rules/activation_expired/violation.conf"),
        &good,
    )
    .unwrap();
    let xattrs = xattr::set(&good, "user.fortilint-test", b"kept").is_ok();
    let root_user = std::fs::metadata(d).unwrap().uid() == 0
        && std::os::unix::fs::chown(&good, Some(4321), Some(4322)).is_ok();
    let out = run_in(
        d,
        &[
            "fix",
            "--now",
            "1700000000",
            "--write",
            "--script",
            "s.txt",
            "fw.conf",
        ],
    );
    assert_ne!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !std::fs::read_to_string(&good)
            .unwrap()
            .contains("set activation-code")
    );
    if xattrs {
        assert_eq!(
            xattr::get(&good, "user.fortilint-test").unwrap().as_deref(),
            Some(&b"kept"[..])
        );
    } else {
        eprintln!("extended attributes not supported here: that part was not checked");
    }
    if root_user {
        let m = std::fs::metadata(&good).unwrap();
        assert_eq!((m.uid(), m.gid()), (4321, 4322));
    }
    // Changed since read: refused, file untouched, no temporary file left.
    std::fs::write(&good, "changed by somebody else\n").unwrap();
    let err = fortilint::cli::fix::write_atomic(&good, "new", Some(b"what was read")).unwrap_err();
    assert!(err.to_string().contains("changed since"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&good).unwrap(),
        "changed by somebody else\n"
    );
    let leftovers = std::fs::read_dir(d)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".fortilint-")
        })
        .count();
    assert_eq!(leftovers, 0);
}

/// After stage 2 on the new unit, its `diagnose fortitoken info` (given with `--evidence`)
/// supplies the new trial serials: stages 3/4 use them, never the old ones or placeholders.
#[test]
fn new_trial_serials_come_from_the_units_own_output() {
    let file = "tests/fixtures/rules/trial_token_migration/violation.conf";
    let base = ["fix", "--migration", "--now", "1700000000", file];
    let without = fortilint()
        .args(base)
        .args(["--stage", "3"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&without.stdout).contains("<FILL-IN:new-trial-serial-1-in-unit>")
    );
    let out = fortilint()
        .args(base)
        .args([
            "--stage",
            "3",
            "--evidence",
            "tests/fixtures/fix/trial-post-import.log",
        ])
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("set fortitoken \"FTKMOB5E0C2A11D7\""), "{s}");
    assert!(!s.contains("<FILL-IN:new-trial-serial"), "{s}");
    assert!(
        !s.contains("FTKMOBCF882949C9\""),
        "old trial serial reused: {s}"
    );
    let diff = fortilint()
        .args(base)
        .args([
            "--diff",
            "--evidence",
            "tests/fixtures/fix/trial-post-import.log",
        ])
        .output()
        .unwrap();
    let d = String::from_utf8_lossy(&diff.stdout);
    assert!(
        d.contains("+    edit \"FTKMOB5E0C2A11D7\"")
            && d.contains("+    edit \"FTKMOB5E0C2A11D8\""),
        "{d}"
    );
}
