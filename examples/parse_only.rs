//! Parses each file given on the command line and prints statement counts (a profiling aid).
fn main() {
    for path in std::env::args().skip(1) {
        let src = fortilint::source::SourceFile::load(path.as_ref()).expect("load");
        let t = std::time::Instant::now();
        match fortilint::parse::parse(&src.text) {
            Ok(doc) => println!(
                "{path}: {} nodes {} args in {:?}",
                doc.len(),
                doc.tree.args.len(),
                t.elapsed()
            ),
            Err(e) => println!("{path}: error {e:?}"),
        }
    }
}
