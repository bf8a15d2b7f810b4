//! Fuzz target: source sniffing, parsing and model building must never panic, and an accepted
//! input must be reproduced byte for byte by the tree's spans.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = fortilint::source::SourceFile::from_bytes("fuzz.conf".into(), data.to_vec()) else {
        return;
    };
    if let Ok(doc) = fortilint::parse::parse(&src.text) {
        let rebuilt: String = doc.spans().map(|s| doc.raw(s)).collect();
        assert_eq!(rebuilt, src.text);
        let model = fortilint::model::Model::build(doc);
        let _ = model.secret_spans();
    }
});
