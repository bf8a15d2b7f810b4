//! Whole-file parsing: every sample and every corpus backup parses, and the tree's spans
//! reproduce the input byte for byte. Malformed inputs get a named, located error.

use std::path::{Path, PathBuf};

use fortilint::model::Model;
use fortilint::parse::{self, ParseErrorKind};
use fortilint::source::{LineIndex, SourceErrorKind, SourceFile};

fn conf_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "conf"))
        .collect();
    v.sort();
    v
}

fn assert_lossless(path: &Path) {
    let src = match SourceFile::load(path) {
        Ok(src) => src,
        // A header and nothing else (one public test file is just that) is a truncated
        // backup: refused with a located error, which is right; check that it is so.
        Err(e) if e.kind == SourceErrorKind::HeaderOnly => {
            let text = std::fs::read_to_string(path).unwrap();
            assert!(
                text.lines()
                    .all(|l| l.trim().is_empty() || l.starts_with('#'))
            );
            return;
        }
        Err(e) => panic!("{}: {e}", path.display()),
    };
    let doc = parse::parse(&src.text).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
    let mut rebuilt = String::with_capacity(src.text.len());
    let mut at = 0u32;
    for span in doc.spans() {
        assert_eq!(
            span.start,
            at,
            "{}: spans must be contiguous",
            path.display()
        );
        rebuilt.push_str(doc.raw(span));
        at = span.end;
    }
    assert_eq!(
        rebuilt.as_bytes(),
        src.text.as_bytes(),
        "{}",
        path.display()
    );
    // Every argument lies inside its statement's content.
    for (i, n) in doc.tree.nodes.iter().enumerate() {
        for a in doc.args(i as u32) {
            assert!(
                n.content.start <= a.span.start && a.span.end <= n.content.end,
                "{}: node {i}",
                path.display()
            );
        }
    }
    let _ = Model::build(doc);
}

#[test]
fn samples_parse_losslessly() {
    let files = conf_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("samples"));
    assert!(files.len() >= 4);
    for f in files {
        assert_lossless(&f);
    }
}

#[test]
fn shared_corpus_parses_losslessly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !dir.is_dir() {
        eprintln!("skipped: {} not present", dir.display());
        return;
    }
    let files = conf_files(&dir);
    assert!(!files.is_empty());
    for f in files {
        assert_lossless(&f);
    }
}

#[test]
fn line_endings_bom_tabs_and_no_final_newline_round_trip() {
    let body = "config system global\n\tset hostname \"a\"  \n  set alias 'x y'\nend\nconfig user local\n    edit u\n        set x \"multi\nline\"\n    next\nend";
    for text in [
        body.to_owned(),
        body.replace('\n', "\r\n"),
        body.replace('\n', "\r"),
        format!("\u{feff}{body}\n\n  \t"),
    ] {
        let doc = parse::parse(&text).expect("parses");
        assert_eq!(doc.spans().map(|s| doc.raw(s)).collect::<String>(), text);
        let m = Model::build(doc);
        assert_eq!(m.users.len(), 1);
    }
}

#[test]
fn ten_megabyte_line_and_long_values() {
    let long = "A".repeat(10 << 20);
    let text = format!(
        "config system replacemsg-image\n    edit \"x\"\n        set image-base64 \"{long}\"\n    next\nend\n"
    );
    let doc = parse::parse(&text).unwrap();
    let set = doc
        .tree
        .nodes
        .iter()
        .position(|n| n.kind == parse::Kind::Set)
        .unwrap() as u32;
    assert_eq!(doc.set_value(set).unwrap().len(), 10 << 20);
    // The same line without its closing quote: located at the opening quote.
    let broken = format!("config a\n    set b \"{long}\n");
    let e = parse::parse(&broken).unwrap_err();
    assert_eq!(e.kind, ParseErrorKind::UnterminatedQuote);
    let idx = LineIndex::new(&broken);
    assert_eq!(idx.line_col(&broken, e.span.start as usize), (2, 11));
}

#[test]
fn deep_nesting_is_bounded() {
    let text = "config a\n".repeat(200_000);
    let e = parse::parse(&text).unwrap_err();
    assert_eq!(e.kind, ParseErrorKind::TooDeep);
    let text = format!("{}{}", "config a\n".repeat(60), "end\n".repeat(60));
    assert!(parse::parse(&text).is_ok());
}

#[test]
fn binary_inputs_are_named() {
    let load = |b: &[u8]| SourceFile::from_bytes(PathBuf::from("x.conf"), b.to_vec()).unwrap_err();
    let mut enc = b"#config-version=FGT60F-7.2.5-FW-build1517-230606:opmode=0:vdom=0:user=admin\n#conf_file_ver=1\n".to_vec();
    enc.extend((0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    assert_eq!(load(&enc).kind, SourceErrorKind::Encrypted);
    assert_eq!(
        load(b"\x7fELF\x02\x01\x01\0\0\0").kind,
        SourceErrorKind::Nul
    );
    assert_eq!(
        load(b"config a\n  set b \xff\xfe\nend\n").kind,
        SourceErrorKind::InvalidUtf8
    );
    assert_eq!(load(b"").kind, SourceErrorKind::Empty);
}

#[test]
fn parallel_pieces_give_the_same_tree() {
    // Multi-line quoted values full of statement-like lines, so that many cuts fall inside
    // a quoted value and the speculative pieces must be re-synchronised.
    let mut text = String::new();
    for i in 0..3000 {
        text.push_str(&format!(
            "config system replacemsg auth \"p{i}\"\n    set buffer \"<html>\nend\nnext\nconfig x\n# {i}\n   set y \\\"z\\\"\n</html>\"\nend\nconfig user local\n    edit \"u{i}\"\n        set fortitoken \"FTKMOB{i:010}\"\n    next\nend\n"
        ));
    }
    for text in [
        text.clone(),
        text.replace('\n', "\r\n"),
        text.replace('\n', "\r"),
    ] {
        let one = parse::parse_in_pieces(&text, 1).unwrap();
        for pieces in [2, 3, 7, 64] {
            let many = parse::parse_in_pieces(&text, pieces).unwrap();
            assert_eq!(
                one.tree.nodes.len(),
                many.tree.nodes.len(),
                "{pieces} pieces"
            );
            for (a, b) in one.tree.nodes.iter().zip(&many.tree.nodes) {
                assert_eq!(
                    (a.kind, a.span, a.content, a.subtree_end),
                    (b.kind, b.span, b.content, b.subtree_end)
                );
                assert_eq!(
                    one.tree.args[a.args.0 as usize..a.args.1 as usize],
                    many.tree.args[b.args.0 as usize..b.args.1 as usize]
                );
            }
        }
    }
    // An error is found wherever the pieces are cut.
    let broken = format!("{text}config a\n    set b \"never closed\n");
    for pieces in [1, 2, 5] {
        assert_eq!(
            parse::parse_in_pieces(&broken, pieces).unwrap_err().kind,
            ParseErrorKind::UnterminatedQuote
        );
    }
}

/// The two-level parse (`Mode::ModelBlocks`, used by `check` and `tokens`) agrees with the full
/// parse on every sample, every malformed fixture and every corpus backup, skips the blocks
/// the model does not read, and builds the same model.
#[test]
fn two_level_parse_agrees_on_samples_and_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = conf_files(&root.join("samples"));
    files.extend(conf_files(&root.join("tests/fixtures/malformed")));
    let corpus = root.join("../shared/corpus");
    if corpus.is_dir() {
        files.extend(conf_files(&corpus));
    }
    let mut skipped = 0;
    for path in &files {
        let Ok(src) = SourceFile::load(path) else {
            continue;
        };
        let bodies = parse::differential::compare(&src.text)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (Ok(full), Ok(two)) = (
            parse::parse(&src.text),
            parse::parse_with(&src.text, parse::Mode::ModelBlocks),
        ) else {
            continue;
        };
        if bodies > 0 {
            skipped += 1;
        }
        let (a, b) = (Model::build(full), Model::build(two));
        let serials = |m: &Model<'_>| {
            m.tokens
                .iter()
                .map(|t| t.serial.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(serials(&a), serials(&b), "{}", path.display());
        assert_eq!(a.users.len(), b.users.len(), "{}", path.display());
        assert_eq!(a.admins.len(), b.admins.len(), "{}", path.display());
        assert_eq!(a.warnings, b.warnings, "{}", path.display());
        assert_eq!(a.is_multi_vdom(), b.is_multi_vdom(), "{}", path.display());
    }
    assert!(skipped >= 3, "only {skipped} files had skipped blocks");
}

/// Large inputs parse the stretches between skipped bodies in parallel: same result as the
/// full parse (which is itself parsed in parallel pieces).
#[test]
fn two_level_parse_of_a_large_file_agrees() {
    let mut text = String::from(
        "#config-version=FGT60F-7.2.8-FW-build1639-240313:opmode=0:vdom=1:user=admin\n\
         config vdom\nedit root\nnext\nend\n",
    );
    let pem = "MIIB".repeat(40);
    let mut i = 0;
    while text.len() < 6 << 20 {
        text.push_str(&format!(
            "config global\nconfig firewall address\n    edit \"a{i}\"\n        set comment \"x\n{pem}\nend\"\n        set w a\\\nb\n    next\nend\nend\n\
             config vdom\nedit root\nconfig user local\n    edit \"u{i}\"\n        set passwd ENC {pem}\n    next\nend\n\
             config router static\n    edit {i}\n        set device \"port1\"\n    next\nend\nend\n"
        ));
        i += 1;
    }
    let bodies = parse::differential::compare(&text).unwrap();
    assert_eq!(bodies, 2 * i);
}
