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
