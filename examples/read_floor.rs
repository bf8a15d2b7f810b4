//! The floor under `fortilint check` on one file: read it whole with `std::fs::read` and count
//! its line breaks with memchr, nothing else. `bench/run.py` times it beside the real run.
fn main() {
    let mut lines = 0usize;
    for path in std::env::args().skip(1) {
        match std::fs::read(&path) {
            Ok(bytes) => lines += memchr::memchr_iter(b'\n', &bytes).count(),
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(2);
            }
        }
    }
    println!("{lines}");
}
