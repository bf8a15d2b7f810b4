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
use super::tree::{Arg, Kind, MAX_DEPTH, Node};
use crate::source::Span;

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

/// What one statement is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stmt {
    /// Blank line, or blanks at the very end of the input.
    Blank,
    /// A whole-line `#` comment.
    Comment,
    Config,
    Edit,
    Next,
    End,
    Set,
    Unset,
}

impl Stmt {
    fn kind(self) -> Kind {
        match self {
            Stmt::Blank => Kind::Blank,
            Stmt::Comment => Kind::Comment,
            Stmt::Config => Kind::Config,
            Stmt::Edit => Kind::Edit,
            Stmt::Next => Kind::Next,
            Stmt::End => Kind::End,
            Stmt::Set => Kind::Set,
            Stmt::Unset => Kind::Unset,
        }
    }
}

/// One statement as the scanner read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Line {
    stmt: Stmt,
    /// Where the statement begins, after the indentation (for blanks at the end of the input,
    /// where the line begins: pest's `blank_at_end` takes the blanks itself).
    start: usize,
    /// After its line break.
    end: usize,
}

/// Blank or tab.
fn is_blank(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

/// Blank, line break or end of input: what may follow a value.
fn at_value_end(b: &[u8], i: usize) -> bool {
    matches!(b.get(i), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
}

/// Eight bytes, little-endian: the scanner's hot loops look at words of text at a time.
fn word(b: &[u8], i: usize) -> Option<u64> {
    b.get(i..i + 8)
        .map(|w| u64::from_le_bytes(w.try_into().unwrap_or([0; 8])))
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether some byte of `x` is zero (exact).
fn has_zero(x: u64) -> bool {
    x.wrapping_sub(ONES) & !x & HIGHS != 0
}

/// Whether some byte of `x` is `c` (exact).
fn has_byte(x: u64, c: u8) -> bool {
    has_zero(x ^ (ONES * c as u64))
}

/// Whether some byte of `x` may end a bare word: it is below `!` (blanks, line breaks and
/// other control characters, which the byte loop then sorts out) or a quote or `\`. Never
/// false when one does.
fn may_end_bare(x: u64) -> bool {
    x.wrapping_sub(ONES * 0x21) & !x & HIGHS != 0
        || has_byte(x, b'"')
        || has_byte(x, b'\'')
        || has_byte(x, b'\\')
}

/// The end of a bare word piece starting at `i` (`b[i]` is not a blank, line break or quote),
/// or `None` where the grammar's `bare_piece` fails (`\` at the end of the input).
fn bare(b: &[u8], mut i: usize) -> Option<usize> {
    loop {
        while let Some(x) = word(b, i) {
            if may_end_bare(x) {
                break;
            }
            i += 8;
        }
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
                    // Most quoted values are short: words at a time before memchr.
                    while let Some(x) = word(b, i) {
                        if has_byte(x, b'"') || has_byte(x, b'\\') {
                            break;
                        }
                        i += 8;
                    }
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
    while word(b, i) == Some(ONES * b' ' as u64) {
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

/// One statement starting at `pos` (a line start, `pos < b.len()`), with its arguments' spans
/// in `args` as pest's lowering makes them: `config` path words, the `edit` key, the `set`
/// attribute then its values, a comment's text. `None` when the scanner is not sure pest reads
/// it the same way.
fn statement(b: &[u8], pos: usize, args: &mut Vec<(usize, usize)>) -> Option<Line> {
    args.clear();
    let i = skip_blanks(b, pos);
    let line = |stmt, start, end| Some(Line { stmt, start, end });
    let Some(&c) = b.get(i) else {
        // Blanks at the very end of the input.
        return line(Stmt::Blank, pos, i);
    };
    match c {
        b'\n' | b'\r' => return line(Stmt::Blank, i, trail_eol(b, i)?),
        b'#' => {
            let end = memchr2(b'\n', b'\r', &b[i..]).map_or(b.len(), |n| i + n);
            args.push((i, end));
            return line(Stmt::Comment, i, trail_eol(b, end)?);
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
            args.push((a, attr_end));
            let end = values(b, attr_end, args)?;
            let stmt = if word == b"set" {
                Stmt::Set
            } else {
                Stmt::Unset
            };
            line(stmt, i, end)
        }
        b"config" | b"edit" if has_sep => {
            let end = values(b, word_end, args)?;
            match (word, args.len()) {
                (_, 0) => None,
                (b"edit", n) if n > 1 => None,
                (b"edit", _) => line(Stmt::Edit, i, end),
                _ => line(Stmt::Config, i, end),
            }
        }
        b"next" => line(Stmt::Next, i, trail_eol(b, word_end)?),
        b"end" => line(Stmt::End, i, trail_eol(b, word_end)?),
        _ => None,
    }
}

/// An open block while scanning.
#[derive(Clone, Copy, Debug)]
enum Frame {
    /// A `config`, and what it is.
    Config(Role),
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

/// One stretch of the file, as the two-level parse handles it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Piece {
    /// Statements pest parses: a block the model reads, from its `config` line to its `end`
    /// line, cut around the bodies of the blocks nested in it.
    Pest(usize, usize),
    /// The body of a block nothing reads, from the line after its `config` line to the start
    /// of its `end` line (never empty): one raw [`Kind::Body`] node.
    Body(usize, usize),
    /// A statement the scanner lowered itself: [`Plan::nodes`]`[i]`.
    Node(usize),
}

/// What [`plan`] found: the file as pieces in order, and the statements outside the blocks the
/// model reads (headers and `end` lines of skipped blocks, the containers' lines, comments and
/// blank lines), lowered by the scanner into the nodes pest's lowering would make.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub pieces: Vec<Piece>,
    /// Their `args` ranges index [`Plan::args`].
    pub nodes: Vec<Node>,
    pub args: Vec<Arg>,
}

impl Plan {
    /// Lowers one statement the scanner is sure of.
    fn lower(&mut self, b: &[u8], pos: usize, line: Line, spans: &[(usize, usize)]) {
        let first = self.args.len() as u32;
        self.args.extend(spans.iter().map(|&(s, e)| Arg {
            span: Span::new(s, e),
        }));
        let node = super::statement_node(
            b,
            line.stmt.kind(),
            (pos, line.start, line.end),
            spans.last().map(|&(_, e)| e),
            (first, self.args.len() as u32),
        );
        self.pieces.push(Piece::Node(self.nodes.len()));
        self.nodes.push(node);
    }
}

/// A statement that shapes the nesting (`config`, `edit`, `next`, `end`), as the first pass
/// records it: twelve bytes, so that a million entries cost a few megabytes.
#[derive(Clone, Copy, Debug)]
struct Mark {
    pos: u32,
    end: u32,
    stmt: Stmt,
}

/// First pass over `b[from..]`, statement by statement, until one ends at or after `until`:
/// every statement is checked, the nesting ones are recorded. Returns the marks and where the
/// last statement ended; `None` at a statement the scanner is not sure of.
fn marks(b: &[u8], from: usize, until: usize) -> Option<(Vec<Mark>, usize)> {
    let mut out = Vec::new();
    let mut spans = Vec::new();
    let mut pos = from;
    while pos < until.min(b.len()) {
        let line = statement(b, pos, &mut spans)?;
        if matches!(
            line.stmt,
            Stmt::Config | Stmt::Edit | Stmt::Next | Stmt::End
        ) {
            out.push(Mark {
                pos: pos as u32,
                end: line.end as u32,
                stmt: line.stmt,
            });
        }
        pos = line.end;
    }
    Some((out, pos))
}

/// The first pass in `pieces` parts cut at line starts, scanned at the same time. A cut may
/// fall inside a multi-line value, so each part after the first is speculative: it is kept
/// when the previous part's last statement ended exactly at the cut (from there, statements
/// are what a single pass finds), and scanned again from where it did end otherwise.
fn marks_in_pieces(text: &str, start: usize, pieces: usize) -> Option<Vec<Mark>> {
    let b = text.as_bytes();
    let mut cuts = vec![start];
    for k in 1..pieces.max(1) {
        let line = super::next_line_start(text, b.len() * k / pieces);
        if line > *cuts.last().unwrap_or(&0) && line < b.len() {
            cuts.push(line);
        }
    }
    cuts.push(b.len());
    let parts: Vec<Option<(Vec<Mark>, usize)>> = if cuts.len() > 2 {
        use rayon::prelude::*;
        cuts.par_windows(2).map(|w| marks(b, w[0], w[1])).collect()
    } else {
        vec![marks(b, start, b.len())]
    };
    let mut out = Vec::new();
    let mut pos = start;
    for (k, part) in parts.into_iter().enumerate() {
        let until = cuts[k + 1];
        if pos >= until {
            // One long statement of the previous part covered this one.
            continue;
        }
        let (m, end) = if pos == cuts[k] {
            part?
        } else {
            marks(b, pos, until)?
        };
        out.extend(m);
        pos = end;
    }
    Some(out)
}

/// Scans `text` from `start` (after a BOM) and cuts it into [`Piece`]s. `None` when the scanner
/// is not sure of the whole file. Large texts are scanned in parallel (see [`plan_in_pieces`]).
pub(crate) fn plan(text: &str, start: usize) -> Option<Plan> {
    let pieces = rayon::current_num_threads()
        .min(text.len() / super::PARALLEL_MIN)
        .max(1);
    plan_in_pieces(text, start, pieces)
}

/// [`plan`] with the first pass in `pieces` parts (1 = sequential). The plan does not depend
/// on the number of parts; tests check that.
///
/// Two passes: the first checks every statement and records those that shape the nesting
/// ([`Mark`]s, in parallel parts); the second walks the marks with the block stack, decides
/// what pest parses and what is skipped, and lowers the statements outside both, scanning
/// again only the lines between two marks that lie outside every skipped or model block.
pub(crate) fn plan_in_pieces(text: &str, start: usize, pieces: usize) -> Option<Plan> {
    let b = text.as_bytes();
    let marks = marks_in_pieces(text, start, pieces)?;
    let mut stack: Vec<Frame> = Vec::with_capacity(MAX_DEPTH);
    let mut plan = Plan::default();
    let mut spans = Vec::new();
    let mut path_buf = String::new();
    // The depth of the skipped block we are in, if any (inside it, statements are only
    // checked), and where its body starts.
    let mut skipping: Option<usize> = None;
    let mut body_start = 0;
    // The depth of the block pest parses that we are in, if any, and where its current
    // stretch starts.
    let mut pest: Option<usize> = None;
    let mut pest_from = 0;
    let mut pos = start;
    // A sentinel after the last mark, so the lines after it are handled like any others.
    let end_mark = Mark {
        pos: b.len() as u32,
        end: b.len() as u32,
        stmt: Stmt::Blank,
    };
    for mark in marks.into_iter().chain([end_mark]) {
        // Whether the scanner lowers the statements here itself.
        let mut own = skipping.is_none() && pest.is_none();
        if own {
            // The lines before the mark: blank lines, comments, `set` (which needs a block).
            while pos < mark.pos as usize {
                let line = statement(b, pos, &mut spans)?;
                if matches!(line.stmt, Stmt::Set | Stmt::Unset) {
                    stack.last()?;
                }
                plan.lower(b, pos, line, &spans);
                pos = line.end;
            }
        }
        if own && pos != mark.pos as usize {
            return None;
        }
        if mark.stmt == Stmt::Blank {
            break;
        }
        pos = mark.pos as usize;
        // The statement again, with its arguments, where they are needed.
        let read = own;
        let line = if read {
            statement(b, pos, &mut spans)?
        } else {
            Line {
                stmt: mark.stmt,
                start: pos,
                end: mark.end as usize,
            }
        };
        match line.stmt {
            Stmt::Blank | Stmt::Comment | Stmt::Set | Stmt::Unset => {}
            Stmt::Config => {
                if stack.len() >= MAX_DEPTH {
                    return None;
                }
                let mut role = Role::Other;
                if skipping.is_none() {
                    let in_scope = stack.is_empty()
                        || matches!(stack[..], [Frame::Config(Role::Global)])
                        || matches!(stack[..], [Frame::Config(Role::Vdom), Frame::Edit(true)]);
                    let path = if in_scope && pest.is_none() {
                        path(text, &spans, &mut path_buf)
                    } else {
                        ""
                    };
                    if stack.is_empty() {
                        role = match path {
                            "vdom" => Role::Vdom,
                            "global" => Role::Global,
                            _ => Role::Other,
                        };
                    }
                    if pest.is_none() && in_scope && blocks::is_model_block(path) {
                        pest = Some(stack.len());
                        pest_from = pos;
                        own = false;
                    } else if role == Role::Other {
                        // Out of scope, or nested in a block the model reads (which reads only
                        // that block's own `set`/`unset` lines and `edit` entries).
                        skipping = Some(stack.len());
                        body_start = line.end;
                    }
                }
                stack.push(Frame::Config(role));
            }
            Stmt::Edit => {
                let Some(Frame::Config(role)) = stack.last() else {
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
                let Some(Frame::Config(_)) = stack.pop() else {
                    return None;
                };
                if skipping == Some(stack.len()) {
                    skipping = None;
                    if pos > body_start {
                        if pest.is_some() {
                            plan.pieces.push(Piece::Pest(pest_from, body_start));
                            pest_from = pos;
                        }
                        plan.pieces.push(Piece::Body(body_start, pos));
                    }
                    own = pest.is_none();
                } else if pest == Some(stack.len()) {
                    plan.pieces.push(Piece::Pest(pest_from, line.end));
                    pest = None;
                }
            }
        }
        if own {
            // The `end` of a skipped block was not read with its arguments above.
            let line = if read {
                line
            } else {
                statement(b, pos, &mut spans)?
            };
            plan.lower(b, pos, line, &spans);
        }
        pos = line.end;
    }
    stack.is_empty().then_some(plan)
}

/// The path of a `config` line from its word spans, decoded and joined by one space.
fn path<'b>(text: &str, args: &[(usize, usize)], out: &'b mut String) -> &'b str {
    super::join_path(args.iter().map(|&(a, b)| &text[a..b]), out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stmt(s: &str) -> Option<(Stmt, usize)> {
        statement(s.as_bytes(), 0, &mut Vec::new()).map(|l| (l.stmt, l.end))
    }

    /// The text of the bodies a plan skips.
    fn bodies(text: &str) -> Vec<&str> {
        plan(text, 0)
            .unwrap()
            .pieces
            .iter()
            .filter_map(|p| match *p {
                Piece::Body(a, b) => Some(&text[a..b]),
                _ => None,
            })
            .collect()
    }

    /// The scanner's word-at-a-time loops against byte-at-a-time references, for every byte
    /// value at every offset of a long word.
    #[test]
    fn word_at_a_time_matches_byte_at_a_time() {
        fn bare_bytes(b: &[u8], mut i: usize) -> Option<usize> {
            loop {
                while i < b.len() && !BARE_STOP[b[i] as usize] {
                    i += 1;
                }
                match b.get(i) {
                    Some(b'\\') => match b.get(i + 1) {
                        None => return None,
                        Some(b'\r') if b.get(i + 2) == Some(&b'\n') => i += 3,
                        Some(_) => i += 2,
                    },
                    Some(b'"') if at_value_end(b, i + 1) => return Some(i + 1),
                    _ => return Some(i),
                }
            }
        }
        fn value_bytes(b: &[u8], mut i: usize) -> Option<usize> {
            loop {
                match b.get(i) {
                    None | Some(b' ' | b'\t' | b'\r' | b'\n') => return Some(i),
                    Some(b'"') => {
                        i += 1;
                        loop {
                            while *b.get(i)? != b'"' && b[i] != b'\\' {
                                i += 1;
                            }
                            if b[i] == b'"' {
                                i += 1;
                                break;
                            }
                            if i + 1 >= b.len() {
                                return None;
                            }
                            i += 2;
                        }
                    }
                    Some(b'\'') => i += memchr(b'\'', &b[i + 1..])? + 2,
                    Some(_) => {
                        let end = bare_bytes(b, i)?;
                        if end == i {
                            return None;
                        }
                        i = end;
                    }
                }
            }
        }
        fn skip_bytes(b: &[u8], mut i: usize) -> usize {
            while i < b.len() && is_blank(b[i]) {
                i += 1;
            }
            i
        }
        // Any byte, followed by one that matters after an escape or a quote.
        let then = [
            b'a', b' ', b'\t', b'\r', b'\n', b'"', b'\'', b'\\', 0x01, 0xc3,
        ];
        for (byte, next) in (0..=255u8).flat_map(|b| then.map(|n| (b, n))) {
            for at in 0..20 {
                let mut w = vec![b'a'; 21];
                w[at] = byte;
                w[at + 1] = next;
                w.extend_from_slice(b" x");
                assert_eq!(bare(&w, 0), bare_bytes(&w, 0), "bare {byte:#x} at {at}");
                let mut q = vec![b'"'];
                q.extend(std::iter::repeat_n(b'a', 21));
                q[1 + at] = byte;
                q[2 + at] = next;
                q.extend_from_slice(b"\" y");
                assert_eq!(value(&q, 0), value_bytes(&q, 0), "quoted {byte:#x} at {at}");
                q.truncate(q.len() - 2);
                assert_eq!(value(&q, 0), value_bytes(&q, 0), "cut {byte:#x} at {at}");
                let mut sp = vec![b' '; 20];
                sp[at] = byte;
                assert_eq!(
                    skip_blanks(&sp, 0),
                    skip_bytes(&sp, 0),
                    "blanks {byte:#x} at {at}"
                );
            }
        }
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
        assert_eq!(stmt("unset a"), Some((Stmt::Unset, 7)));
        assert_eq!(stmt("config system  global \t\n"), Some((Stmt::Config, 24)));
        assert_eq!(stmt("edit \"a b\"\n"), Some((Stmt::Edit, 11)));
        assert_eq!(stmt("end  \r\n"), Some((Stmt::End, 7)));
        assert_eq!(stmt("  # c\rx"), Some((Stmt::Comment, 6)));
        assert_eq!(stmt("  \t"), Some((Stmt::Blank, 3)));
        assert_eq!(stmt("  \r\n"), Some((Stmt::Blank, 4)));
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
        let plan = plan(text, 0).unwrap();
        // The header comment, the skipped block's `config` line, its body, its `end`, the
        // block the model reads (pest), then the empty skipped block's two lines.
        let shape: Vec<String> = plan
            .pieces
            .iter()
            .map(|p| match *p {
                Piece::Node(i) => format!("{:?}", plan.nodes[i].kind),
                Piece::Body(a, b) => format!("Body {:?}", &text[a..b][..10]),
                Piece::Pest(a, b) => format!("Pest {:?}", &text[a..b]),
            })
            .collect();
        assert_eq!(
            shape,
            [
                "Comment",
                "Config",
                "Body \"    edit \\\"\"",
                "End",
                "Pest \"config user local\\n    edit u\\n    next\\nend\\n\"",
                "Config",
                "End"
            ]
        );
    }

    #[test]
    fn vdom_scoping() {
        // `end` closes `edit root` (as in VDOM backups).
        let text = "config vdom\nedit root\nnext\nend\nconfig global\nconfig system global\nset a b\nend\nconfig system dns\nset a b\nend\nend\nconfig vdom\nedit root\nconfig user local\nend\nconfig router static\nedit 1\nconfig user local\nset a b\nend\nnext\nend\nend\n";
        assert_eq!(
            bodies(text),
            [
                "set a b\n",
                "edit 1\nconfig user local\nset a b\nend\nnext\n"
            ]
        );
    }

    #[test]
    fn blocks_nested_in_model_blocks_are_skipped() {
        let text = "config system admin\n    edit \"a\"\n        set two-factor fortitoken\n        config gui-dashboard\n            edit 1\n                config widget\n                end\n            next\n        end\n    next\nend\n";
        assert_eq!(
            bodies(text),
            [
                "            edit 1\n                config widget\n                end\n            next\n"
            ]
        );
    }

    /// The plan does not depend on how the first pass is cut, even when a cut falls inside a
    /// multi-line value or a part stops at a statement it cannot read.
    #[test]
    fn plans_do_not_depend_on_the_parts() {
        let texts = [
            "#config-version=x\nconfig firewall address\n    edit \"a\"\n        set comment \"x\n\nconfig user local\nend\n\"\n    next\nend\nconfig user local\n    edit u\n        set a \"b\nc\"\n    next\nend\n\n# note\nconfig system dns\nend\n",
            "config vdom\nedit root\nnext\nend\nconfig global\nconfig system global\nset a b\nend\nconfig system dns\nset a b\nend\nend\nconfig vdom\nedit root\nconfig user local\nend\nconfig router static\nedit 1\nconfig user local\nset a b\nend\nnext\nend\nend\n",
            "config a\nset x \"y\nend\n",
            "config a\nend\nset b c\n",
        ];
        for text in texts {
            let one = format!("{:?}", plan_in_pieces(text, 0, 1));
            for n in 2..=text.len().min(12) {
                assert_eq!(
                    format!("{:?}", plan_in_pieces(text, 0, n)),
                    one,
                    "{n} parts of {text:?}"
                );
            }
        }
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
            assert!(plan(bad, 0).is_none(), "{bad:?}");
        }
        let deep = "config a\n".repeat(MAX_DEPTH + 1) + &"end\n".repeat(MAX_DEPTH + 1);
        assert!(plan(&deep, 0).is_none());
    }
}
