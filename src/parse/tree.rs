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
}

impl Kind {
    pub fn is_opener(self) -> bool {
        matches!(self, Kind::Config | Kind::Edit)
    }

    /// Lines that carry no configuration.
    pub fn is_trivia(self) -> bool {
        matches!(
            self,
            Kind::Bom | Kind::Comment | Kind::Blank | Kind::Pager | Kind::Prompt
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
    /// The enclosing `config` / `edit`, or [`NONE`] at top level.
    pub parent: NodeId,
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

/// The arena. Built by [`TreeBuilder`], read through [`super::Document`].
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

/// Builds the tree from statements in source order, keeping a stack of open blocks.
#[derive(Default)]
pub struct TreeBuilder {
    pub tree: Tree,
    stack: Vec<NodeId>,
    pub warnings: Vec<Warning>,
}

impl TreeBuilder {
    pub fn with_capacity(nodes: usize) -> TreeBuilder {
        TreeBuilder {
            tree: Tree {
                nodes: Vec::with_capacity(nodes),
                args: Vec::with_capacity(nodes * 2),
            },
            stack: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn top(&self) -> Option<NodeId> {
        self.stack.last().copied()
    }

    fn top_kind(&self) -> Option<Kind> {
        self.top().map(|id| self.tree.nodes[id as usize].kind)
    }

    fn close_top(&mut self) {
        if let Some(id) = self.stack.pop() {
            let end = self.tree.nodes.len() as NodeId;
            self.tree.nodes[id as usize].subtree_end = end;
        }
    }

    /// Adds one statement. `args` are the spans of its arguments.
    pub fn push(
        &mut self,
        kind: Kind,
        span: Span,
        content: Span,
        args: impl IntoIterator<Item = Span>,
    ) -> Result<(), StructureError> {
        // Decide where the statement goes before adding it.
        match kind {
            Kind::End => match self.top_kind() {
                None => return Err(StructureError::StrayEnd),
                // FortiOS accepts `end` as an implicit `next` for an entry left open.
                Some(Kind::Edit) => self.close_top(),
                _ => {}
            },
            Kind::Next if self.top_kind() != Some(Kind::Edit) => {
                return Err(StructureError::StrayNext);
            }
            Kind::Edit => match self.top_kind() {
                None => return Err(StructureError::EditOutsideConfig),
                Some(Kind::Edit) => {
                    let open = self.tree.nodes[self.top().unwrap_or(0) as usize].content;
                    self.warnings.push(Warning {
                        span: open,
                        message: "`edit` closed by the next `edit` without `next`".to_owned(),
                    });
                    self.close_top();
                }
                _ => {}
            },
            Kind::Set | Kind::Unset if self.stack.is_empty() => {
                return Err(StructureError::SetOutsideBlock);
            }
            Kind::Config if self.stack.len() >= MAX_DEPTH => return Err(StructureError::TooDeep),
            _ => {}
        }
        let id = self.tree.nodes.len() as NodeId;
        let first = self.tree.args.len() as u32;
        self.tree
            .args
            .extend(args.into_iter().map(|span| Arg { span }));
        let last = self.tree.args.len() as u32;
        self.tree.nodes.push(Node {
            kind,
            span,
            content,
            parent: self.top().unwrap_or(NONE),
            subtree_end: id + 1,
            args: (first, last),
        });
        match kind {
            Kind::Config | Kind::Edit => self.stack.push(id),
            Kind::End | Kind::Next => self.close_top(),
            _ => {}
        }
        Ok(())
    }

    /// Closes whatever is still open at the end of the input (a fragment without its final
    /// `end`: a warning, not an error).
    pub fn finish(mut self) -> (Tree, Vec<Warning>) {
        if let Some(&outer) = self.stack.first() {
            let n = self.stack.len();
            let node = self.tree.nodes[outer as usize];
            self.warnings.push(Warning {
                span: node.content,
                message: format!(
                    "input ends with {n} block{} still open (missing final `end`); read as a fragment",
                    if n == 1 { "" } else { "s" }
                ),
            });
        }
        while !self.stack.is_empty() {
            self.close_top();
        }
        (self.tree, self.warnings)
    }
}
