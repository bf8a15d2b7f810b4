//! What run-level rules see of each file: a few facts, small enough to keep for every file of
//! a large directory run after its syntax tree is gone.

use crate::model::Model;
use crate::source::Span;

use super::ignored_by_comment;

/// One token, as run-level rules need it.
#[derive(Clone, Debug)]
pub struct TokenFact {
    pub serial: String,
    pub vdom: Option<String>,
    /// The `edit "<serial>"` statement.
    pub entry: Span,
    /// The licence and its `set license` statement.
    pub licence: Option<(String, Span)>,
    pub trial: bool,
    /// Codes named by a `fortilint: ignore` marker in the token's comments.
    pub ignores: Vec<String>,
}

/// `config system central-management` with `type fortimanager`.
#[derive(Clone, Debug)]
pub struct FortiManagerFact {
    /// The `set type fortimanager` statement (or the block).
    pub span: Span,
    pub fmg: Option<String>,
}

/// The facts of one file.
#[derive(Clone, Debug)]
pub struct FileFacts {
    pub file: usize,
    /// Identity of the unit: its serial, else its host name, else the file.
    pub unit: String,
    pub hostname: Option<String>,
    pub tokens: Vec<TokenFact>,
    pub fortimanager: Option<FortiManagerFact>,
}

impl FileFacts {
    pub fn from_model(file: usize, m: &Model<'_>) -> FileFacts {
        let unit = match (&m.header.serial, m.hostname()) {
            (Some(s), _) => format!("serial:{s}"),
            (None, Some(h)) => format!("host:{h}"),
            (None, None) => format!("file:{file}"),
        };
        let span = |n| m.doc.node(n).content;
        FileFacts {
            file,
            unit,
            hostname: m.hostname().map(str::to_owned),
            tokens: m
                .tokens
                .iter()
                .map(|t| TokenFact {
                    serial: t.serial.clone(),
                    vdom: m.vdom(t.scope).map(str::to_owned),
                    entry: span(t.entry),
                    licence: t.license.as_ref().map(|l| (l.value.clone(), span(l.node))),
                    trial: t.trial,
                    ignores: t
                        .comments
                        .as_ref()
                        .map(|c| {
                            ignored_by_comment(&c.value)
                                .into_iter()
                                .map(str::to_owned)
                                .collect()
                        })
                        .unwrap_or_default(),
                })
                .collect(),
            fortimanager: m
                .central_management
                .as_ref()
                .filter(|c| c.is_fortimanager())
                .map(|c| FortiManagerFact {
                    span: span(c.kind.as_ref().map_or(c.node, |k| k.node)),
                    fmg: c.fmg.as_ref().map(|f| f.value.clone()),
                }),
        }
    }

    /// Whether a `fortilint: ignore` marker on the finding's token suppresses it.
    pub fn suppresses(&self, code: &str, token: Option<&str>) -> bool {
        token.is_some_and(|serial| {
            self.tokens.iter().any(|t| {
                t.serial == serial && t.ignores.iter().any(|c| code.starts_with(c.as_str()))
            })
        })
    }
}
