//! Terminal escape injection (issue 12): names, serials and paths with ESC, CR, BEL, DEL, C1
//! controls, line separators and bidi overrides never reach a text output raw.

use std::path::Path;

use assert_cmd::Command;

/// A backup whose user, admin and token names carry control characters, with findings on them.
const HOSTILE: &str = "#config-version=FGT60F-7.2.8-FW-build1639-240313:opmode=0:vdom=0:user=admin
#global_vdom=1
config system global
    set hostname \"FGT\u{1b}]0;pwned\u{7}\"
end
config system admin
    edit \"admin\"
        set accprofile \"super_admin\"
        set password ENC SH2cGFzc3dvcmQ=
    next
    edit \"ad\u{1b}[2Jmin2\"
        set accprofile \"super_admin\"
        set two-factor fortitoken
        set fortitoken \"FTKMOB46BF8AE8E1\"
    next
end
config user fortitoken
    edit \"FTKMOB46BF8AE8E1\"
        set license \"EFTM1075769840\"
        set activation-code \"JXFGDUW73CAUCKRW\"
        set activation-expire 1600000000
    next
    edit \"FTKMOB\u{1b}[1A\u{8}\rX\u{9b}2J\u{202e}\u{2028}\u{7f}9\"
        set license \"EFTM1075769840\"
        set status lock
    next
end
config user local
    edit \"x\u{1b}[2Jy\"
        set type password
        set two-factor fortitoken
        set fortitoken \"FTKMOB\u{1b}[1A\u{8}\rX\u{9b}2J\u{202e}\u{2028}\u{7f}9\"
        set passwd ENC cGFzc3dk
    next
    edit \"lena\rhoffmann\"
        set type password
        set two-factor fortitoken
        set fortitoken \"FTKMOB46BF8AE8E1\"
        set passwd ENC cGFzc3dk
    next
end
";

/// The first raw unsafe character of an output, if any: C0 controls but line feed (and CR
/// before it), DEL, C1, U+2028/2029 and bidi overrides.
fn raw_control(out: &str) -> Option<(usize, char)> {
    let b: Vec<char> = out.chars().collect();
    b.iter().enumerate().find_map(|(i, &c)| {
        let ok = c == '\n' || (c == '\r' && b.get(i + 1) == Some(&'\n'));
        (!ok && fortilint::report::is_unsafe_char(c)).then_some((i, c))
    })
}

fn run(dir: &Path, args: &[&str]) -> (String, String) {
    let out = Command::cargo_bin("fortilint")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn no_raw_control_character_in_any_text_output() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("unit.conf"), HOSTILE).unwrap();
    // A path with ESC and a broken file under it; a missing path with BEL.
    let evil = "bad\u{1b}[31mname\u{202e}.conf";
    std::fs::write(
        dir.path().join(evil),
        "config system global\n    frob\u{1b}[2J now\nend\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("debug.log"),
        "alertmail: activation code: ABCD for x\u{1b}[2J\u{7} sent\n\
         FORTITOKEN        DRIFT  STATUS\n\
         FTKMOB46BF8AE8E1\u{1b}[2J  0      new\n",
    )
    .unwrap();
    let now = ["--now", "1700000000"];
    let mut cases: Vec<Vec<&str>> = Vec::new();
    for format in ["human", "concise", "github", "gitlab", "junit"] {
        let mut a = vec!["check", "--migration", "--format", format];
        a.extend(now);
        a.extend(["unit.conf", evil, "missing\u{7}.conf"]);
        cases.push(a);
    }
    for format in ["table", "csv", "html"] {
        let mut a = vec!["tokens", "--format", format];
        a.extend(now);
        a.extend(["unit.conf", evil]);
        cases.push(a);
    }
    for extra in [
        &["--diff"][..],
        &["--format", "plan"],
        &["--format", "script"],
    ] {
        let mut a = vec!["fix", "--migration"];
        a.extend(extra);
        a.extend(now);
        a.push("unit.conf");
        cases.push(a);
    }
    cases.push(vec!["explain-log", "debug.log", evil]);
    cases.push(vec![
        "check",
        "--evidence",
        "missing\u{1b}[2J.log",
        "unit.conf",
    ]);
    let mut findings_seen = 0;
    for args in &cases {
        let (stdout, stderr) = run(dir.path(), args);
        for (what, text) in [("stdout", &stdout), ("stderr", &stderr)] {
            if let Some((at, c)) = raw_control(text) {
                let from = text
                    .char_indices()
                    .nth(at.saturating_sub(40))
                    .map_or(0, |x| x.0);
                panic!(
                    "{args:?} {what}: raw {c:?} at char {at}: {:?}",
                    &text[from..]
                );
            }
        }
        if stdout.contains("\\u{1b}") || stderr.contains("\\u{1b}") {
            findings_seen += 1;
        }
    }
    // The names did reach the outputs, escaped: the test looks at real text.
    assert!(
        findings_seen >= 10,
        "only {findings_seen} outputs show an escape"
    );
}
