//! The lossless syntax tree: every statement of the file, in order, as a flat arena of
//! [`Node`]s whose spans tile the input, plus the nesting built by a stack.
//!
//! Layout: `nodes` is in source order (pre-order). A block opener (`config`, `edit`) owns the
//! nodes up to its `subtree_end`; its last child is its closer (`end` / `next`) when it has one.
//! Children are walked by jumping from one sibling's `subtree_end` to the next, so the tree costs
//! a few words per line and is never traversed recursively (no stack overflow on deep input).

use crate::source::Span;

/// Index of a node in [`Tree::nodes`].
pub type NodeId = u32;

/// Sentinel for "no node".
pub const NONE: NodeId = u32::MAX;

/// What a line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A UTF-8 byte order mark before the first line.
    Bom,
    /// `config <path…>`: opens a table or object.
    Config,
    /// `edit <key>`: opens an entry.
    Edit,
    /// `set <attr> <values…>`.
    Set,
    /// `unset <attr>`.
    Unset,
    /// `next`: closes an entry.
    Next,
    /// `end`: closes a config block.
    End,
    /// `delete`, `rename`, `execute`, … (interactive and script commands).
    Script,
    /// A whole-line `#` comment.
    Comment,
    /// An empty or blank line.
    Blank,
    /// A `--More--` pager line of a captured session.
    Pager,
    /// A CLI prompt line of a captured session.
    Prompt,
    /// Text of a session capture that is not configuration, set aside whole: banners, login
    /// lines, markdown fences, typed commands, command output (diagnostic output is read as
    /// evidence by the model), and the tail of a block whose opening is not in the input.
    Skipped,
    /// The raw body of a block the two-level parse ([`super::Mode::ModelBlocks`]) did not hand
    /// to pest because the model does not read it: everything between the block's `config`
    /// line and its `end` line, as one node without arguments (its `content` is its `span`).
    /// The scanner checked every statement in it, so the full parse would accept it, but its
    /// statements are not in the tree: anything that masks secrets must treat the text of a
    /// `Body` node with the conservative masker for unparsed text, and rules and the model
    /// ignore it (it is trivia).
    Body,
}

impl Kind {
    /// Lines that carry no configuration.
    pub fn is_trivia(self) -> bool {
        matches!(
            self,
            Kind::Bom
                | Kind::Comment
                | Kind::Blank
                | Kind::Pager
                | Kind::Prompt
                | Kind::Skipped
                | Kind::Body
        )
    }
}

/// One statement (usually one physical line).
#[derive(Clone, Copy, Debug)]
pub struct Node {
    pub kind: Kind,
    /// The whole line(s): indentation, statement, trailing blanks, line terminator.
    pub span: Span,
    /// The statement without indentation, trailing blanks and terminator.
    pub content: Span,
    /// One past the last node of this node's subtree (`id + 1` for non-openers).
    pub subtree_end: NodeId,
    /// Range in [`Tree::args`]: config path words, edit key, `set` attribute then values,
    /// script verb arguments.
    pub args: (u32, u32),
}

/// An argument of a statement: an attribute name, a path word, a key or a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arg {
    pub span: Span,
}

/// The arena. Built by the parser and [`link`], read through [`super::Document`].
#[derive(Clone, Debug, Default)]
pub struct Tree {
    pub nodes: Vec<Node>,
    pub args: Vec<Arg>,
}

/// How a statement that could not be placed in the tree went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StructureError {
    /// `end` with no open `config`.
    StrayEnd,
    /// `next` with no open `edit`.
    StrayNext,
    /// `edit` with no open `config`.
    EditOutsideConfig,
    /// `set` / `unset` outside any block.
    SetOutsideBlock,
    /// Deeper than [`MAX_DEPTH`] open blocks.
    TooDeep,
}

/// A note about leniency the parser applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub span: Span,
    pub message: String,
}

/// Nesting limit. Real backups reach 9 levels; this guards against adversarial input.
pub const MAX_DEPTH: usize = 64;

/// A capture that starts inside a block: the index of the last statement that cannot be
/// placed because its opening line is not in the input (`next`/`end` with nothing open,
/// `set`/`unset`/`edit` outside any block, and whatever an orphan `edit` holds). `None` when
/// the input starts cleanly. Only asked for inputs without a `#config-version=` header.
pub fn orphan_prefix(nodes: &[Node]) -> Option<usize> {
    // Open blocks, each marked when its opener was itself an orphan.
    let mut stack: Vec<(Kind, bool)> = Vec::new();
    let mut last = None;
    // Only a capture whose first statement cannot be placed starts inside a block; after a
    // clean start, a stray statement is an error.
    let first = nodes
        .iter()
        .find(|n| !n.kind.is_trivia() && n.kind != Kind::Script)?;
    if matches!(first.kind, Kind::Config) {
        return None;
    }
    for (i, n) in nodes.iter().enumerate() {
        let inside_orphan = stack.first().is_some_and(|e| e.1);
        match n.kind {
            Kind::Config => stack.push((Kind::Config, false)),
            Kind::Edit => {
                if stack.last().is_some_and(|e| e.0 == Kind::Edit) {
                    stack.pop();
                }
                stack.push((Kind::Edit, stack.is_empty() || inside_orphan));
            }
            Kind::Set | Kind::Unset if stack.is_empty() => last = Some(i),
            Kind::Next => {
                if stack.last().is_some_and(|e| e.0 == Kind::Edit) {
                    stack.pop();
                } else {
                    last = Some(i);
                }
            }
            Kind::End => {
                if stack.last().is_some_and(|e| e.0 == Kind::Edit) {
                    stack.pop();
                }
                if stack.pop().is_none() {
                    last = Some(i);
                }
            }
            _ => {}
        }
        if inside_orphan || stack.first().is_some_and(|e| e.1) {
            last = Some(i);
        }
    }
    last
}

/// Links statements (in source order, `parent`/`subtree_end` not yet set) into a tree with a
/// stack of open blocks, in place. Returns the leniency warnings, or the first statement that
/// does not fit the nesting.
pub fn link(nodes: &mut [Node]) -> Result<Vec<Warning>, (StructureError, usize)> {
    let mut stack: Vec<usize> = Vec::with_capacity(MAX_DEPTH);
    let mut warnings = Vec::new();
    for i in 0..nodes.len() {
        let kind = nodes[i].kind;
        let top_kind = stack.last().map(|&t| nodes[t].kind);
        // Decide where the statement goes before adding it.
        match kind {
            Kind::End => match top_kind {
                None => return Err((StructureError::StrayEnd, i)),
                // FortiOS accepts `end` as an implicit `next` for an entry left open.
                Some(Kind::Edit) => {
                    if let Some(t) = stack.pop() {
                        nodes[t].subtree_end = i as NodeId;
                    }
                }
                _ => {}
            },
            Kind::Next if top_kind != Some(Kind::Edit) => {
                return Err((StructureError::StrayNext, i));
            }
            Kind::Edit => match top_kind {
                None => return Err((StructureError::EditOutsideConfig, i)),
                Some(Kind::Edit) => {
                    if let Some(t) = stack.pop() {
                        warnings.push(Warning {
                            span: nodes[t].content,
                            message: "`edit` closed by the next `edit` without `next`".to_owned(),
                        });
                        nodes[t].subtree_end = i as NodeId;
                    }
                }
                _ => {}
            },
            Kind::Set | Kind::Unset if stack.is_empty() => {
                return Err((StructureError::SetOutsideBlock, i));
            }
            Kind::Config if stack.len() >= MAX_DEPTH => return Err((StructureError::TooDeep, i)),
            _ => {}
        }
        let node = &mut nodes[i];
        node.subtree_end = i as NodeId + 1;
        match kind {
            Kind::Config | Kind::Edit => stack.push(i),
            Kind::End | Kind::Next => {
                if let Some(t) = stack.pop() {
                    nodes[t].subtree_end = i as NodeId + 1;
                }
            }
            _ => {}
        }
    }
    // Whatever is still open at the end of the input: a fragment without its final `end`.
    if let Some(&outer) = stack.first() {
        let n = stack.len();
        warnings.push(Warning {
            span: nodes[outer].content,
            message: format!(
                "input ends with {n} block{} still open (missing final `end`); read as a fragment",
                if n == 1 { "" } else { "s" }
            ),
        });
    }
    for t in stack {
        nodes[t].subtree_end = nodes.len() as NodeId;
    }
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nodes(kinds: &[Kind]) -> Vec<Node> {
        kinds
            .iter()
            .map(|&kind| Node {
                kind,
                span: Span::default(),
                content: Span::default(),
                subtree_end: 0,
                args: (0, 0),
            })
            .collect()
    }

    #[test]
    fn orphan_prefix_of_captures_starting_inside_a_block() {
        use Kind::*;
        // `next`, `edit`…`next`, `end`, then a clean block.
        let n = nodes(&[Next, Edit, Set, Next, End, Config, Edit, Next, End]);
        assert_eq!(orphan_prefix(&n), Some(4));
        // `set` lines first.
        assert_eq!(
            orphan_prefix(&nodes(&[Comment, Set, Set, Config, End])),
            Some(2)
        );
        // An orphan `edit` owns what follows it.
        assert_eq!(orphan_prefix(&nodes(&[Edit, Set])), Some(1));
        // A clean start: a later stray `end` is not leniency.
        assert_eq!(orphan_prefix(&nodes(&[Config, End, End])), None);
        assert_eq!(orphan_prefix(&nodes(&[Blank, Comment])), None);
    }
}
