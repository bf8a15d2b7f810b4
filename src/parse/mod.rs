//! Stage 2 of the pipeline: **parse**. Turns validated text into a lossless [`Document`].
//!
//! The pest grammar (`grammar/fortios.pest`) recognises statements; this module drives it over
//! the input in windows of about 64 KiB (bounded memory for pest's token queue whatever the file
//! size), lowers each statement pair into a [`tree::Node`] with absolute byte spans, and lets
//! [`tree::link`] build the nesting. A statement that fails is explained by
//! [`explain`] with a located [`ParseError`].

pub mod blocks;
pub mod capture;
pub mod diagnostic;
#[doc(hidden)]
pub mod differential;
pub mod explain;
pub mod grammar;
mod scan;
pub mod tree;
pub mod value;

use std::borrow::Cow;

use pest::Parser as _;

use crate::source::Span;
pub use explain::{ParseError, ParseErrorKind};
use grammar::{FortiosParser, Rule};
use tree::StructureError;
pub use tree::{Arg, Kind, Node, NodeId, Tree, Warning};

/// Window size for one call of the `batch` rule.
const WINDOW: usize = 1 << 16;

/// Inputs at least this large are parsed in parallel pieces.
const PARALLEL_MIN: usize = 4 << 20;

/// A parsed configuration: the text, the statement tree, and the leniency warnings.
#[derive(Clone, Debug)]
pub struct Document<'a> {
    pub text: &'a str,
    pub tree: Tree,
    pub warnings: Vec<Warning>,
}

/// Statements lowered from one stretch of the text, not yet nested.
#[derive(Debug, Default)]
struct Chunk {
    nodes: Vec<Node>,
    args: Vec<Arg>,
    /// Where the last statement ended (where a failed statement starts).
    end: usize,
    /// Stopped in front of a statement it could not recognise.
    failed: bool,
}

impl Chunk {
    /// Appends the statements of `other` (its argument ranges moved past this chunk's).
    fn absorb(&mut self, other: Chunk) {
        let offset = self.args.len() as u32;
        self.args.extend(other.args);
        self.nodes.extend(other.nodes.into_iter().map(|mut n| {
            n.args = (n.args.0 + offset, n.args.1 + offset);
            n
        }));
    }
}

/// How much of a file pest parses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// Every statement: what `fix` and anything that edits or reads arbitrary blocks needs.
    #[default]
    Full,
    /// The two-level parse for `check` and `tokens`: a validating scanner (`scan.rs`) checks
    /// every statement and the nesting of the whole file and finds the block boundaries; pest
    /// parses every statement outside the bodies of the blocks the model does not read
    /// ([`blocks`]), and each such body becomes one [`Kind::Body`] node (spans still tile the
    /// file). When the scanner is unsure of anything, or it and pest disagree on a boundary,
    /// the file is parsed as in [`Mode::Full`], so errors, warnings and captures are exactly
    /// those of the full parse.
    ModelBlocks,
}

/// Parses a whole configuration text in the given [`Mode`].
pub fn parse_with(text: &str, mode: Mode) -> Result<Document<'_>, ParseError> {
    match mode {
        Mode::Full => parse(text),
        Mode::ModelBlocks => match two_level(text) {
            Some(doc) => Ok(doc),
            None => parse(text),
        },
    }
}

/// The two-level parse, or `None` when the file must be parsed by pest alone.
fn two_level(text: &str) -> Option<Document<'_>> {
    use scan::Piece;
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let plan = scan::plan(text, start)?;
    if !plan.pieces.iter().any(|p| matches!(p, Piece::Body(..))) {
        return None;
    }
    let b = text.as_bytes();
    // The stretches pest parses are independent: large files parse them in parallel.
    let stretches: Vec<(usize, usize)> = plan
        .pieces
        .iter()
        .filter_map(|p| match *p {
            Piece::Pest(from, to) => Some((from, to)),
            _ => None,
        })
        .collect();
    let parse_stretch = |&(from, to): &(usize, usize)| scan(&text[..to], from, to);
    let chunks: Vec<Chunk> = if text.len() >= PARALLEL_MIN && stretches.len() > 1 {
        use rayon::prelude::*;
        stretches.par_iter().map(parse_stretch).collect()
    } else {
        stretches.iter().map(parse_stretch).collect()
    };
    let pest_nodes: usize = chunks.iter().map(|c| c.nodes.len()).sum();
    let mut out = Chunk {
        nodes: Vec::with_capacity(pest_nodes + plan.pieces.len()),
        args: Vec::with_capacity(plan.args.len()),
        ..Chunk::default()
    };
    let mut chunks = chunks.into_iter();
    let is_body = |k: Option<&Piece>| matches!(k, Some(Piece::Body(..)));
    for (k, piece) in plan.pieces.iter().enumerate() {
        match *piece {
            Piece::Node(i) => {
                let n = plan.nodes[i];
                let first = out.args.len() as u32;
                out.args
                    .extend_from_slice(&plan.args[n.args.0 as usize..n.args.1 as usize]);
                out.nodes.push(Node {
                    args: (first, out.args.len() as u32),
                    ..n
                });
            }
            Piece::Body(body_start, body_end) => {
                let n = out.args.len() as u32;
                let span = Span::new(body_start, body_end);
                out.nodes.push(Node {
                    kind: Kind::Body,
                    span,
                    content: span,
                    subtree_end: 0,
                    args: (n, n),
                });
            }
            Piece::Pest(_, to) => {
                // Pest must agree with the scanner on every boundary: it read exactly the
                // stretch, starting with the block's `config` line (or the `end` of a body
                // nested in it) and ending with the block's `end` (or the `config` line of
                // a nested body).
                let chunk = chunks.next()?;
                if chunk.failed || chunk.end != to {
                    return None;
                }
                let first = chunk.nodes.first()?.kind;
                let last = chunk.nodes.last()?;
                let after_body = k > 0 && is_body(plan.pieces.get(k - 1));
                if first != if after_body { Kind::End } else { Kind::Config } {
                    return None;
                }
                if is_body(plan.pieces.get(k + 1)) {
                    // The header ends with its own line break, not inside a value (a `\`
                    // continuation or a quote would have taken pest past the body's start).
                    let crlf = b[..to].ends_with(b"\r\n");
                    let line_break = to - if crlf { 2 } else { 1 };
                    if last.kind != Kind::Config
                        || !matches!(b[line_break], b'\n' | b'\r')
                        || chunk.args.last()?.span.end as usize > line_break
                    {
                        return None;
                    }
                } else if last.kind != Kind::End {
                    return None;
                }
                out.absorb(chunk);
            }
        }
    }
    finish(text, start, out.nodes, out.args, Vec::new()).ok()
}

/// Parses a whole configuration text.
///
/// Large inputs are cut at line starts into one piece per thread and the pieces are parsed at
/// the same time. A cut may fall inside a multi-line quoted value, so each piece after the
/// first is speculative: it is kept from the first statement where the previous piece really
/// ended, and re-parsed from there if that point is not among its statement starts.
pub fn parse(text: &str) -> Result<Document<'_>, ParseError> {
    let pieces = rayon::current_num_threads()
        .min(text.len() / PARALLEL_MIN)
        .max(1);
    parse_in_pieces(text, pieces)
}

/// [`parse`] with an explicit number of pieces (1 = sequential). The result does not depend on
/// the number of pieces; tests check that.
pub fn parse_in_pieces(text: &str, pieces: usize) -> Result<Document<'_>, ParseError> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let threads = pieces.max(1);
    let chunks = if threads > 1 {
        let mut cuts = vec![start];
        for k in 1..threads {
            let at = text.len() * k / threads;
            let line = next_line_start(text, at);
            if line > *cuts.last().unwrap_or(&0) && line < text.len() {
                cuts.push(line);
            }
        }
        cuts.push(text.len());
        use rayon::prelude::*;
        let parts: Vec<Chunk> = cuts
            .par_windows(2)
            .map(|w| scan(text, w[0], w[1]))
            .collect();
        stitch(text, parts, &cuts)
    } else {
        vec![scan(text, start, text.len())]
    };
    if chunks.last().is_some_and(|c| c.failed) {
        // Something that is not a statement: a session capture, or a real syntax error.
        return parse_capture(text, start);
    }
    // Concatenate the pieces without re-pushing nodes one by one, then link in place.
    let mut chunks = chunks.into_iter();
    let mut all = chunks.next().unwrap_or_default();
    for chunk in chunks {
        all.absorb(chunk);
    }
    match finish(text, start, all.nodes, all.args, Vec::new()) {
        Ok(doc) => Ok(doc),
        // A capture whose structure only makes sense once command outputs are set aside.
        Err(_) => parse_capture(text, start),
    }
}

/// Inserts the BOM node, applies the leniency for captures that start inside a block, links
/// the nesting and checks for indentation-only text.
fn finish(
    text: &str,
    start: usize,
    mut nodes: Vec<Node>,
    args: Vec<Arg>,
    mut warnings: Vec<Warning>,
) -> Result<Document<'_>, ParseError> {
    if start == 3 {
        let bom = Span::new(0, 3);
        nodes.insert(
            0,
            Node {
                kind: Kind::Bom,
                span: bom,
                content: Span::new(3, 3),
                subtree_end: 0,
                args: (0, 0),
            },
        );
    }
    if !has_version_header(text, &nodes)
        && let Some(last) = tree::orphan_prefix(&nodes)
    {
        let first = nodes[..=last]
            .iter()
            .position(|n| !n.kind.is_trivia())
            .unwrap_or(0);
        let (l1, l2) = (
            line_of(text, nodes[first].content.start as usize),
            line_of(text, nodes[last].content.start as usize),
        );
        for n in &mut nodes[..=last] {
            if !n.kind.is_trivia() {
                n.kind = Kind::Skipped;
            }
        }
        warnings.push(Warning {
            span: nodes[first].content,
            message: format!(
                "capture starts inside a block: lines {l1}-{l2} belong to a block whose opening \
                 line is not in the input; skipped"
            ),
        });
    }
    let mut link_warnings =
        tree::link(&mut nodes).map_err(|(e, i)| structure_error(text, e, nodes[i].content))?;
    if let Some(e) = explain::indentation_only(text, &nodes) {
        return Err(e);
    }
    warnings.append(&mut link_warnings);
    warnings.sort_by_key(|w| w.span.start);
    Ok(Document {
        text,
        tree: Tree { nodes, args },
        warnings,
    })
}

/// 1-based line number of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    crate::source::byte_line_col(text.as_bytes(), offset).0
}

/// Whether a `#config-version=` line (possibly after a prompt) comes before the first
/// statement: a real backup, where a stray statement at the top is an error, not a capture.
fn has_version_header(text: &str, nodes: &[Node]) -> bool {
    nodes
        .iter()
        .take_while(|n| n.kind.is_trivia() || n.kind == Kind::Script)
        .any(|n| text[n.content.range()].contains("#config-version="))
}

/// The sequential driver for session captures and text with lines that are not statements.
///
/// Prompt lines cut the input into regions. The output of `show` (and text before the first
/// prompt) is parsed as configuration; the output of any other command is kept whole as one
/// [`Kind::Skipped`] node (diagnostic output is read as evidence by the model, other output
/// gets a note). Inside configuration output, a line that is not a statement but is
/// recognised by [`capture::classify`] (banner, login line, markdown fence, abbreviated
/// command, diagnostic output) is skipped with a note; an unrecognised line is a syntax error,
/// unless the input is a capture and the line is outside every block.
fn parse_capture(text: &str, start: usize) -> Result<Document<'_>, ParseError> {
    use capture::{CommandKind, Noise};
    let mut prompts = prompt_lines(text, start);
    let mut out = Chunk::default();
    let mut warnings: Vec<Warning> = Vec::new();
    let mut pos = start;
    let mut p = 0;
    let mut output: Option<(CommandKind, Span)> = None;
    let mut in_capture = false;
    let mut last_noise = None;
    let mut depth = Depth::default();
    while pos < text.len() {
        while p < prompts.len() && prompts[p] < pos {
            p += 1;
        }
        let next_prompt = prompts.get(p).copied();
        if let Some((kind, command)) = output.take() {
            let end = next_prompt.unwrap_or(text.len());
            if end > pos {
                let new = push_skipped(text, &mut out, pos, end, true);
                // Diagnostic output is evidence; typed configuration answers with at most a
                // status line (`current vf=root:0`, `Command fail. Return code -61`).
                if new && kind == CommandKind::Other {
                    warnings.push(Warning {
                        span: command,
                        message: format!(
                            "skipped the output of `{}` (not configuration)",
                            truncate_words(&text[command.range()], 40)
                        ),
                    });
                }
            }
            pos = end;
            continue;
        }
        if next_prompt == Some(pos) {
            let line_end = next_line_start(text, pos);
            let c = scan(&text[..line_end], pos, line_end);
            if c.failed || c.nodes.is_empty() {
                push_skipped(text, &mut out, pos, line_end, false);
            } else {
                append(&mut out, c, &mut depth);
            }
            in_capture = true;
            let line = text[pos..line_end].trim_end_matches(['\n', '\r']);
            let command = capture::prompt_command(line).unwrap_or("");
            if !command.is_empty() {
                let at = pos + line.rfind(command).unwrap_or(0);
                let kind = capture::command_kind(command);
                if kind != CommandKind::Show {
                    output = Some((kind, Span::new(at, at + command.len())));
                }
            }
            pos = line_end;
            continue;
        }
        let limit = next_prompt.unwrap_or(text.len());
        let c = scan(&text[..limit], pos, limit);
        if !c.nodes.is_empty() {
            last_noise = None;
        }
        let failed = c.failed;
        pos = c.end;
        append(&mut out, c, &mut depth);
        if !failed {
            continue;
        }
        if limit < text.len()
            && capture::classify(&text[pos..next_line_start(text, pos)]).is_none()
            && explain::explain(&text[..limit], pos).kind == ParseErrorKind::UnterminatedQuote
        {
            // A prompt-like line inside a multi-line quoted value (`Welcome $ user` in a
            // replacement message): it is not a prompt; parse on past it.
            prompts.remove(p);
            continue;
        }
        let line_end = next_line_start(text, pos);
        let line = &text[pos..line_end];
        let noise = capture::classify(line);
        let merge = noise.is_some() && noise == last_noise.take();
        last_noise = noise;
        let message = match noise {
            Some(noise) => {
                in_capture = true;
                match noise {
                    Noise::Command(_) => format!(
                        "read `{}` as a typed command, not configuration",
                        truncate_words(line.trim(), 40)
                    ),
                    Noise::Output => {
                        "skipped command output (diagnostic output is read as evidence)".to_owned()
                    }
                    n => format!("skipped a {}", n.describe()),
                }
            }
            None if in_capture && depth.0.is_empty() => {
                "skipped text that is not configuration".to_owned()
            }
            None => return Err(explain::explain(text, pos)),
        };
        if push_skipped(text, &mut out, pos, line_end, merge) {
            let content = out.nodes.last().map_or(Span::new(pos, pos), |n| n.content);
            warnings.push(Warning {
                span: content,
                message,
            });
        }
        pos = line_end;
    }
    finish(text, start, out.nodes, out.args, warnings)
}

/// Starts of the lines that are CLI prompts.
fn prompt_lines(text: &str, start: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut pos = start;
    while pos < text.len() {
        let end = next_line_start(text, pos);
        let line = text[pos..end].trim_end_matches(['\n', '\r']);
        if capture::prompt_command(line).is_some() {
            out.push(pos);
        }
        pos = end;
    }
    out
}

/// Open blocks while the capture driver appends statements (for "outside every block").
#[derive(Default)]
struct Depth(Vec<Kind>);

impl Depth {
    fn feed(&mut self, kind: Kind) {
        match kind {
            Kind::Config | Kind::Edit => self.0.push(kind),
            Kind::Next if self.0.last() == Some(&Kind::Edit) => {
                self.0.pop();
            }
            Kind::End => {
                if self.0.last() == Some(&Kind::Edit) {
                    self.0.pop();
                }
                self.0.pop();
            }
            _ => {}
        }
    }
}

/// Appends a chunk's statements to `out`.
fn append(out: &mut Chunk, chunk: Chunk, depth: &mut Depth) {
    for n in &chunk.nodes {
        depth.feed(n.kind);
    }
    out.absorb(chunk);
}

/// Adds `start..end` as skipped text, merged into a skipped node that ends at `start`.
/// Returns whether a new node was made.
fn push_skipped(text: &str, out: &mut Chunk, start: usize, end: usize, merge: bool) -> bool {
    let region = &text[start..end];
    let lead = region.len() - region.trim_start_matches([' ', '\t']).len();
    let trimmed = region.trim_end_matches([' ', '\t', '\r', '\n']).len();
    let content = Span::new(start + lead.min(trimmed), start + trimmed);
    if let Some(last) = out.nodes.last_mut()
        && merge
        && last.kind == Kind::Skipped
        && last.span.end as usize == start
    {
        last.span.end = end as u32;
        if !content.is_empty() {
            last.content.end = content.end;
        }
        return false;
    }
    let n = out.args.len() as u32;
    out.nodes.push(Node {
        kind: Kind::Skipped,
        span: Span::new(start, end),
        content,
        subtree_end: 0,
        args: (n, n),
    });
    true
}

/// The first `n` characters of `s`, with `…` when cut.
fn truncate_words(s: &str, n: usize) -> String {
    explain::command_words(s, n)
}

/// Is there a line break ending at `i` (exclusive)? `\n`, or a `\r` not followed by `\n`
/// (a CRLF is never split).
fn line_ends_at(b: &[u8], i: usize) -> bool {
    i > 0 && (b[i - 1] == b'\n' || (b[i - 1] == b'\r' && b.get(i) != Some(&b'\n')))
}

/// The start of the first line that begins after `at` (or the end of the text).
fn next_line_start(text: &str, at: usize) -> usize {
    let b = text.as_bytes();
    let mut i = at;
    while let Some(n) = memchr::memchr2(b'\n', b'\r', &b[i..]) {
        i += n + 1;
        if line_ends_at(b, i) {
            return i;
        }
    }
    b.len()
}

/// The end of the last complete line in `b[from..]`. `b` may stop short of the text, so a
/// `\r` in its last byte is not taken: a `\n` may follow it.
fn last_line_end(b: &[u8], from: usize) -> Option<usize> {
    let mut end = b.len();
    while let Some(n) = memchr::memrchr2(b'\n', b'\r', &b[from..end]) {
        let i = from + n + 1;
        if b[i - 1] == b'\n' || (i < b.len() && b[i] != b'\n') {
            return Some(i);
        }
        end = from + n;
    }
    None
}

/// Joins speculative pieces: each is kept from the point where the previous one ended.
fn stitch(text: &str, parts: Vec<Chunk>, cuts: &[usize]) -> Vec<Chunk> {
    let mut out: Vec<Chunk> = Vec::with_capacity(parts.len());
    let mut pos = cuts[0];
    for (k, mut part) in parts.into_iter().enumerate() {
        if out.last().is_some_and(|c| c.failed) {
            break;
        }
        if k > 0 && pos >= part.end && !part.failed {
            // The previous piece already covered this one (one long quoted value).
            continue;
        }
        if k == 0 || pos == cuts[k] {
            pos = part.end;
            out.push(part);
            continue;
        }
        match part.nodes.iter().position(|n| n.span.start as usize == pos) {
            Some(j) => {
                part.nodes.drain(..j);
                pos = part.end;
                out.push(part);
            }
            None => {
                let again = scan(text, pos, cuts[k + 1]);
                pos = again.end;
                out.push(again);
            }
        }
    }
    out
}

/// Parses statements from `from` (a statement start) until one ends at or after `until`, the
/// input ends, or a statement cannot be recognised.
fn scan(text: &str, from: usize, until: usize) -> Chunk {
    let mut chunk = Chunk {
        end: from,
        ..Chunk::default()
    };
    let mut pos = from;
    let mut window = WINDOW;
    while pos < until.min(text.len()) {
        let is_final = pos + window >= text.len();
        let end = if is_final {
            text.len()
        } else {
            // Cut just after a line break so no statement is split by the window edge.
            match last_line_end(&text.as_bytes()[..pos + window], pos) {
                Some(end) => end,
                None => {
                    window *= 2;
                    continue;
                }
            }
        };
        let consumed = lower_batch(pos, &text[pos..end], is_final, until, &mut chunk);
        if consumed == 0 {
            if is_final {
                chunk.failed = true;
                break;
            }
            // One statement longer than the window (a huge certificate or image): widen.
            window *= 2;
            continue;
        }
        pos += consumed;
        chunk.end = pos;
        window = WINDOW;
    }
    chunk.end = pos;
    chunk
}

/// Parses statements in `slice` (which starts at `base`) into the chunk. Returns the number of
/// bytes consumed. In a window that is not the last, the statement touching the window edge
/// is left for the next window, since it may continue past the edge. Stops after the first
/// statement that ends at or after `until`.
fn lower_batch(base: usize, slice: &str, is_final: bool, until: usize, chunk: &mut Chunk) -> usize {
    // `batch` is `statement*` and matches the empty string, so it cannot fail.
    let Ok(mut pairs) = FortiosParser::parse(Rule::batch, slice) else {
        return 0;
    };
    let Some(batch) = pairs.next() else {
        return 0;
    };
    // One pass over all pairs in order (statements, then their arguments): cheaper than
    // building a nested `Pairs` per statement.
    let mut open: Option<Open> = None;
    let mut consumed = 0;
    for pair in batch.into_inner().flatten() {
        let rule = pair.as_rule();
        let s = pair.as_span();
        let Some(kind) = statement_kind(rule) else {
            chunk.args.push(Arg {
                span: Span::new(base + s.start(), base + s.end()),
            });
            continue;
        };
        if let Some(o) = open.take() {
            o.close(base, slice, chunk);
            if base + consumed >= until {
                return consumed;
            }
        }
        if !is_final && s.end() == slice.len() {
            return consumed;
        }
        // The line starts where the previous statement ended (indentation is not in the pair).
        open = Some(Open {
            kind,
            line_start: consumed,
            start: s.start(),
            end: s.end(),
            first_arg: chunk.args.len(),
        });
        consumed = s.end();
    }
    if let Some(o) = open {
        o.close(base, slice, chunk);
    }
    consumed
}

/// A statement whose arguments are still being collected.
struct Open {
    kind: Kind,
    line_start: usize,
    start: usize,
    end: usize,
    first_arg: usize,
}

impl Open {
    fn close(self, base: usize, slice: &str, chunk: &mut Chunk) {
        let last_arg_end = chunk
            .args
            .get(self.first_arg..)
            .and_then(<[Arg]>::last)
            .map(|a| a.span.end as usize - base);
        let node = statement_node(
            slice.as_bytes(),
            self.kind,
            (self.line_start, self.start, self.end),
            last_arg_end,
            (self.first_arg as u32, chunk.args.len() as u32),
        );
        chunk.nodes.push(Node {
            span: Span::new(
                base + node.span.start as usize,
                base + node.span.end as usize,
            ),
            content: Span::new(
                base + node.content.start as usize,
                base + node.content.end as usize,
            ),
            ..node
        });
    }
}

/// The node of one statement of `b`: `line_start..end` is the whole line (indentation,
/// statement, trailing blanks, line break), `start` where the statement begins; its content
/// ends before the trailing blanks and line break, or after its last argument (a bare word
/// may end in a `\` line continuation, which that trimming would cut off). Pest's lowering and
/// the scanner's both build nodes here, so they cannot differ in this.
fn statement_node(
    b: &[u8],
    kind: Kind,
    (line_start, start, end): (usize, usize, usize),
    last_arg_end: Option<usize>,
    args: (u32, u32),
) -> Node {
    let stmt = &b[start..end];
    let mut content_end = stmt.len();
    while content_end > 0 && matches!(stmt[content_end - 1], b' ' | b'\t' | b'\r' | b'\n') {
        content_end -= 1;
    }
    if let Some(last) = last_arg_end {
        content_end = content_end.max(last - start);
    }
    Node {
        kind,
        span: Span::new(line_start, end),
        content: Span::new(start, start + content_end),
        subtree_end: 0,
        args,
    }
}

/// The node kind of a statement rule; `None` for argument rules.
fn statement_kind(rule: Rule) -> Option<Kind> {
    Some(match rule {
        Rule::set_stmt => Kind::Set,
        Rule::edit_stmt => Kind::Edit,
        Rule::next_stmt => Kind::Next,
        Rule::end_stmt => Kind::End,
        Rule::config_stmt => Kind::Config,
        Rule::unset_stmt => Kind::Unset,
        Rule::script_stmt => Kind::Script,
        Rule::comment_line => Kind::Comment,
        Rule::blank_line | Rule::blank_at_end => Kind::Blank,
        Rule::pager_line => Kind::Pager,
        Rule::prompt_line => Kind::Prompt,
        _ => return None,
    })
}

fn structure_error(text: &str, e: StructureError, at: Span) -> ParseError {
    explain::structure(text, e, at)
}

/// `config` path words (as written) decoded and joined by one space into `buf` (cleared
/// first): the one spelling of a path, for the model and the scanner.
fn join_path<'b, 'w>(words: impl Iterator<Item = &'w str>, buf: &'b mut String) -> &'b str {
    buf.clear();
    for w in words {
        if !buf.is_empty() {
            buf.push(' ');
        }
        buf.push_str(&value::decode(w));
    }
    buf
}

/// Iterator over the children of a node (or the top level), skipping whole subtrees.
#[derive(Clone, Debug)]
pub struct Children<'d> {
    nodes: &'d [Node],
    next: NodeId,
    end: NodeId,
}

impl Iterator for Children<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        if self.next >= self.end {
            return None;
        }
        let id = self.next;
        self.next = self.nodes[id as usize].subtree_end;
        Some(id)
    }
}

impl<'a> Document<'a> {
    pub fn node(&self, id: NodeId) -> &Node {
        &self.tree.nodes[id as usize]
    }

    pub fn len(&self) -> usize {
        self.tree.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tree.nodes.is_empty()
    }

    /// The statements at top level.
    pub fn top_level(&self) -> Children<'_> {
        Children {
            nodes: &self.tree.nodes,
            next: 0,
            end: self.tree.nodes.len() as NodeId,
        }
    }

    /// The direct children of a block (including its closing `end`/`next`).
    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            nodes: &self.tree.nodes,
            next: id + 1,
            end: self.node(id).subtree_end,
        }
    }

    /// The text of a span.
    pub fn raw(&self, span: Span) -> &'a str {
        &self.text[span.range()]
    }

    /// The arguments of a statement.
    pub fn args(&self, id: NodeId) -> &[Arg] {
        let (a, b) = self.node(id).args;
        &self.tree.args[a as usize..b as usize]
    }

    /// Decoded argument `i` of a statement.
    pub fn arg(&self, id: NodeId, i: usize) -> Option<Cow<'a, str>> {
        self.args(id)
            .get(i)
            .map(|a| value::decode(&self.text[a.span.range()]))
    }

    /// `config` path words joined by one space (`system replacemsg auth auth-fortitoken-page`).
    pub fn config_path(&self, id: NodeId) -> String {
        let mut out = String::new();
        self.config_path_in(id, &mut out);
        out
    }

    /// [`Document::config_path`] written into `buf` (cleared first), for loops that spell many
    /// paths without allocating a string each.
    pub fn config_path_in<'b>(&self, id: NodeId, buf: &'b mut String) -> &'b str {
        join_path(self.args(id).iter().map(|a| self.raw(a.span)), buf)
    }

    /// The key of an `edit` (decoded), or the attribute of a `set`/`unset`.
    pub fn name(&self, id: NodeId) -> Cow<'a, str> {
        self.arg(id, 0).unwrap_or(Cow::Borrowed(""))
    }

    /// The decoded values of a `set` (everything after the attribute).
    pub fn set_values(&self, id: NodeId) -> impl Iterator<Item = Cow<'a, str>> + '_ {
        self.args(id)
            .iter()
            .skip(1)
            .map(|a| value::decode(&self.text[a.span.range()]))
    }

    /// The first decoded value of a `set`.
    pub fn set_value(&self, id: NodeId) -> Option<Cow<'a, str>> {
        self.arg(id, 1)
    }

    /// Byte spans of the whole file in order; laid end to end they are the input.
    pub fn spans(&self) -> impl Iterator<Item = Span> + '_ {
        self.tree.nodes.iter().map(|n| n.span)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rebuild(doc: &Document<'_>) -> String {
        doc.spans().map(|s| doc.raw(s)).collect()
    }

    #[test]
    fn nesting_and_lossless_spans() {
        let text = "\u{feff}#config-version=x\r\nconfig vdom\nedit root\nnext\nend\r\nconfig global\n\tconfig system global\n  set hostname \"a b\"  \nend\nend";
        let doc = parse(text).unwrap();
        assert_eq!(rebuild(&doc), text);
        let top: Vec<_> = doc.top_level().map(|id| doc.node(id).kind).collect();
        assert_eq!(top, [Kind::Bom, Kind::Comment, Kind::Config, Kind::Config]);
        let global = doc.top_level().nth(3).unwrap();
        assert_eq!(doc.config_path(global), "global");
        let sys = doc.children(global).next().unwrap();
        assert_eq!(doc.config_path(sys), "system global");
        let set = doc.children(sys).next().unwrap();
        assert_eq!(doc.name(set), "hostname");
        assert_eq!(doc.set_value(set).unwrap(), "a b");
        assert_eq!(doc.raw(doc.node(set).content), "set hostname \"a b\"");
        assert!(doc.warnings.is_empty());
    }

    #[test]
    fn end_closes_open_edit_and_fragments_warn() {
        let doc =
            parse("config vdom\nedit root\nedit other\nend\nconfig user fortitoken\n edit \"x\"\n")
                .unwrap();
        assert_eq!(doc.warnings.len(), 2, "{:?}", doc.warnings);
        let vdom = doc.top_level().next().unwrap();
        let kids: Vec<_> = doc.children(vdom).map(|i| doc.node(i).kind).collect();
        assert_eq!(kids, [Kind::Edit, Kind::Edit, Kind::End]);
    }

    #[test]
    fn windows_do_not_split_statements() {
        // Long multi-line values straddling many window edges.
        let pem = "A".repeat(700);
        let mut text = String::new();
        for i in 0..4000 {
            text.push_str(&format!(
                "config c{i}\n    set k \"{pem}\n{pem}\nend\"\n    set b x\\\ny\nend\n"
            ));
        }
        let doc = parse(&text).unwrap();
        assert_eq!(doc.top_level().count(), 4000);
        assert_eq!(rebuild(&doc), text);
        let last = doc.top_level().last().unwrap();
        let b = doc.children(last).nth(1).unwrap();
        assert_eq!(doc.set_value(b).unwrap(), "xy");
    }
}
