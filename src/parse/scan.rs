//! The validating scanner of the two-level parse ([`super::Mode::ModelBlocks`]).
//!
//! It walks the whole file statement by statement with `memchr` and a byte table, checks each
//! statement's shape as the grammar (`grammar/fortios.pest`) accepts it — indentation, the
//! keyword, `set`/`unset` attribute and values, `config` path, the one `edit` key, nothing after
//! `next`/`end`, double-quoted values with `\` escapes, single-quoted values, multi-line values,
//! bare words with `\` escapes and line continuations, concatenated pieces (`"a"_b`), the
//! stray-quote leniency of bare words, comments, blank lines, LF/CRLF/lone-CR line breaks — and
//! checks the `config`/`edit`/`next`/`end` nesting strictly. It returns the bodies of the
//! blocks the model does not read (see [`super::blocks`]), which the driver keeps as raw
//! [`super::Kind::Body`] nodes while pest parses everything else.
//!
//! The scanner is *sure* only of what a FortiOS backup contains. It gives up ([`plan`] returns
//! `None`, and the file is parsed by pest alone) on everything else: script verbs, prompts,
//! pager lines, abbreviated `conf`, statements pest would refuse (unterminated quotes, `end foo`,
//! a `set` without attribute, …), and every nesting that the tree builder treats leniently or
//! refuses (`edit` after `edit`, a stray `next`/`end`, `set`
//! outside a block, a block left open at the end, more than [`super::tree::MAX_DEPTH`] levels).
//! So errors, warnings and captures are always those of the full parse.

use memchr::{memchr, memchr2};

use super::blocks;
use super::tree::MAX_DEPTH;

/// Bytes that end a run of a bare word: blanks, line breaks, quotes and `\`.
static BARE_STOP: [bool; 256] = {
    let mut t = [false; 256];
    t[b' ' as usize] = true;
    t[b'\t' as usize] = true;
    t[b'\r' as usize] = true;
    t[b'\n' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\'' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// What one statement is, as far as nesting goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stmt {
    /// Blank line, blanks at the end of the input, or comment.
    Trivia,
    Config,
    Edit,
    Next,
    End,
    /// `set` / `unset`.
    Set,
}

/// Blank or tab.
fn is_blank(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

/// Blank, line break or end of input: what may follow a value.
fn at_value_end(b: &[u8], i: usize) -> bool {
    matches!(b.get(i), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
}

/// The end of a bare word piece starting at `i` (`b[i]` is not a blank, line break or quote),
/// or `None` where the grammar's `bare_piece` fails (`\` at the end of the input).
fn bare(b: &[u8], mut i: usize) -> Option<usize> {
    loop {
        while i < b.len() && !BARE_STOP[b[i] as usize] {
            i += 1;
        }
        match b.get(i) {
            // `\` escapes the next character; `\` + CRLF continues the word on the next line.
            Some(b'\\') => match b.get(i + 1) {
                // Nothing can read a `\` at the end of the input: the statement fails.
                None => return None,
                Some(b'\r') if b.get(i + 2) == Some(&b'\n') => i += 3,
                Some(_) => i += 2,
            },
            // The stray-quote leniency: `""HTTPS" "HTTP"`.
            Some(b'"') if at_value_end(b, i + 1) => return Some(i + 1),
            _ => return Some(i),
        }
    }
}

/// The end of a value (one or more pieces) starting at `i`, or `None` where pest fails.
fn value(b: &[u8], mut i: usize) -> Option<usize> {
    loop {
        match b.get(i) {
            None | Some(b' ' | b'\t' | b'\r' | b'\n') => return Some(i),
            Some(b'"') => {
                i += 1;
                loop {
                    i += memchr2(b'"', b'\\', &b[i..])?;
                    if b[i] == b'"' {
                        i += 1;
                        break;
                    }
                    // `\` and the character after it (a UTF-8 continuation byte is never `"`
                    // or `\`, so stepping one byte is enough).
                    if i + 1 >= b.len() {
                        return None;
                    }
                    i += 2;
                }
            }
            Some(b'\'') => i += memchr(b'\'', &b[i + 1..])? + 2,
            Some(_) => {
                let end = bare(b, i)?;
                if end == i {
                    return None;
                }
                i = end;
            }
        }
    }
}

/// Blanks from `i`.
fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    // Indentation is runs of spaces (four a level): eight at a time.
    while let Some(chunk) = b.get(i..i + 8) {
        if chunk != b"        " {
            break;
        }
        i += 8;
    }
    while i < b.len() && is_blank(b[i]) {
        i += 1;
    }
    i
}

/// Trailing blanks then a line break (LF, CRLF, lone CR) or the end of the input; the
/// position after it.
fn trail_eol(b: &[u8], i: usize) -> Option<usize> {
    let i = skip_blanks(b, i);
    match b.get(i) {
        None => Some(i),
        Some(b'\n') => Some(i + 1),
        Some(b'\r') => Some(if b.get(i + 1) == Some(&b'\n') {
            i + 2
        } else {
            i + 1
        }),
        _ => None,
    }
}

/// Values separated by blanks up to the end of the line; pushes their spans into `args`.
/// Returns the end of the statement.
fn values(b: &[u8], mut i: usize, args: &mut Vec<(usize, usize)>) -> Option<usize> {
    loop {
        let j = skip_blanks(b, i);
        match b.get(j) {
            None | Some(b'\r' | b'\n') => return trail_eol(b, i),
            _ if j == i => return None,
            _ => {
                let end = value(b, j)?;
                args.push((j, end));
                i = end;
            }
        }
    }
}

/// One statement starting at `pos` (a line start, `pos < b.len()`): its kind and end, with the
/// argument spans in `args` (`config` path words; others are only checked). `None` when the
/// scanner is not sure pest reads it the same way.
fn statement(b: &[u8], pos: usize, args: &mut Vec<(usize, usize)>) -> Option<(Stmt, usize)> {
    args.clear();
    let i = skip_blanks(b, pos);
    let Some(&c) = b.get(i) else {
        // Blanks at the very end of the input.
        return Some((Stmt::Trivia, i));
    };
    match c {
        b'\n' | b'\r' => return Some((Stmt::Trivia, trail_eol(b, i)?)),
        b'#' => {
            let end = memchr2(b'\n', b'\r', &b[i..]).map_or(b.len(), |n| i + n);
            return Some((Stmt::Trivia, trail_eol(b, end)?));
        }
        _ => {}
    }
    let word_end = b[i..]
        .iter()
        .position(|&c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
        .map_or(b.len(), |n| i + n);
    let word = &b[i..word_end];
    let has_sep = b.get(word_end).is_some_and(|&c| is_blank(c));
    match word {
        b"set" | b"unset" if has_sep => {
            let a = skip_blanks(b, word_end);
            if matches!(b.get(a), Some(b'"' | b'\'' | b'\r' | b'\n') | None) {
                return None;
            }
            let attr_end = bare(b, a)?;
            if attr_end == a || !at_value_end(b, attr_end) {
                return None;
            }
            let end = values(b, attr_end, args)?;
            Some((Stmt::Set, end))
        }
        b"config" | b"edit" if has_sep => {
            let end = values(b, word_end, args)?;
            match (word, args.len()) {
                (_, 0) => None,
                (b"edit", n) if n > 1 => None,
                (b"edit", _) => Some((Stmt::Edit, end)),
                _ => Some((Stmt::Config, end)),
            }
        }
        b"next" => Some((Stmt::Next, trail_eol(b, word_end)?)),
        b"end" => Some((Stmt::End, trail_eol(b, word_end)?)),
        _ => None,
    }
}

/// An open block while scanning.
#[derive(Clone, Copy, Debug)]
enum Frame {
    /// A `config`: what it is, and where its body starts when the body is skipped.
    Config(Role, Option<usize>),
    /// An `edit`; `true` for an `edit <vdom>` of a top-level `config vdom`.
    Edit(bool),
}

/// What a `config` block is to the two-level parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// Top-level `config vdom`.
    Vdom,
    /// Top-level `config global`.
    Global,
    /// Anything else.
    Other,
}

/// Scans `text` from `start` (after a BOM) and returns the bodies to skip, in order, as
/// `(start, end)` byte ranges: each runs from the line after a `config` header to the start of
/// its `end` line and is not empty. `None` when the scanner is not sure of the whole file.
pub(crate) fn plan(text: &str, start: usize) -> Option<Vec<(usize, usize)>> {
    let b = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::with_capacity(MAX_DEPTH);
    let mut bodies = Vec::new();
    let mut args = Vec::new();
    let mut path_buf = String::new();
    // Depth of the innermost skipped block, if any (inside it, statements are only checked).
    let mut skipping: Option<usize> = None;
    let mut pos = start;
    while pos < b.len() {
        let (stmt, end) = statement(b, pos, &mut args)?;
        match stmt {
            Stmt::Trivia => {}
            Stmt::Set => {
                stack.last()?;
            }
            Stmt::Config => {
                if stack.len() >= MAX_DEPTH {
                    return None;
                }
                let in_scope = stack.is_empty()
                    || matches!(stack[..], [Frame::Config(Role::Global, _)])
                    || matches!(stack[..], [Frame::Config(Role::Vdom, _), Frame::Edit(true)]);
                let path = if in_scope && skipping.is_none() {
                    path(text, &args, &mut path_buf)
                } else {
                    ""
                };
                let role = if stack.is_empty() {
                    match path {
                        "vdom" => Role::Vdom,
                        "global" => Role::Global,
                        _ => Role::Other,
                    }
                } else {
                    Role::Other
                };
                // Out of scope and not in a skipped block: nested in a block the model reads,
                // which reads only that block's own `set`/`unset` and `edit` lines.
                let skip = skipping.is_none()
                    && role == Role::Other
                    && !(in_scope && blocks::is_model_block(path));
                if skip {
                    skipping = Some(stack.len());
                }
                stack.push(Frame::Config(role, skip.then_some(end)));
            }
            Stmt::Edit => {
                let Some(Frame::Config(role, _)) = stack.last() else {
                    return None;
                };
                let vdom = *role == Role::Vdom;
                stack.push(Frame::Edit(vdom));
            }
            Stmt::Next => {
                let Some(Frame::Edit(_)) = stack.pop() else {
                    return None;
                };
            }
            Stmt::End => {
                // `end` also closes an `edit` left open, silently (VDOM backups close
                // `edit <vdom>` that way).
                if let Some(Frame::Edit(_)) = stack.last() {
                    stack.pop();
                }
                let Some(Frame::Config(_, body)) = stack.pop() else {
                    return None;
                };
                if let Some(body) = body {
                    skipping = None;
                    if pos > body {
                        bodies.push((body, pos));
                    }
                }
            }
        }
        pos = end;
    }
    stack.is_empty().then_some(bodies)
}

/// The path of a `config` line from its word spans, decoded and joined by one space.
fn path<'b>(text: &str, args: &[(usize, usize)], out: &'b mut String) -> &'b str {
    out.clear();
    for &(a, b) in args {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&super::value::decode(&text[a..b]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stmt(s: &str) -> Option<(Stmt, usize)> {
        statement(s.as_bytes(), 0, &mut Vec::new())
    }

    #[test]
    fn statement_shapes() {
        assert_eq!(stmt("    set a b\n"), Some((Stmt::Set, 12)));
        assert_eq!(
            stmt("set a \"x\ny\" 'z'_w\\\nq\r\nnext"),
            Some((Stmt::Set, 22))
        );
        assert_eq!(
            stmt("set service \"\"HTTPS\" \"HTTP\"\r"),
            Some((Stmt::Set, 28))
        );
        assert_eq!(stmt("unset a"), Some((Stmt::Set, 7)));
        assert_eq!(stmt("config system  global \t\n"), Some((Stmt::Config, 24)));
        assert_eq!(stmt("edit \"a b\"\n"), Some((Stmt::Edit, 11)));
        assert_eq!(stmt("end  \r\n"), Some((Stmt::End, 7)));
        assert_eq!(stmt("  # c\rx"), Some((Stmt::Trivia, 6)));
        assert_eq!(stmt("  \t"), Some((Stmt::Trivia, 3)));
        for bad in [
            "set \"a\" b\n",
            "set\n",
            "set a\"b\" c\n",
            "set a \"open\n",
            "set a 'open\n",
            "set a b\\",
            "edit a b\n",
            "edit\n",
            "end x\n",
            "next x\n",
            "conf system global\n",
            "delete x\n",
            "--More--\n",
            "FGT # show\n",
            "settings x\n",
        ] {
            assert_eq!(stmt(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn plans_skip_bodies_outside_the_model() {
        let text = "#config-version=x\nconfig firewall address\n    edit \"a\"\n        set subnet 1.1.1.1 255.255.255.255\n    next\nend\nconfig user local\n    edit u\n    next\nend\nconfig firewall policy\nend\n";
        let bodies = plan(text, 0).unwrap();
        assert_eq!(bodies.len(), 1);
        let (a, b) = bodies[0];
        assert!(text[a..b].starts_with("    edit \"a\""));
        assert!(text[b..].starts_with("end\nconfig user local"));
    }

    #[test]
    fn vdom_scoping() {
        // `end` closes `edit root` (as in VDOM backups).
        let text = "config vdom\nedit root\nnext\nend\nconfig global\nconfig system global\nset a b\nend\nconfig system dns\nset a b\nend\nend\nconfig vdom\nedit root\nconfig user local\nend\nconfig router static\nedit 1\nconfig user local\nset a b\nend\nnext\nend\nend\n";
        let bodies = plan(text, 0).unwrap();
        let skipped: Vec<&str> = bodies.iter().map(|&(a, b)| &text[a..b]).collect();
        assert_eq!(
            skipped,
            [
                "set a b\n",
                "edit 1\nconfig user local\nset a b\nend\nnext\n"
            ]
        );
    }

    #[test]
    fn blocks_nested_in_model_blocks_are_skipped() {
        let text = "config system admin\n    edit \"a\"\n        set two-factor fortitoken\n        config gui-dashboard\n            edit 1\n                config widget\n                end\n            next\n        end\n    next\nend\n";
        let bodies = plan(text, 0).unwrap();
        let skipped: Vec<&str> = bodies.iter().map(|&(a, b)| &text[a..b]).collect();
        assert_eq!(
            skipped,
            [
                "            edit 1\n                config widget\n                end\n            next\n"
            ]
        );
    }

    #[test]
    fn gives_up_on_lenient_or_broken_nesting() {
        for bad in [
            "config a\nedit b\nedit c\nnext\nend\n",
            "end\n",
            "config a\nnext\nend\n",
            "set a b\n",
            "edit a\n",
            "config a\n",
            "config a\nset x \"y\nend\n",
        ] {
            assert_eq!(plan(bad, 0), None, "{bad:?}");
        }
        let deep = "config a\n".repeat(MAX_DEPTH + 1) + &"end\n".repeat(MAX_DEPTH + 1);
        assert_eq!(plan(&deep, 0), None);
    }
}
