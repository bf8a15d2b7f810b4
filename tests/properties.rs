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
