//! Times the pipeline stages on each file given on the command line (a profiling aid).
fn main() {
    for path in std::env::args().skip(1) {
        let t = std::time::Instant::now();
        let src = fortilint::source::SourceFile::load(path.as_ref()).expect("load");
        let load = t.elapsed();
        if std::env::var_os("PIECES").is_some() {
            for n in [1, 2] {
                let t = std::time::Instant::now();
                let d = fortilint::parse::parse_in_pieces(&src.text, n).map(|d| d.len());
                println!("{n} piece(s): {:?} {d:?}", t.elapsed());
            }
        }
        let t = std::time::Instant::now();
        let doc = match fortilint::parse::parse(&src.text) {
            Ok(doc) => doc,
            Err(e) => {
                println!("{path}: error {e:?}");
                continue;
            }
        };
        let parse = t.elapsed();
        let nodes = doc.len();
        let t = std::time::Instant::now();
        let model = fortilint::model::Model::build(doc);
        let build = t.elapsed();
        let t = std::time::Instant::now();
        let models = vec![Some(model)];
        let findings = fortilint::rules::run(&models, 1_700_000_000, vec![false]);
        let rules = t.elapsed();
        println!(
            "{path}: {nodes} nodes, {} findings; load {load:?}, parse {parse:?}, model {build:?}, rules {rules:?}",
            findings.len()
        );
    }
}
