//! Property tests: the parser never panics, and whenever it accepts an input the spans of its
//! tree reproduce that input exactly. Inputs are arbitrary text, FortiOS-shaped token soup,
//! mutations of the bundled samples, and session transcripts built around the samples (random
//! prompts, banners, login lines, fences, other commands' output, `--More--` artefacts, line
//! endings), which must also always parse and keep every token.

use std::path::PathBuf;

use fortilint::model::Model;
use fortilint::parse;
use fortilint::source::SourceFile;
use proptest::prelude::*;

fn check(bytes: Vec<u8>) {
    let Ok(src) = SourceFile::from_bytes(PathBuf::from("p.conf"), bytes) else {
        return;
    };
    if let Ok(doc) = parse::parse(&src.text) {
        let rebuilt: String = doc.spans().map(|s| doc.raw(s)).collect();
        assert_eq!(rebuilt, src.text);
        let m = Model::build(doc);
        let _ = m.secret_spans();
        for t in &m.tokens {
            let _ = t.state(1_700_000_000);
        }
    }
}

fn samples() -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "conf"))
        .collect();
    v.sort();
    v.into_iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// Words and punctuation that make FortiOS-like text.
fn soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("config ".to_owned()),
        Just("edit ".to_owned()),
        Just("set ".to_owned()),
        Just("unset ".to_owned()),
        Just("next".to_owned()),
        Just("end".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\r".to_owned()),
        Just("    ".to_owned()),
        Just("\t".to_owned()),
        Just("\"".to_owned()),
        Just("'".to_owned()),
        Just("\\".to_owned()),
        Just("#".to_owned()),
        Just("ENC ".to_owned()),
        Just("user fortitoken".to_owned()),
        Just("--More--".to_owned()),
        Just("FGT # ".to_owned()),
        "[a-zA-Z0-9_.:/-]{1,8}",
        "\\PC{0,3}",
    ];
    proptest::collection::vec(piece, 0..80).prop_map(|v| v.concat())
}

/// Pieces of a session that a transcript puts between two top-level blocks. Each ends with a
/// `show` prompt, as in a real session, so the configuration after it is `show` output.
fn session_chunk() -> impl Strategy<Value = String> {
    let prompt = prop_oneof![
        Just("FGT-A # ".to_owned()),
        Just("FGT-A (root) # ".to_owned()),
        Just("FGT-A (global) $ ".to_owned()),
        Just("FG_VM-Demo $ ".to_owned()),
    ];
    let piece = prop_oneof![
        Just("=~=~=~=~=~=~=~=~=~=~=~= PuTTY log 2024.01.02 10:11:12 =~=~=~=~=~=~=~=~=~=~=~=\n".to_owned()),
        Just("FGT-A login: admin\nPassword:\nWelcome!\n".to_owned()),
        Just("```\n".to_owned()),
        Just("```text\n".to_owned()),
        Just("{P}get system status\nVersion: FortiGate-60F v7.2.8,build1639,240313 (GA.M)\nSerial-Number: FGT60FTK20000001\nHostname: FGT-A\n".to_owned()),
        Just("{P}diagnose fortitoken info\nFORTITOKEN        DRIFT  STATUS\nFTKMOB4B94972FBA  0      provision timeout\nFTK2000BHV1KRZCC  0      token already activated, and seed won't be returned\n\nTotal activated token: 0\nToken server status: unreachable\n".to_owned()),
        Just("{P}diag debug app forticldd -1\n[forticldd] {\"d\":{\"error\":{\"error_code\":14,\"error_message\":\"forticare license expired\"}}}\nfds_send_reply: send reply failed: req-1, Connection refused\n".to_owned()),
        Just("{P}get system performance status\nCPU states: 0% user 0% system\nMemory: 1955816k total\nsome unknown text\n".to_owned()),
        Just("{P}conf sys glo\n{P}set hostname FGT-A\n{P}end\n".to_owned()),
        Just("{P}\n".to_owned()),
        Just("sh full\n".to_owned()),
    ];
    (
        prompt,
        proptest::collection::vec(piece, 1..4),
        prop_oneof![
            Just("show"),
            Just("sh"),
            Just("sh full"),
            Just("show full-configuration")
        ],
    )
        .prop_map(|(p, pieces, show)| {
            let mut out: String = pieces.concat().replace("{P}", &p);
            out.push_str(&format!("{p}{show}\n"));
            out
        })
}

/// A `--More--` pager artefact as terminals leave it before the next line.
fn pager() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("--More--\n"),
        Just("--More-- \r         \r"),
        Just("--More--\x08\x08\x08\x08\x08\x08\x08\x08        \x08\x08\x08\x08\x08\x08\x08\x08"),
        Just(" --More-- \r\r\n"),
    ]
}

fn token_count(text: &str) -> usize {
    Model::build(parse::parse(text).unwrap()).tokens.len()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        check(bytes);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        check(text.into_bytes());
    }

    #[test]
    fn fortios_soup_never_panics(text in soup()) {
        check(text.into_bytes());
    }

    #[test]
    fn mutated_samples_never_panic(
        which in 0usize..4,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<u8>(), 0usize..40), 1..6),
    ) {
        let all = samples();
        let mut b = all[which % all.len()].clone();
        for (at, op, byte, len) in edits {
            let i = at.index(b.len().max(1)).min(b.len());
            match op {
                0 => { b.insert(i, byte); }
                1 => { let end = (i + len).min(b.len()); b.drain(i..end); }
                2 => { if i < b.len() { b[i] = byte; } }
                _ => {
                    // Duplicate a slice: repeated blocks, stray ends.
                    let end = (i + len).min(b.len());
                    let chunk = b[i..end].to_vec();
                    b.splice(i..i, chunk);
                }
            }
        }
        check(b);
    }

    #[test]
    fn transcripts_around_samples_always_parse(
        which in 0usize..4,
        chunks in proptest::collection::vec((any::<prop::sample::Index>(), session_chunk()), 1..5),
        pagers in proptest::collection::vec((any::<prop::sample::Index>(), pager()), 0..6),
        ending in 0u8..3,
    ) {
        let all = samples();
        let sample = String::from_utf8(all[which % all.len()].clone()).unwrap();
        let want = token_count(&sample);
        // Top-level block starts: where a session can stop and show again.
        let doc = parse::parse(&sample).unwrap();
        let mut cuts: Vec<usize> = doc
            .top_level()
            .filter(|&id| doc.node(id).kind == parse::Kind::Config)
            .map(|id| doc.node(id).span.start as usize)
            .collect();
        cuts.push(sample.len());
        // Line starts outside multi-line values, for pager artefacts.
        let lines: Vec<usize> = doc
            .tree
            .nodes
            .iter()
            .filter(|n| !n.kind.is_trivia())
            .map(|n| n.span.start as usize)
            .collect();
        let mut inserts: Vec<(usize, String)> = chunks
            .into_iter()
            .map(|(i, c)| (cuts[i.index(cuts.len())], c))
            .collect();
        inserts.extend(pagers.into_iter().map(|(i, p)| (lines[i.index(lines.len())], p.to_owned())));
        inserts.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
        let mut text = sample.clone();
        for (at, s) in inserts {
            text.insert_str(at, &s);
        }
        let text = match ending {
            0 => text,
            1 => text.replace('\n', "\r\n"),
            _ => text.replace("\n", "\r\n").replacen("\r\n", "\r", 3),
        };
        let src = SourceFile::from_bytes(PathBuf::from("t.log"), text.clone().into_bytes()).unwrap();
        let doc = parse::parse(&src.text).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
        let rebuilt: String = doc.spans().map(|s| doc.raw(s)).collect();
        prop_assert_eq!(&rebuilt, &src.text);
        let m = Model::build(doc);
        prop_assert_eq!(m.tokens.len(), want);
        let _ = m.secret_spans();
        let _ = m.unit_evidence();
    }
}

// ---------------------------------------------------------------------------------------------
// The two-level parse (`parse::Mode::ModelBlocks`) against the full parse.
// ---------------------------------------------------------------------------------------------

/// Statements of real backups, values of every shape (the first [`CLEAN`] fragments), then
/// broken statements, script verbs, capture noise and lone characters.
const CLEAN: usize = 11;
const FRAGMENTS: &[&str] = &[
    "set comments \"multi\nline\"",
    "set buffer \"<html>\\\"q\\\" \\\\ end\nnext\n</html>\"",
    "set passwd ENC SH2abc+/==",
    "set member \"a\" \"b\" c",
    "set k 'single quoted\nvalue'",
    "set word a\\ b\\\ncontinued",
    "set service \"\"HTTPS\" \"HTTP\"",
    "set name \"new\"_zone1",
    "set subnet 10.0.0.1 255.255.255.0",
    "unset status",
    "# a comment",
    "set",
    "set \"x\" y",
    "edit 1",
    "edit \"FTKMOB42A1AAF752\"",
    "edit a b",
    "edit",
    "next",
    "end",
    "end foo",
    "config system interface",
    "config firewall policy",
    "config user local",
    "conf user fortitoken",
    "delete \"x\"",
    "execute fortitoken import",
    "#config-version=FGT60F-7.2.8-FW-build1639-240313:opmode=0:vdom=1:user=admin",
    "FGT60F (root) # show",
    "--More-- \r        \r",
    "\"",
    "'",
    "\\",
    "",
    "    ",
    "\t",
];

/// A backup-shaped text: top-level blocks (model and non-model), VDOM wrappers, nested blocks
/// and entries, statements built from [`FRAGMENTS`], a line ending per text, optional BOM.
fn backup_shaped() -> impl Strategy<Value = String> {
    let paths = prop_oneof![
        Just("user fortitoken"),
        Just("user local"),
        Just("system admin"),
        Just("system global"),
        Just("system ha"),
        Just("system interface"),
        Just("system \"sms-server\""),
        Just("firewall address"),
        Just("firewall policy"),
        Just("system replacemsg auth \"auth-fortitoken-page\""),
        Just("router static"),
    ];
    let stmt = prop_oneof![
        30 => (0..CLEAN).prop_map(|i| FRAGMENTS[i].to_owned()),
        10 => "set [a-z-]{1,8} [a-zA-Z0-9 .-]{0,12}",
        1 => (CLEAN..FRAGMENTS.len()).prop_map(|i| FRAGMENTS[i].to_owned()),
        1 => "set [a-z-]{1,8} [a-zA-Z0-9 .\"'\\\\-]{0,12}",
        1 => "(config|edit) [a-z0-9 ]{1,10}",
    ];
    let block = (
        paths,
        proptest::collection::vec((0u8..4, stmt, 0usize..3), 0..8),
        prop_oneof![20 => Just(true), 1 => Just(false)],
    )
        .prop_map(|(path, body, close)| {
            let mut out = format!("config {path}\n");
            for (shape, s, depth) in body {
                let pad = "    ".repeat(depth + 1);
                match shape {
                    0 => out.push_str(&format!(
                        "{pad}edit \"e{depth}\"\n{pad}    {s}\n{pad}next\n"
                    )),
                    1 => out.push_str(&format!("{pad}config sub\n{pad}    {s}\n{pad}end\n")),
                    _ => out.push_str(&format!("{pad}{s}\n")),
                }
            }
            if close {
                out.push_str("end\n");
            }
            out
        });
    (
        any::<bool>(),
        0u8..3,
        proptest::collection::vec((block, 0u8..3), 1..6),
        0u8..4,
    )
        .prop_map(|(bom, vdom, blocks, ending)| {
            let mut out = String::new();
            if bom {
                out.push('\u{feff}');
            }
            out.push_str(
                "#config-version=FGT60F-7.2.8-FW-build1639-240313:opmode=0:vdom=1:user=admin\n",
            );
            if vdom > 0 {
                out.push_str("config vdom\nedit root\nnext\nend\n");
            }
            for (b, wrap) in blocks {
                match (vdom, wrap) {
                    (0, _) | (_, 0) => out.push_str(&b),
                    (_, 1) => out.push_str(&format!("config global\n{b}end\n")),
                    _ => out.push_str(&format!("config vdom\nedit root\n{b}end\n")),
                }
            }
            match ending {
                0 | 1 => out,
                2 => out.replace('\n', "\r\n"),
                _ => out.replacen('\n', "\r", 2),
            }
        })
}

/// Byte-level mutations that keep the text valid UTF-8: insert a fragment, delete a range,
/// duplicate a range, swap a line ending.
fn mutate(text: &str, edits: Vec<(prop::sample::Index, u8, usize, usize)>) -> String {
    let mut s = text.to_owned();
    for (at, op, pick, len) in edits {
        let mut i = at.index(s.len() + 1);
        while !s.is_char_boundary(i) {
            i -= 1;
        }
        let mut end = (i + len).min(s.len());
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        match op {
            0 => s.insert_str(i, FRAGMENTS[pick % FRAGMENTS.len()]),
            1 => drop(s.drain(i..end)),
            2 => {
                let dup = s[i..end].to_owned();
                s.insert_str(i, &dup);
            }
            _ => s.insert_str(
                i,
                ["\n", "\r\n", "\r", "\"", "\\", "end\n", "next\n"][pick % 7],
            ),
        }
    }
    s
}

fn differential(text: &str) -> Result<(), TestCaseError> {
    let Ok(src) = SourceFile::from_bytes(PathBuf::from("d.conf"), text.as_bytes().to_vec()) else {
        return Ok(());
    };
    if let Err(e) = parse::differential::compare(&src.text) {
        return Err(TestCaseError::fail(format!("{e}\ninput: {:?}", src.text)));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn two_level_agrees_on_backup_shaped_text(text in backup_shaped()) {
        differential(&text)?;
    }

    #[test]
    fn two_level_agrees_on_mutated_backups(
        text in backup_shaped(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<usize>(), 0usize..30), 1..6),
    ) {
        differential(&mutate(&text, edits))?;
    }

    #[test]
    fn two_level_agrees_on_mutated_samples(
        which in 0usize..16,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<usize>(), 0usize..30), 0..5),
    ) {
        let all = samples();
        let sample = String::from_utf8_lossy(&all[which % all.len()]).into_owned();
        differential(&mutate(&sample, edits))?;
    }

    #[test]
    fn two_level_agrees_on_soup(text in soup()) {
        differential(&text)?;
    }

    #[test]
    fn two_level_agrees_on_arbitrary_text(text in "\\PC{0,300}") {
        differential(&text)?;
    }
}

/// The generated inputs do exercise the skipping: most backup-shaped texts have Body nodes.
#[test]
fn backup_shaped_inputs_skip_blocks() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = backup_shaped();
    let mut with_bodies = 0;
    for _ in 0..200 {
        let text = strategy.new_tree(&mut runner).unwrap().current();
        if parse::differential::compare(&text).unwrap() > 0 {
            with_bodies += 1;
        }
    }
    assert!(
        with_bodies > 50,
        "only {with_bodies} of 200 inputs had Body nodes"
    );
}
