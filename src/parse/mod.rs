//! Stage 2 of the pipeline: **parse**. Turns validated text into a lossless [`Document`].
//!
//! The pest grammar (`grammar/fortios.pest`) recognises statements; this module drives it over
//! the input in windows of about 1 MiB (bounded memory for pest's token queue whatever the file
//! size), lowers each statement pair into a [`tree::Node`] with absolute byte spans, and lets
//! [`tree::TreeBuilder`] build the nesting. A statement that fails is explained by
//! [`explain`] with a located [`ParseError`].

pub mod explain;
pub mod grammar;
pub mod tree;
pub mod value;

use std::borrow::Cow;

use pest::Parser as _;
use pest::iterators::Pair;

use crate::source::Span;
pub use explain::{ParseError, ParseErrorKind};
use grammar::{FortiosParser, Rule};
pub use tree::{Arg, Kind, Node, NodeId, Tree, Warning};
use tree::{StructureError, TreeBuilder};

/// Window size for one call of the `batch` rule.
const WINDOW: usize = 1 << 20;

/// A parsed configuration: the text, the statement tree, and the leniency warnings.
#[derive(Clone, Debug)]
pub struct Document<'a> {
    pub text: &'a str,
    pub tree: Tree,
    pub warnings: Vec<Warning>,
}

/// Parses a whole configuration text.
pub fn parse(text: &str) -> Result<Document<'_>, ParseError> {
    let mut builder = TreeBuilder::with_capacity(text.len() / 32);
    let mut pos = 0;
    if text.starts_with('\u{feff}') {
        let bom = Span::new(0, 3);
        builder
            .push(Kind::Bom, bom, Span::new(3, 3), [])
            .map_err(|e| structure_error(text, e, bom))?;
        pos = 3;
    }
    let mut window = WINDOW;
    while pos < text.len() {
        let is_final = pos + window >= text.len();
        let end = if is_final {
            text.len()
        } else {
            // Cut just after a line break so no statement is split by the window edge.
            match text.as_bytes()[pos..pos + window]
                .iter()
                .rposition(|&b| b == b'\n')
            {
                Some(i) => pos + i + 1,
                None => {
                    window *= 2;
                    continue;
                }
            }
        };
        let slice = &text[pos..end];
        let consumed = lower_batch(text, pos, slice, is_final, &mut builder)?;
        if consumed == 0 {
            if is_final {
                return Err(explain::explain(text, pos));
            }
            // One statement longer than the window (a huge certificate or image): widen.
            window *= 2;
            continue;
        }
        pos += consumed;
        window = WINDOW;
    }
    let (tree, warnings) = builder.finish();
    Ok(Document {
        text,
        tree,
        warnings,
    })
}

/// Parses statements in `slice` (which starts at `base`) and adds them to the tree. Returns the
/// number of bytes consumed. In a window that is not the last, the statement touching the
/// window edge is left for the next window, since it may continue past the edge.
fn lower_batch(
    text: &str,
    base: usize,
    slice: &str,
    is_final: bool,
    builder: &mut TreeBuilder,
) -> Result<usize, ParseError> {
    // `batch` is `statement*` and matches the empty string, so it cannot fail.
    let Ok(mut pairs) = FortiosParser::parse(Rule::batch, slice) else {
        return Ok(0);
    };
    let Some(batch) = pairs.next() else {
        return Ok(0);
    };
    let mut consumed = 0;
    let mut scratch = Vec::with_capacity(8);
    for stmt in batch.into_inner() {
        let end = stmt.as_span().end();
        if !is_final && end == slice.len() {
            break;
        }
        // The line starts where the previous statement ended (indentation is not in the pair).
        lower_statement(text, base, consumed, stmt, builder, &mut scratch)?;
        consumed = end;
    }
    Ok(consumed)
}

/// Lowers one statement pair (`config_stmt`, `set_stmt`, …) into a node.
fn lower_statement(
    text: &str,
    base: usize,
    line_start: usize,
    pair: Pair<'_, Rule>,
    builder: &mut TreeBuilder,
    scratch: &mut Vec<Span>,
) -> Result<(), ParseError> {
    let kind = match pair.as_rule() {
        Rule::config_stmt => Kind::Config,
        Rule::edit_stmt => Kind::Edit,
        Rule::set_stmt => Kind::Set,
        Rule::unset_stmt => Kind::Unset,
        Rule::next_stmt => Kind::Next,
        Rule::end_stmt => Kind::End,
        Rule::script_stmt => Kind::Script,
        Rule::comment_line => Kind::Comment,
        Rule::blank_line | Rule::blank_at_end => Kind::Blank,
        Rule::pager_line => Kind::Pager,
        Rule::prompt_line => Kind::Prompt,
        other => unreachable!("lower_statement: unexpected rule {other:?}"),
    };
    let s = pair.as_span();
    let span = Span::new(base + line_start, base + s.end());
    let stmt = s.as_str().as_bytes();
    let mut content_end = stmt.len();
    while content_end > 0 && matches!(stmt[content_end - 1], b' ' | b'\t' | b'\r' | b'\n') {
        content_end -= 1;
    }
    scratch.clear();
    scratch.extend(pair.into_inner().map(|p| {
        let a = p.as_span();
        Span::new(base + a.start(), base + a.end())
    }));
    if let Some(last) = scratch.last() {
        // A bare word may end in a `\` line continuation, which the trimming above cut off.
        content_end = content_end.max(last.end as usize - base - s.start());
    }
    let content = Span::new(base + s.start(), base + s.start() + content_end);
    builder
        .push(kind, span, content, scratch.iter().copied())
        .map_err(|e| structure_error(text, e, content))
}

fn structure_error(text: &str, e: StructureError, at: Span) -> ParseError {
    explain::structure(text, e, at)
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
        for a in self.args(id) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&value::decode(self.raw(a.span)));
        }
        out
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
