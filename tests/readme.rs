//! The README's rule table is generated from the registry: this test fails when they drift.

#[test]
fn readme_rule_table_matches_registry() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("<!-- rules:start -->\n").expect("start marker")
        + "<!-- rules:start -->\n".len();
    let end = readme.find("<!-- rules:end -->").expect("end marker");
    let expected = fortilint::cli::rules::markdown_table();
    assert_eq!(
        &readme[start..end],
        expected,
        "regenerate with: cargo run -- rules --format markdown"
    );
}

/// Every option of `check`, `fix` and `tokens` is in the README's option table, generated from
/// the clap definitions. `FORTILINT_BLESS=1 cargo test --test readme` rewrites it.
#[test]
fn readme_option_table_matches_the_command_line() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let (open, close) = ("<!-- options:start -->\n", "<!-- options:end -->");
    let start = readme.find(open).expect("start marker") + open.len();
    let end = readme.find(close).expect("end marker");
    let expected = fortilint::cli::settings::options_table();
    if std::env::var_os("FORTILINT_BLESS").is_some() {
        let mut new = readme.clone();
        new.replace_range(start..end, &expected);
        std::fs::write(path, new).unwrap();
        return;
    }
    assert_eq!(
        &readme[start..end],
        expected,
        "regenerate with: FORTILINT_BLESS=1 cargo test --test readme"
    );
}
