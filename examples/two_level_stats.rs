//! Prints what the two-level parse does with each file: how many bodies it skips, the nodes of
//! its tree against the full parse's, and the bytes pest parses (a profiling aid).
use fortilint::parse::{self, Kind, Mode};

fn main() {
    for path in std::env::args().skip(1) {
        let src = fortilint::source::SourceFile::load(path.as_ref()).expect("load");
        let t = std::time::Instant::now();
        let two = parse::parse_with(&src.text, Mode::ModelBlocks).expect("parse");
        let elapsed = t.elapsed();
        let full = parse::parse_with(&src.text, Mode::Full)
            .expect("parse")
            .len();
        let bodies: Vec<usize> = (0..two.len() as u32)
            .filter(|&i| two.node(i).kind == Kind::Body)
            .map(|i| two.node(i).span.range().len())
            .collect();
        let skipped: usize = bodies.iter().sum();
        println!(
            "{path}: two-level parse {elapsed:?}; {} bodies skipped ({:.1} % of the bytes); \
             {} nodes instead of {full}",
            bodies.len(),
            skipped as f64 * 100.0 / src.text.len() as f64,
            two.len()
        );
    }
}
