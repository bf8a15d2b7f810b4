//! Fuzz target: the whole pipeline (source → parse → model → rules → fix → replay → every
//! report format) with the leak, injection, replay and settle oracles of
//! `fortilint::testing::check_pipeline`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = fortilint::testing::check_pipeline(data) {
        panic!("{e}");
    }
});
