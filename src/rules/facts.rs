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
    /// A hardware token (`FTK2…`): one may legitimately serve several units (KB 194435).
    pub hardware: bool,
    /// Codes named by a `fortilint: ignore` marker in the token's comments.
    pub ignores: Vec<String>,
}

/// `config system central-management` with `type fortimanager` and not `mode backup`.
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
    /// The unit's serial number (oxidized preamble), if the backup says.
    pub serial: Option<String>,
    pub hostname: Option<String>,
    /// The FGCP cluster (`config system ha` `group-name`/`group-id`), if the unit is in one.
    pub ha_group: Option<String>,
    pub tokens: Vec<TokenFact>,
    pub fortimanager: Option<FortiManagerFact>,
}

/// `group-name/group-id` of an FGCP cluster (`mode a-p` or `a-a`): the members of one
/// cluster share their tokens (KB 194574, KB 410099), so they are one unit here.
fn ha_group(m: &Model<'_>) -> Option<String> {
    let &(_, block) = m.blocks("system ha").last()?;
    let a = m.attrs(block);
    let mode = a.get("mode")?;
    if mode.value != "a-p" && mode.value != "a-a" {
        return None;
    }
    let name = a.get("group-name").map(|v| v.value).unwrap_or_default();
    let id = a
        .get("group-id")
        .map_or_else(|| "0".to_owned(), |v| v.value.to_string());
    Some(format!("{name}/{id}"))
}

impl FileFacts {
    pub fn from_model(file: usize, m: &Model<'_>) -> FileFacts {
        FileFacts::from_model_with(file, m, true)
    }

    /// [`FileFacts::from_model`], with the per-token facts only if `tokens`: they serve to
    /// compare files (FTK012), so a run over one file leaves them out (on a backup with a
    /// million tokens they would double the memory).
    pub fn from_model_with(file: usize, m: &Model<'_>, tokens: bool) -> FileFacts {
        let span = |n| m.doc.node(n).content;
        FileFacts {
            file,
            serial: m.header.serial.clone(),
            hostname: m.hostname().map(str::to_owned),
            ha_group: ha_group(m),
            tokens: m
                .tokens
                .iter()
                .filter(|_| tokens)
                .map(|t| TokenFact {
                    serial: t.serial.to_string(),
                    vdom: m.vdom(t.scope).map(str::to_owned),
                    entry: span(t.entry),
                    licence: t
                        .license
                        .as_ref()
                        .map(|l| (l.value.to_string(), span(l.node))),
                    trial: t.trial,
                    hardware: t.kind == crate::model::TokenKind::Hardware,
                    ignores: t
                        .comments()
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
                .filter(|c| c.manages_config())
                .map(|c| FortiManagerFact {
                    span: span(c.kind.as_ref().map_or(c.node, |k| k.node)),
                    fmg: c.fmg.as_ref().map(|f| f.value.to_string()),
                }),
        }
    }

    /// Whether two files are known to come from different units: members of one HA cluster
    /// (same group name and id) are one unit; else different serials when both have one,
    /// else different host names when both have one. Unknown is not different.
    pub fn other_unit_than(&self, o: &FileFacts) -> bool {
        if let (Some(a), Some(b)) = (&self.ha_group, &o.ha_group)
            && a == b
        {
            return false;
        }
        match (&self.serial, &o.serial) {
            (Some(a), Some(b)) => a != b,
            _ => matches!((&self.hostname, &o.hostname), (Some(a), Some(b)) if a != b),
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
