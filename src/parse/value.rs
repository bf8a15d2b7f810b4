//! Decoding of argument text: the raw spelling (kept for byte-exact edits) becomes the value the
//! rules compare. Quotes go, escapes resolve, concatenated pieces join (`"new"_zone1` →
//! `new_zone1`). The grammar has already checked the shape, so decoding cannot fail.

use std::borrow::Cow;

/// Decodes one argument as FortiOS reads it.
///
/// * `"…"`: `\"`, `\\`, `\'` stand for the character; other `\x` stay as written.
/// * `'…'`: taken literally.
/// * bare: `\` + line break is a continuation (dropped); `\x` stands for `x`.
pub fn decode(raw: &str) -> Cow<'_, str> {
    // Fast path: a plain bare word or a simple quoted string.
    let bytes = raw.as_bytes();
    // Values are short: a plain loop beats memchr's set-up.
    let special = |b: &[u8]| b.iter().position(|&c| matches!(c, b'\\' | b'"' | b'\''));
    match special(bytes) {
        None => return Cow::Borrowed(raw),
        Some(0)
            if bytes.len() >= 2
                && bytes[0] == b'"'
                && bytes[bytes.len() - 1] == b'"'
                && special(&bytes[1..bytes.len() - 1]).is_none() =>
        {
            return Cow::Borrowed(&raw[1..raw.len() - 1]);
        }
        Some(_) => {}
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.next() {
                            Some(e @ ('"' | '\\' | '\'')) => out.push(e),
                            Some(e) => {
                                out.push('\\');
                                out.push(e);
                            }
                            None => out.push('\\'),
                        },
                        c => out.push(c),
                    }
                }
            }
            '\'' => {
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    out.push(c);
                }
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some('\r') => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                }
                Some(e) => out.push(e),
                None => out.push('\\'),
            },
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Writes `value` the way FortiOS does: in double quotes with `\` and `"` escaped.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_spelling() {
        assert_eq!(decode("port1"), "port1");
        assert_eq!(decode("\"port1\""), "port1");
        assert_eq!(decode("\"\""), "");
        assert_eq!(decode("''"), "");
        assert_eq!(decode("'a \"b\" \\'"), "a \"b\" \\");
        assert_eq!(
            decode(r#""<meta charset=\"UTF-8\">""#),
            "<meta charset=\"UTF-8\">"
        );
        assert_eq!(decode(r#""a\\b\'c\n""#), "a\\b'c\\n");
        assert_eq!(decode("\"new\"_zone1"), "new_zone1");
        assert_eq!(decode("a\\ b"), "a b");
        assert_eq!(decode("last\\\nline"), "lastline");
        assert_eq!(decode("last\\\r\nline"), "lastline");
    }

    #[test]
    fn quote_round_trips() {
        for s in ["plain", "with \"quotes\"", "back\\slash", "", "multi\nline"] {
            assert_eq!(decode(&quote(s)), s);
        }
    }
}
