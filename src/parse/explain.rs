//! Turning a statement that did not parse into a message a person can act on: what is wrong,
//! exactly where (the opening quote of an unterminated string, the stray `end`), and a hint.

use pest::Parser as _;

use super::grammar::{FortiosParser, Rule};
use super::tree::{Kind, MAX_DEPTH, Node, StructureError};
use crate::source::Span;

/// The named kinds of syntax error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParseErrorKind {
    UnterminatedQuote,
    UnknownStatement,
    MalformedStatement,
    ControlCharacter,
    StrayEnd,
    StrayNext,
    EditOutsideConfig,
    SetOutsideBlock,
    TooDeep,
    NoEndLines,
}

/// A located syntax error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub kind: ParseErrorKind,
    /// What to underline.
    pub span: Span,
    /// One-line description.
    pub message: String,
    /// Text of the label under `span`.
    pub label: String,
    /// What to do about it.
    pub hint: String,
}

const KEYWORDS: [&str; 6] = ["config", "edit", "set", "unset", "next", "end"];

/// Explains why the statement starting at `pos` does not parse.
pub fn explain(text: &str, pos: usize) -> ParseError {
    let rest = &text[pos..];
    let bytes = rest.as_bytes();
    let indent = bytes
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .unwrap_or(bytes.len());
    let start = pos + indent;
    let line_end = rest[indent..]
        .find(['\n', '\r'])
        .map_or(text.len(), |n| start + n);
    let line = &text[start..line_end];
    let word_len = line.find([' ', '\t']).unwrap_or(line.len());
    let word = &line[..word_len];

    if let Some(q) = unterminated_quote(text, start) {
        let quote = &text[q..q + 1];
        return ParseError {
            kind: ParseErrorKind::UnterminatedQuote,
            span: Span::new(q, q + 1),
            message: format!(
                "unterminated {} quote",
                if quote == "\"" { "double" } else { "single" }
            ),
            label: "this quote is never closed".to_owned(),
            hint: format!(
                "close the value with {quote}; a quote inside a double-quoted value is written \\\""
            ),
        };
    }
    if let Some((i, c)) = line
        .char_indices()
        .find(|&(_, c)| c.is_control() && c != '\t')
    {
        return ParseError {
            kind: ParseErrorKind::ControlCharacter,
            span: Span::new(start + i, start + i + c.len_utf8()),
            message: format!("control character U+{:04X} in a statement", c as u32),
            label: "not allowed here".to_owned(),
            hint: "FortiOS text has no control characters outside quoted values; was the file \
                   damaged or re-encoded?"
                .to_owned(),
        };
    }
    // Where pest gave up, for the column of the label.
    let failed_at = match FortiosParser::parse(Rule::probe, &text[pos..line_end]) {
        Err(e) => match e.location {
            pest::error::InputLocation::Pos(p) => pos + p,
            pest::error::InputLocation::Span((p, _)) => pos + p,
        },
        Ok(_) => line_end,
    }
    .clamp(start, line_end);
    if KEYWORDS.contains(&word) {
        let (message, hint) = match word {
            "next" | "end" => (
                format!("`{word}` takes no arguments"),
                format!("put `{word}` on a line of its own"),
            ),
            "edit" => (
                "`edit` needs exactly one key".to_owned(),
                "write `edit <name>`; quote a name that contains blanks: `edit \"my name\"`"
                    .to_owned(),
            ),
            "config" => (
                "`config` needs a table path".to_owned(),
                "write `config <path…>`, e.g. `config user fortitoken`".to_owned(),
            ),
            _ => (
                format!("`{word}` needs an attribute name"),
                format!("write `{word} <attribute> [<value>…]`"),
            ),
        };
        let span = if matches!(word, "next" | "end") {
            // Underline the stray arguments.
            let args = start + word_len + line[word_len..].len()
                - line[word_len..].trim_start_matches([' ', '\t']).len();
            let end = start + line.trim_end_matches([' ', '\t']).len();
            Span::new(args.min(end), end.max(args))
        } else {
            let at = if failed_at < line_end {
                failed_at
            } else {
                start
            };
            // One character, ending on a character boundary.
            let next = text[at..line_end]
                .chars()
                .next()
                .map_or(at, |c| at + c.len_utf8());
            Span::new(at, next)
        };
        return ParseError {
            kind: ParseErrorKind::MalformedStatement,
            span,
            message,
            label: "unexpected here".to_owned(),
            hint,
        };
    }
    let yamlish = word.ends_with(':');
    ParseError {
        kind: ParseErrorKind::UnknownStatement,
        span: Span::new(start, start + word_len),
        // Never quote the word: a stray line may be an activation code, a short password or
        // key material. Describe it, and name the keyword it is one letter away from.
        message: describe_unknown(word),
        label: "not a FortiOS configuration statement".to_owned(),
        hint: if yamlish {
            "this looks like YAML; fortilint reads FortiOS CLI text".to_owned()
        } else {
            "expected config, edit, set, unset, next, end, a script command (delete, rename, \
             execute, …) or a # comment"
                .to_owned()
        },
    }
}

/// Error for a statement that parsed but does not fit the nesting.
pub fn structure(text: &str, e: StructureError, at: Span) -> ParseError {
    let what = &text[at.range()];
    let (kind, message, label, hint) = match e {
        StructureError::StrayEnd => (
            ParseErrorKind::StrayEnd,
            "`end` without an open `config`".to_owned(),
            "nothing to close here",
            "remove this `end`, or add the `config …` line it belongs to",
        ),
        StructureError::StrayNext => (
            ParseErrorKind::StrayNext,
            "`next` without an open `edit`".to_owned(),
            "nothing to close here",
            "remove this `next`, or add the `edit …` line it belongs to",
        ),
        StructureError::EditOutsideConfig => (
            ParseErrorKind::EditOutsideConfig,
            "`edit` outside any `config` block".to_owned(),
            "no table is open",
            "add the `config <table>` line this entry belongs to",
        ),
        StructureError::SetOutsideBlock => (
            ParseErrorKind::SetOutsideBlock,
            // Keyword and attribute only, and the attribute only when it is a plain name: the
            // value (or a misplaced value) may be a secret.
            match what.split([' ', '\t']).nth(1) {
                Some(attr) if is_plain_name(attr) => format!(
                    "`{} {}` outside any `config` block",
                    what.split([' ', '\t']).next().unwrap_or("set"),
                    truncate(attr, 40)
                ),
                _ => format!(
                    "`{}` outside any `config` block",
                    what.split([' ', '\t']).next().unwrap_or("set")
                ),
            },
            "no object is open",
            "add the `config …` (and `edit …`) lines this setting belongs to",
        ),
        StructureError::TooDeep => (
            ParseErrorKind::TooDeep,
            format!("blocks nested deeper than {MAX_DEPTH} levels"),
            "too deep",
            "real backups nest at most about 10 levels; the file is damaged or generated",
        ),
    };
    ParseError {
        kind,
        span: at,
        message,
        label: label.to_owned(),
        hint: hint.to_owned(),
    }
}

/// Text without a single `end` line whose indentation shows sibling blocks (an
/// indentation-only listing): read by the stack, every block would nest in the first one.
/// Located at the first `config` indented like (or less than) the block it would fall into.
pub fn indentation_only(text: &str, nodes: &[Node]) -> Option<ParseError> {
    if nodes.iter().any(|n| n.kind == Kind::End) {
        return None;
    }
    let indent = |n: &Node| n.content.start - n.span.start;
    // Open `config` blocks around the current node (their subtrees reach past it).
    let mut open: Vec<usize> = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        while open
            .last()
            .is_some_and(|&o| nodes[o].subtree_end as usize <= i)
        {
            open.pop();
        }
        if n.kind != Kind::Config {
            continue;
        }
        let enclosing = open.last().copied();
        open.push(i);
        let Some(p) = enclosing else {
            continue;
        };
        let outer = &nodes[p];
        let outer_text = &text[outer.content.range()];
        // VDOM files restart nested blocks at column 0 inside `config vdom` / `config global`.
        if outer_text
            .split_whitespace()
            .nth(1)
            .is_some_and(|w| w == "vdom" || w == "global")
        {
            continue;
        }
        if indent(n) <= indent(outer) {
            let line =
                crate::source::byte_line_col(text.as_bytes(), outer.content.start as usize).0;
            return Some(ParseError {
                kind: ParseErrorKind::NoEndLines,
                span: n.content,
                message: format!(
                    "no `end` line in the input: this block is indented like the `config` on line \
                     {line} but would be read as nested in it"
                ),
                label: "indented as a sibling, nested by the syntax".to_owned(),
                hint:
                    "FortiOS closes every `config` with `end` and every `edit` with `next`; this \
                       looks like an indentation-only listing: take the configuration again with \
                       `show` or a backup, or add the `end` lines"
                        .to_owned(),
            });
        }
    }
    None
}

/// If the statement starting at `start` opens a quote that never closes, its offset.
fn unterminated_quote(text: &str, start: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = start;
    while i < b.len() {
        match b[i] {
            b'\n' | b'\r' => return None,
            b'\\' => i += 2,
            b'"' => {
                let open = i;
                i += 1;
                loop {
                    match b.get(i) {
                        None => return Some(open),
                        Some(b'\\') => i += 2,
                        Some(b'"') => break,
                        Some(_) => i += 1,
                    }
                }
                i += 1;
            }
            b'\'' => {
                let open = i;
                match b[i + 1..].iter().position(|&c| c == b'\'') {
                    None => return Some(open),
                    Some(n) => i += n + 2,
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// A lower-case attribute-like name (`two-factor`, `option_1`): safe to quote in a message.
/// Activation codes, serials and base64 are upper or mixed case and never are.
fn is_plain_name(w: &str) -> bool {
    w.len() <= 40
        && w.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
        && w.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_'))
}

/// A typed command as quoted in a message: its leading plain words (`execute vpn
/// certificate local import`), at most `max` characters, `…` for what is left out. A word
/// that is not a plain lower-case name (a password, an activation code, a file name) and
/// everything after it are never quoted.
pub fn command_words(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut cut = false;
    for w in s.split_whitespace() {
        if !is_plain_name(w) || out.len() + w.len() + 1 > max {
            cut = true;
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    if cut {
        out.push('…');
    }
    out
}

/// The message for a line that is no statement, describing its first word without quoting it.
fn describe_unknown(word: &str) -> String {
    if word.is_empty() {
        return "unknown statement".to_owned();
    }
    let n = word.chars().count();
    let kind = if word.starts_with(['"', '\'']) {
        "quoted text"
    } else if word.bytes().all(|b| b.is_ascii_digit()) {
        "a number"
    } else if word.chars().all(char::is_alphanumeric) {
        "a word"
    } else {
        "a word with symbols"
    };
    let size = format!("{n} character{}", if n == 1 { "" } else { "s" });
    let near = KEYWORDS
        .iter()
        .find(|k| one_edit_apart(k, &word.to_ascii_lowercase()));
    match near {
        Some(k) => format!("unknown statement: {kind} of {size}, one letter away from `{k}`"),
        None => format!("unknown statement: {kind} of {size}, not a FortiOS keyword"),
    }
}

/// Whether two words differ by one inserted, deleted or replaced letter.
fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 || a == b {
        return false;
    }
    let p = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        short[p + 1..] == long[p + 1..]
    } else {
        short[p..] == long[p + 1..]
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    fn err(text: &str) -> (ParseErrorKind, String) {
        let e = parse(text).unwrap_err();
        (e.kind, text[e.span.range()].to_owned())
    }

    #[test]
    fn names_and_locates_each_error() {
        assert_eq!(
            err("config a\n  set x \"open\n  set y 1\nend\n"),
            (ParseErrorKind::UnterminatedQuote, "\"".to_owned())
        );
        assert_eq!(
            err("config a\n  set x 'open\n"),
            (ParseErrorKind::UnterminatedQuote, "'".to_owned())
        );
        assert_eq!(
            err("config a\nend\nend\n"),
            (ParseErrorKind::StrayEnd, "end".to_owned())
        );
        assert_eq!(
            err("config a\nnext\n"),
            (ParseErrorKind::StrayNext, "next".to_owned())
        );
        assert_eq!(
            err("config a\nfrobnicate now\nend\n"),
            (ParseErrorKind::UnknownStatement, "frobnicate".to_owned())
        );
        assert_eq!(
            err("config a\nend foo\n").0,
            ParseErrorKind::MalformedStatement
        );
        // A non-ASCII blank after `end` (pasted from a web page) must not panic.
        assert_eq!(
            err("config a\nend \u{a0}\n").0,
            ParseErrorKind::MalformedStatement
        );
        assert_eq!(
            err("config a\nedit \u{e9}x y\n").0,
            ParseErrorKind::MalformedStatement
        );
        assert_eq!(
            err("config a\nedit\nend\n").0,
            ParseErrorKind::MalformedStatement
        );
        assert_eq!(
            err("#config-version=FGT60F-7.2.8-FW-build1639-240313\nset a b\n"),
            (ParseErrorKind::SetOutsideBlock, "set a b".to_owned())
        );
        // Inside a word a control character is data (leniency); starting a line it is an error.
        assert_eq!(
            err("config a\n\u{1}set x y\nend\n").0,
            ParseErrorKind::ControlCharacter
        );
        let deep = "config a\n".repeat(200_000);
        assert_eq!(err(&deep).0, ParseErrorKind::TooDeep);
    }

    #[test]
    fn typed_commands_are_quoted_up_to_the_first_word_that_could_be_a_value() {
        assert_eq!(
            command_words("execute fortitoken-mobile import FZCANARY1", 40),
            "execute fortitoken-mobile import…"
        );
        assert_eq!(command_words("get system status", 40), "get system status");
        assert_eq!(command_words("execute ssh a@b hunter2", 40), "execute ssh…");
    }

    #[test]
    fn messages_never_quote_what_could_be_a_value() {
        for (text, secret) in [
            ("config a\nFZCANARYSECRET9731\nend\n", "FZCANARYSECRET9731"),
            ("config a\nhunter2 x\nend\n", "hunter2"),
            ("config a\nsett passwd FZCANARY\nend\n", "sett"),
            (
                "#config-version=FGT60F-7.2.8-FW-build1639-240313\nset FZCANARY1 x\n",
                "FZCANARY1",
            ),
        ] {
            let e = parse(text).unwrap_err();
            assert!(
                !e.message.contains(secret)
                    && !e.label.contains(secret)
                    && !e.hint.contains(secret),
                "{e:?}"
            );
        }
        let e = parse("config a\nsett passwd x\nend\n").unwrap_err();
        assert_eq!(
            e.message,
            "unknown statement: a word of 4 characters, one letter away from `set`"
        );
        let e = parse("config a\nFZCANARYSECRET9731\nend\n").unwrap_err();
        assert_eq!(
            e.message,
            "unknown statement: a word of 18 characters, not a FortiOS keyword"
        );
    }
}
