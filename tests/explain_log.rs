//! `fortilint explain-log`: one snapshot per event kind, JSON output, secrets masked.

use std::collections::BTreeMap;

use assert_cmd::Command;

fn fortilint() -> Command {
    let mut c = Command::cargo_bin("fortilint").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

const FILES: [&str; 5] = [
    "tests/fixtures/evidence/fortitoken-info.log",
    "tests/fixtures/evidence/forticare-errors.log",
    "tests/fixtures/evidence/provisioning.log",
    "tests/fixtures/captures/putty-log.conf",
    "tests/fixtures/captures/console-vdom.conf",
];

const SECRETS: [&str; 4] = [
    "0A1B2C3D4E5F6A7B8C9D",
    "3132333435363738393031323334353637383930",
    "7X3K9QW2ERT5YU8P",
    "FTMLIC0123456789AB",
];

const KINDS: [&str; 17] = [
    "token-status",
    "token-server",
    "forticare-error",
    "licence-import-error",
    "product-not-registered",
    "polling-response",
    "regid-update",
    "licence-request",
    "provision-request",
    "send-reply-refused",
    "activation-code-invalid",
    "activation-send-failed",
    "input-invalid",
    "cmdb-save-error",
    "missing-server-address",
    "alertmail-activation-code",
    "system-status",
];

#[test]
fn one_snapshot_per_event_kind() {
    let out = fortilint().arg("explain-log").args(FILES).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    // Blocks are separated by blank lines; the first line ends with `[kind]`. Every block of
    // a kind goes into that kind's snapshot (token statuses: one per status).
    let mut by_kind: BTreeMap<String, String> = BTreeMap::new();
    for block in text.split("\n\n") {
        let Some(first) = block.lines().next() else {
            continue;
        };
        let Some(kind) = first
            .rsplit_once(" [")
            .map(|(_, k)| k.trim_end_matches(']'))
        else {
            continue;
        };
        let entry = by_kind.entry(kind.to_owned()).or_default();
        entry.push_str(block);
        entry.push_str("\n\n");
    }
    for k in KINDS {
        let body = by_kind
            .get(k)
            .unwrap_or_else(|| panic!("no event of kind {k} in the fixtures"));
        insta::assert_snapshot!(format!("explain-log-{k}"), body);
    }
    assert_eq!(by_kind.len(), KINDS.len(), "{:?}", by_kind.keys());
    for s in SECRETS {
        assert!(!text.contains(s), "secret {s} leaked");
    }
}

#[test]
fn json_output_and_show_secrets() {
    let out = fortilint()
        .args(["explain-log", "--format", "json"])
        .args(FILES)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let raw = String::from_utf8(out.stdout).unwrap();
    for s in SECRETS {
        assert!(!raw.contains(s), "secret {s} leaked");
    }
    let v: serde_json::Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(v["version"], 1);
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), FILES.len());
    let ev = &files[1]["events"][1];
    assert_eq!(ev["line"], 5);
    assert_eq!(ev["kind"], "forticare-error");
    assert_eq!(ev["title"], "FortiCare error 14: forticare license expired");
    assert!(ev["source"].as_str().unwrap().starts_with("KB 194508"));
    for key in ["meaning", "cause", "next_step", "text"] {
        assert!(ev[key].is_string(), "{key}");
    }
    // With --show-secrets the codes on event lines are printed.
    let out = fortilint()
        .args(["explain-log", "--format", "json", "--show-secrets"])
        .args(FILES)
        .output()
        .unwrap();
    let raw = String::from_utf8(out.stdout).unwrap();
    for s in &SECRETS[..3] {
        assert!(raw.contains(s), "{s} not shown");
    }
}

#[test]
fn unreadable_file_exits_2_and_others_are_explained() {
    let out = fortilint()
        .args(["explain-log", "no/such.log", FILES[0]])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("no/such.log: error: cannot read file"),
        "{text}"
    );
    assert!(text.contains("provision timeout"));
}
