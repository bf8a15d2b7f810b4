//! Runtime evidence read from captures and debug logs, joined to units and tokens.

use std::path::Path;

use fortilint::model::evidence::UnitRef;
use fortilint::model::{Evidence, Model, RuntimeStatus};
use fortilint::parse;
use fortilint::source::SourceFile;

fn load(rel: &str) -> SourceFile {
    SourceFile::load(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(rel),
    )
    .unwrap()
}

#[test]
fn same_file_evidence_is_joined_to_the_backup_tokens() {
    let src = load("captures/putty-log.conf");
    let m = Model::build(parse::parse(&src.text).unwrap());
    let unit = m.unit_evidence().expect("the capture's own unit");
    assert_eq!(unit.serial.as_deref(), Some("FGT60FTK20000001"));
    assert_eq!(unit.hostname.as_deref(), Some("FGT-A"));
    assert_eq!(unit.ha_mode.as_deref(), Some("standalone"));
    for t in &m.tokens {
        let s = unit
            .token_status(m.vdom(t.scope), &t.serial)
            .unwrap_or_else(|| panic!("{}", t.serial));
        let expect = if t.serial.starts_with("FTKMOB") {
            RuntimeStatus::Provisioned
        } else {
            RuntimeStatus::AlreadyActivated
        };
        assert_eq!(s.status, expect);
    }
    let s = unit.token_status(None, "FTKMOB4B94972FBA").unwrap();
    assert_eq!(s.origin.to_string(), "line 30");
    assert_eq!(unit.token_server().unwrap().0, "reachable");
}

#[test]
fn vdom_context_from_the_prompt() {
    let src = load("captures/console-vdom.conf");
    let m = Model::build(parse::parse(&src.text).unwrap());
    let unit = m.unit_evidence().unwrap();
    let s = unit.token_status(Some("root"), "FTKMOB4B94972FBA").unwrap();
    assert_eq!(
        (s.status, s.vdom.as_deref()),
        (RuntimeStatus::Locked, Some("root"))
    );
    assert!(unit.token_status(Some("dmz"), "FTKMOB4B94972FBA").is_none());
    assert_eq!(
        unit.token_status(Some("root"), "FTK2000BHV1KRZCC")
            .unwrap()
            .status,
        RuntimeStatus::NotInFortiguard
    );
    assert_eq!(unit.token_server().unwrap().0, "unreachable");
}

#[test]
fn crlf_capture_reads_statuses() {
    let src = load("captures/crlf-mix.conf");
    let m = Model::build(parse::parse(&src.text).unwrap());
    let unit = m.unit_evidence().unwrap();
    assert_eq!(
        unit.token_status(None, "FTKMOB4B94972FBA").unwrap().status,
        RuntimeStatus::ProvisionTimeout
    );
    let s = unit.token_status(None, "FTK2000BHV1KRZCC").unwrap();
    assert_eq!((s.status, s.drift), (RuntimeStatus::New, 1));
}

#[test]
fn separate_evidence_file_per_unit() {
    let src = load("evidence/fortitoken-info.log");
    let ev = Evidence::from_text("fortitoken-info.log", &src.text);
    let unit = UnitRef {
        serial: Some("FGT60FTK20000001"),
        hostname: None,
    };
    let by = |serial: &str| ev.token_status(unit, None, serial).unwrap().status;
    assert_eq!(by("FTK200AAAAAAAAA1"), RuntimeStatus::New);
    assert_eq!(by("FTKMOB4B94972FBA"), RuntimeStatus::ProvisionTimeout);
    assert_eq!(by("FTK2000BHV1KRZCC"), RuntimeStatus::AlreadyActivated);
    assert_eq!(by("FTK2000BHV1KRZCD"), RuntimeStatus::NotInFortiguard);
    assert_eq!(by("FTKMOB4B94972FBB"), RuntimeStatus::Locked);
    assert_eq!(
        ev.serials_with_status(None, RuntimeStatus::New),
        ["FTK200AAAAAAAAA1"]
    );
    let u = ev.unit_for(Some("FGT60FTK20000001"), None).unwrap();
    assert_eq!(u.ha_mode.as_deref(), Some("a-p, primary"));
    assert_eq!(
        u.token_server().unwrap().1.to_string(),
        "fortitoken-info.log:18"
    );
    // Another unit's backup does not get this unit's evidence.
    let other = UnitRef {
        serial: Some("FGT60FTK29999999"),
        hostname: Some("FGT-Z"),
    };
    assert!(ev.token_status(other, None, "FTK200AAAAAAAAA1").is_none());
}

#[test]
fn forticare_errors_and_debug_messages() {
    let src = load("evidence/forticare-errors.log");
    let ev = Evidence::from_text("e.log", &src.text);
    assert_eq!(ev.units.len(), 1);
    let names: Vec<String> = ev.units[0]
        .events
        .iter()
        .map(|e| format!("{}@{}", e.kind.name(), e.origin.line))
        .collect();
    assert_eq!(
        names,
        [
            "licence-request@4",
            "forticare-error@5",
            "licence-import-error@6",
            "forticare-error@7",
            "forticare-error@8",
            "forticare-error@8",
            "product-not-registered@8",
            "send-reply-refused@9",
            "activation-code-invalid@10",
        ]
    );
    let src = load("evidence/provisioning.log");
    let ev = Evidence::from_text("p.log", &src.text);
    let names: Vec<&str> = ev.units[0].events.iter().map(|e| e.kind.name()).collect();
    assert_eq!(
        names,
        [
            "provision-request",
            "polling-response",
            "regid-update",
            "alertmail-activation-code",
            "activation-send-failed",
            "activation-send-failed",
            "cmdb-save-error",
            "missing-server-address",
            "input-invalid",
        ]
    );
}

fn codes(out: &[u8]) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(out).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["code"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn evidence_flag_joins_a_separate_capture_to_the_backup() {
    let run = |extra: &[&str]| {
        assert_cmd::Command::cargo_bin("fortilint")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args([
                "check",
                "--format",
                "json",
                "--now",
                "1700000000",
                "--select",
                "FTK1",
            ])
            .args(extra)
            .arg("tests/fixtures/evidence/backup-fgt-a.conf")
            .output()
            .unwrap()
    };
    // Without evidence the runtime rules are silent.
    assert!(codes(&run(&[]).stdout).is_empty());
    let out = run(&["--evidence", "tests/fixtures/evidence/fortitoken-info.log"]);
    let found = codes(&out.stdout);
    let code_of = |c: &str| found.iter().filter(|f| f.starts_with(c)).count();
    assert_eq!(code_of("FTK102"), 1, "{found:?}");
    assert_eq!(code_of("FTK103"), 1, "{found:?}");
    assert_eq!(code_of("FTK104"), 1, "{found:?}");
    assert_eq!(code_of("FTK105"), 1, "{found:?}");
    assert!(
        found.iter().any(|f| f.starts_with("FTK102")
            && f.contains("evidence: tests/fixtures/evidence/fortitoken-info.log:10")),
        "{found:?}"
    );
    // A missing evidence file is a usage error.
    let out = run(&["--evidence", "no/such.log"]);
    assert_eq!(out.status.code(), Some(2));
}
