//! Fuzz target: the two-level parse (`parse::Mode::ModelBlocks`) gives the same result as the
//! full parse: the same error for a refused input; for an accepted one the same nodes outside
//! `Body` regions and each `Body` tiling exactly the full parse's nodes there
//! (`fortilint::parse::differential::compare`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = fortilint::source::SourceFile::from_bytes("fuzz.conf".into(), data.to_vec()) else {
        return;
    };
    if let Err(e) = fortilint::parse::differential::compare(&src.text) {
        panic!("{e}");
    }
});
