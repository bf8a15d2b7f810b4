//! The pest parser generated from `grammar/fortios.pest`.

#![allow(missing_docs, unreachable_pub)]

use pest_derive::Parser;

/// Parser for FortiOS configuration statements (see the grammar file for the rules).
#[derive(Parser)]
#[grammar = "grammar/fortios.pest"]
pub struct FortiosParser;

#[cfg(test)]
mod tests {
    use super::{FortiosParser, Rule};
    use pest::{Parser, consumes_to, fails_with, parses_to};

    #[test]
    fn set_line_with_values() {
        parses_to! {
            parser: FortiosParser,
            input: "    set member \"a\" b\n",
            rule: Rule::probe,
            tokens: [probe(0, 21, [set_stmt(4, 21, [attr(8, 14), value(15, 18), value(19, 20)])])]
        };
    }

    #[test]
    fn multi_line_quoted_value_with_keywords_inside() {
        parses_to! {
            parser: FortiosParser,
            input: "set buffer \"a\nend\nnext\n# x\nconfig y\"\n",
            rule: Rule::probe,
            tokens: [probe(0, 37, [set_stmt(0, 37, [attr(4, 10), value(11, 36)])])]
        };
    }

    #[test]
    fn concatenated_and_single_quoted_pieces() {
        parses_to! {
            parser: FortiosParser,
            input: "rename \"old\" to \"new\"_zone1 'x y'",
            rule: Rule::probe,
            tokens: [probe(0, 33, [script_stmt(0, 33, [verb(0, 6), value(7, 12), value(13, 15), value(16, 27), value(28, 33)])])]
        };
    }

    #[test]
    fn config_path_with_quoted_word_and_crlf() {
        parses_to! {
            parser: FortiosParser,
            input: "config system replacemsg auth \"auth-fortitoken-page\"\r\n",
            rule: Rule::probe,
            tokens: [probe(0, 54, [config_stmt(0, 54, [value(7, 13), value(14, 24), value(25, 29), value(30, 52)])])]
        };
    }

    #[test]
    fn edit_keys_of_every_shape() {
        for (input, end) in [
            ("edit 1\n", 6),
            ("edit \"FTKMOB42A1AAF752\"\n", 23),
            ("edit fe80::42/64\n", 16),
        ] {
            parses_to! {
                parser: FortiosParser,
                input: input,
                rule: Rule::probe,
                tokens: [probe(0, input.len(), [edit_stmt(0, input.len(), [value(5, end)])])]
            };
        }
    }

    #[test]
    fn prompt_pager_and_comment_lines() {
        parses_to! {
            parser: FortiosParser,
            input: "FGT60F (fortitoken) # show\n",
            rule: Rule::probe,
            tokens: [probe(0, 27, [prompt_line(0, 27, [prompt(0, 26)])])]
        };
        parses_to! {
            parser: FortiosParser,
            input: "--More-- \r",
            rule: Rule::probe,
            tokens: [probe(0, 10, [pager_line(0, 10)])]
        };
        parses_to! {
            parser: FortiosParser,
            input: "  # Serial-Number: FG5H1E0000000000",
            rule: Rule::probe,
            tokens: [probe(0, 35, [comment_line(2, 35, [comment(2, 35)])])]
        };
    }

    #[test]
    fn refuses_broken_statements() {
        fails_with! {
            parser: FortiosParser,
            input: "set comments \"never closed\nend\n",
            rule: Rule::probe,
            positives: vec![Rule::value],
            negatives: vec![],
            pos: 13
        };
        assert!(FortiosParser::parse(Rule::probe, "end foo\n").is_err());
        assert!(FortiosParser::parse(Rule::probe, "frobnicate now\n").is_err());
        assert!(FortiosParser::parse(Rule::probe, "settings x\n").is_err());
    }
}
