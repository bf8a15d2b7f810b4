//! The one masking policy: which bytes of an input are secret and never shown unless
//! `--show-secrets`.
//!
//! * **Text that parsed** is decided on the tree ([`Model::secret_spans`]): every value of a
//!   `set`/`unset` whose attribute, *decoded* as the model reads it (`se\ed`, `"seed"`), is in
//!   [`SECRET_ATTRS`]; every value after an `ENC` word (also `ENC` joined by a non-ASCII
//!   blank); every value holding a PEM block; the secrets of typed and script commands.
//! * **Text that did not parse** (the file of a parse error, the raw body of a block the fast
//!   path did not read, skipped capture text, prompt lines) is masked line by line and
//!   conservatively ([`secrets_in_text`], [`secrets_in_region`]): a line inside an open quote,
//!   a continuation line, a line of key material or inside a PEM block, and a line that starts
//!   with a control character are masked whole; of any other line only the statement keyword
//!   and the attribute (the first two words, when they look like names) stay, or only the
//!   first word when it is not a keyword; diagnostic lines of a known shape are masked where
//!   the remediation doc says they carry secrets.

use crate::parse::{Kind, NodeId};
use crate::source::Span;

use super::Model;

/// Attributes whose values are secrets, as the model spells them (decoded, lower case).
pub const SECRET_ATTRS: &[&str] = &[
    "seed",
    "activation-code",
    "passwd",
    "password",
    "old-password",
    "private-key",
    "psksecret",
    "ppk-secret",
    "auth-pwd",
    "secret",
    "key",
    "passphrase",
    "sso-password",
];

/// Whether an attribute name (decoded, as the model reads it) holds a secret. Case is ignored:
/// masking more never hurts.
pub fn is_secret_attr(decoded: &str) -> bool {
    SECRET_ATTRS.iter().any(|a| a.eq_ignore_ascii_case(decoded))
}

/// Statement keywords and script verbs: the second word after one of them (or a near miss such
/// as `sett`) is an attribute or a key, kept in conservative masking.
const VERBS: &[&str] = &[
    "config", "edit", "set", "unset", "next", "end", "delete", "rename", "move", "append",
    "select", "unselect", "purge", "clone", "clear", "abort", "execute", "diagnose", "get", "show",
];

/// A line of base64 key material (a PEM body line, a seed file line): one long word of the
/// base64 alphabet, possibly in a quote.
fn is_key_material(body: &str) -> bool {
    let t = body.trim().trim_matches('"');
    t.len() >= 24
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        && t.bytes().any(|b| b.is_ascii_digit())
        && t.bytes().any(|b| b.is_ascii_lowercase())
        && t.bytes().any(|b| b.is_ascii_uppercase())
}

/// Whether a character is never printed raw in a text output: C0 and C1 controls (ESC, CR,
/// BEL, backspace, …), DEL, the line and paragraph separators U+2028/U+2029, and the
/// bidirectional overrides, isolates and marks (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F,
/// U+061C) that reorder what a terminal or a web page shows. A line of text that did not parse
/// starting with one is masked whole; reports escape them (`crate::report::escape`).
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
                | '\u{200e}' | '\u{200f}' | '\u{061c}'
        )
}

/// A word that may be shown in conservative masking: a lower-case name (`set`, `passwd`,
/// `two-factor`, `option_1`), possibly quoted, at most 40 characters. Activation codes,
/// serial-like and base64 words are upper case or mixed and never pass.
fn is_name(word: &str) -> bool {
    let w = word
        .strip_prefix('"')
        .and_then(|w| w.strip_suffix('"'))
        .unwrap_or(word);
    let w = w.strip_suffix([':', '=']).unwrap_or(w);
    !w.is_empty()
        && w.len() <= 40
        && w.as_bytes()[0].is_ascii_lowercase()
        && w.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        })
}

/// Whether `w` is a statement keyword or verb, or one edit away from one (`sett`, `st`).
fn is_verb_like(w: &str) -> bool {
    VERBS.iter().any(|v| edit_distance_at_most_one(v, w))
}

fn edit_distance_at_most_one(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        short[prefix..]
            .iter()
            .skip(1)
            .eq(long[prefix..].iter().skip(1))
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

/// Words of a line with their byte offsets; any Unicode blank (NBSP too) separates.
fn words(body: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in body.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push((s, &body[s..i]));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push((s, &body[s..]));
    }
    out
}

/// Quote state carried from one line to the next in text that did not parse.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Open {
    #[default]
    None,
    Double,
    Single,
    /// The previous line ended with a bare `\` (continuation).
    Continued,
}

/// The quote state after `line`, given the state before it.
fn after_line(line: &str, mut open: Open) -> Open {
    let b = line.as_bytes();
    let mut i = 0;
    if open == Open::Continued {
        open = Open::None;
    }
    while i < b.len() {
        match (open, b[i]) {
            (Open::Double, b'\\') => i += 1,
            (Open::Double, b'"') | (Open::Single, b'\'') => open = Open::None,
            (Open::None, b'"') => open = Open::Double,
            (Open::None, b'\'') => open = Open::Single,
            (Open::None, b'\\') if i + 1 == b.len() => return Open::Continued,
            (Open::None, b'\\') => i += 1,
            _ => {}
        }
        i += 1;
    }
    open
}

/// Conservative secret spans of one line (`body`, without its line break, at `start`) that
/// is not inside a quote or a PEM block.
fn line_spans(body: &str, start: usize, out: &mut Vec<Span>) {
    let whole = |out: &mut Vec<Span>| out.push(Span::new(start, start + body.len()));
    let t = body.trim_start_matches([' ', '\t']);
    if t.starts_with(is_unsafe_char) || is_key_material(body) || body.contains("-----BEGIN") {
        return whole(out);
    }
    // Diagnostic output of a known shape: the remediation doc says where its secrets are.
    for r in crate::parse::diagnostic::line_secrets(body) {
        out.push(Span::new(start + r.start, start + r.end));
    }
    let mut ws = words(body);
    // A prompt line: what was typed after the prompt is a statement.
    if let Some(cmd) = crate::parse::capture::prompt_command(body)
        && !cmd.is_empty()
        && let Some(at) = body.rfind(cmd)
    {
        ws = words(cmd).into_iter().map(|(i, w)| (at + i, w)).collect();
    } else if crate::parse::diagnostic::is_known_line(body) {
        // `diagnose fortitoken info` rows, status lines, FortiCare bodies: nothing else secret.
        for pair in ws.windows(2) {
            if pair[0].1 == "ENC" {
                out.push(Span::new(start + pair[1].0, start + body.len()));
            }
        }
        return;
    }
    let keep = match ws.as_slice() {
        // `set`/`unset` and their near misses (`sett`): keyword and attribute.
        [(_, a), (_, b), ..]
            if (edit_distance_at_most_one("set", a) || edit_distance_at_most_one("unset", a))
                && is_name(b) =>
        {
            2
        }
        // `config system global`, `edit "name"`, `show user fortitoken`: the names after it.
        [(_, a), ..] if VERBS.contains(a) => ws.iter().take_while(|(_, w)| is_name(w)).count(),
        [(_, a), (_, b), ..] if is_verb_like(a) && is_name(b) => 2,
        // Any other line: its first word when it is a key (`passwd:` of `get` output); an
        // unknown first word may itself be a password.
        [(_, a), _, ..] if is_name(a) && a.ends_with(':') => 1,
        [(_, "#"), ..] => 1,
        _ => 0,
    };
    if let Some(&(at, _)) = ws.get(keep) {
        out.push(Span::new(start + at, start + body.len()));
    }
    // `ENC` joined to its value by a non-ASCII blank, in the kept words.
    for (at, w) in ws.iter().take(keep) {
        if let Some(i) = w.find("ENC") {
            out.push(Span::new(start + at + i, start + body.len()));
        }
    }
}

/// Secret spans of text that did not parse, line by line and conservatively (see the module
/// documentation). Used for the snippet of a parse error.
pub fn secrets_in_text(text: &str) -> Vec<Span> {
    secrets_in_region(text, Span::new(0, text.len()))
}

/// [`secrets_in_text`] over `span` of `text` (a skipped region, the raw body of a block),
/// starting outside any quote.
pub fn secrets_in_region(text: &str, span: Span) -> Vec<Span> {
    let region = &text[span.range()];
    let mut out = Vec::new();
    // A fragment that starts inside a PEM block shows its `-----END` before any `-----BEGIN`;
    // the quote that closes after it was opened before the fragment.
    let first_end = region.find("-----END");
    let first_begin = region.find("-----BEGIN");
    let mut pem = first_end.is_some_and(|e| first_begin.is_none_or(|b| e < b));
    let mut open = match first_end {
        Some(e) if pem && region[e..].lines().next().is_some_and(|l| l.contains('"')) => {
            Open::Double
        }
        _ => Open::None,
    };
    let mut start = span.start as usize;
    for line in region.split_inclusive(['\n', '\r']) {
        let body = line.trim_end_matches(['\n', '\r']);
        if open == Open::None && !pem {
            line_spans(body, start, &mut out);
        } else {
            // Inside a quote, after a continuation or inside a PEM block: the whole line.
            out.push(Span::new(start, start + body.len()));
        }
        if body.contains("-----BEGIN") {
            pem = true;
        }
        if body.contains("-----END") {
            pem = false;
        }
        open = after_line(body, open);
        start += line.len();
    }
    out
}

/// Whether the value text (decoded) holds an `ENC` word followed by a blank of any kind.
fn has_enc_word(v: &str) -> bool {
    v.match_indices("ENC").any(|(i, _)| {
        (i == 0 || v[..i].ends_with(char::is_whitespace))
            && v[i + 3..].starts_with(char::is_whitespace)
    })
}

/// Whether a value (decoded) looks like secret material wherever it stands: an `ENC` word
/// before another word, a PEM block, or a line of key material. `fix` never copies such a
/// value into a script.
pub fn is_secret_value(decoded: &str) -> bool {
    has_enc_word(decoded)
        || decoded.contains("-----BEGIN")
        || decoded.split_whitespace().any(is_key_material)
}

impl Model<'_> {
    /// Spans of every secret value in the file (see the module documentation). Reports mask
    /// these unless asked not to.
    pub fn secret_spans(&self) -> Vec<Span> {
        let doc = &self.doc;
        let mut out = Vec::new();
        for (id, node) in doc.tree.nodes.iter().enumerate() {
            match node.kind {
                Kind::Set | Kind::Unset | Kind::Script => {}
                // Lines with no value in them.
                Kind::Bom
                | Kind::Config
                | Kind::Edit
                | Kind::Next
                | Kind::End
                | Kind::Blank
                | Kind::Pager => continue,
                Kind::Comment => {
                    // A commented-out statement (`#set passwd ENC …`).
                    let c = node.content;
                    let body = &doc.text[c.range()];
                    if body.contains("ENC") || body.contains("-----") || {
                        let ws = words(body.trim_start_matches('#'));
                        ws.get(1)
                            .is_some_and(|(_, a)| is_secret_attr(a.trim_matches('"')))
                    } {
                        out.extend(secrets_in_region(doc.text, c));
                    }
                    continue;
                }
                // `Skipped` debug output, `Prompt` typed commands, the raw `Body` of a block
                // the two-level parse did not read as statements: conservatively, like text
                // that did not parse.
                Kind::Skipped | Kind::Prompt | Kind::Body => {
                    out.extend(secrets_in_region(doc.text, node.span));
                    continue;
                }
            }
            if node.kind == Kind::Script {
                // `execute fortitoken-mobile import <licence activation code>`.
                for r in crate::parse::diagnostic::line_secrets(&doc.text[node.content.range()]) {
                    let s = node.content.start as usize;
                    out.push(Span::new(s + r.start, s + r.end));
                }
            }
            let args = doc.args(id as NodeId);
            let Some((_, values)) = args.split_first() else {
                continue;
            };
            let secret_attr = node.kind != Kind::Script && is_secret_attr(&doc.name(id as NodeId));
            let mut after_enc = false;
            for v in values {
                let raw = doc.raw(v.span);
                let decoded = crate::parse::value::decode(raw);
                if decoded == "ENC" {
                    after_enc = true;
                    continue;
                }
                // `ENC` joined to its value by a non-ASCII blank is one bare word.
                let joined_enc = !raw.starts_with(['"', '\'']) && has_enc_word(&decoded);
                if secret_attr || after_enc || joined_enc || raw.contains("-----BEGIN") {
                    out.push(v.span);
                } else if let Some(nl) = raw.find(['\n', '\r']) {
                    // The lines after the first of a multi-line value: a quote lost in a broken
                    // backup makes the statements after it part of a value.
                    out.push(Span::new(v.span.start as usize + nl, v.span.end as usize));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    fn masked(text: &str, spans: &[Span]) -> String {
        crate::report::redact(text, spans)
    }

    #[test]
    fn raw_bodies_of_the_two_level_parse_are_masked() {
        let t = "config vpn ipsec phase1-interface\n    edit \"x\"\n        set psksecret ENC QWERTYSECRET\n        set comments \"a\nFZPEMLINE\"\n    next\nend\nconfig user local\n    edit \"u\"\n        set passwd ENC ABCSECRET\n    next\nend\n";
        let doc = crate::parse::parse_with(t, crate::parse::Mode::ModelBlocks).unwrap();
        assert!(doc.tree.nodes.iter().any(|n| n.kind == Kind::Body));
        let m = Model::build(doc);
        let shown = masked(t, &m.secret_spans());
        for secret in ["QWERTYSECRET", "FZPEMLINE", "ABCSECRET"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("set psksecret"));
    }

    #[test]
    fn tree_policy_uses_the_decoded_attribute() {
        let t = "config user local\n  edit a\n    set se\\ed ABCDEF\n    unset password ENC QWERTY\n    set passwd ENC\u{a0}ZZZZ\n    set comments ENC YYYY\n    set key-x ok\n  next\nend\n";
        let m = Model::build(parse(t).unwrap());
        let r = masked(t, &m.secret_spans());
        assert!(!r.contains("ABCDEF") && !r.contains("QWERTY") && !r.contains("ZZZZ"));
        assert!(!r.contains("YYYY"), "after ENC: {r}");
        assert!(r.contains("set key-x ok"), "{r}");
        assert!(
            is_secret_value("ENC\u{a0}X")
                && is_secret_value("a ENC b")
                && !is_secret_value("ENCORE x")
        );
        // The model reads the same attribute.
        assert!(is_secret_attr(&crate::parse::value::decode("se\\ed")));
    }

    #[test]
    fn conservative_policy_for_text_that_did_not_parse() {
        let cases = [
            ("sett password SECRETA\n", "sett password *******\n"),
            (
                "set \"password\" lowsecret\n",
                "set \"password\" *********\n",
            ),
            ("ABCD-EFGH-1234\n", "**************\n"),
            ("hunter2 hunter3\n", "***************\n"),
            ("passwd: hunter3\n", "passwd: *******\n"),
            ("\u{1b}set passwd x\n", "*************\n"),
            ("set x \"open\nsecond line\n", "set x *****\n***********\n"),
            ("set x a\\\ncontinued\n", "set x **\n*********\n"),
            (
                "set private-key \"-----BEGIN KEY-----\nMIIabc\n-----END KEY-----\"\nset y 1\n",
                "************************************\n******\n******************\nset y *\n",
            ),
            ("hunter2\n", "*******\n"),
            ("config system global\n", "config system global\n"),
            ("set passwd ENC\u{a0}SEC\n", "set passwd ********\n"),
            (
                "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n",
                "********************************\n",
            ),
        ];
        for (t, want) in cases {
            assert_eq!(masked(t, &secrets_in_text(t)), want, "{t:?}");
        }
        // A fragment that starts inside a PEM block.
        let t = "abc\n-----END PRIVATE KEY-----\"\nnext\n";
        assert_eq!(
            masked(t, &secrets_in_text(t)),
            "***\n**************************\nnext\n"
        );
    }

    #[test]
    fn near_misses_of_keywords() {
        assert!(is_verb_like("sett") && is_verb_like("st") && is_verb_like("unset"));
        assert!(!is_verb_like("password") && !is_verb_like("FZCANARY"));
        assert!(is_name("two-factor") && is_name("\"password\"") && !is_name("FTK200ABC"));
    }
}
