//! Property tests: the parser never panics, and whenever it accepts an input the spans of its
//! tree reproduce that input exactly. Inputs are arbitrary text, FortiOS-shaped token soup,
//! and mutations of the bundled samples.

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
}
