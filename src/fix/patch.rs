//! The patched backup: span edits on the original text, drawn from the plan. A re-imported or
//! re-provisioned token loses its `seed`, `activation-code`, `activation-expire`, `reg-id` and
//! `os-ver` lines (FortiGuard and the assignment produce them again); a trial token that comes
//! back with a new serial is renamed (entry and holders) and loses its old licence line; a
//! re-imported token comes back without `status lock` and keeps only comments that the script
//! can restore. Every
//! other byte stays, line endings included. Hardware tokens are never changed.

use similar::TextDiff;

use super::plan::{Plan, REISSUE_DROPS};
use super::script::serial_or_placeholder;
use crate::model::Model;
use crate::parse::{Kind, NodeId};
use crate::source::Span;

/// A text edit: replace `span` with `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

/// The edits the plan makes to the backup, sorted and non-overlapping.
pub fn edits(model: &Model<'_>, plan: &Plan) -> Vec<Edit> {
    let doc = &model.doc;
    let mut out = Vec::new();
    let drop_lines = |entry: NodeId, names: &[&str], out: &mut Vec<Edit>| {
        for c in doc.children(entry) {
            let n = doc.node(c);
            if matches!(n.kind, Kind::Set | Kind::Unset) && names.contains(&doc.name(c).as_ref()) {
                out.push(Edit {
                    span: n.span,
                    text: String::new(),
                });
            }
        }
    };
    // The value argument of `set <attr> <value>`.
    let value_span = |node: NodeId| -> Option<Span> { doc.args(node).get(1).map(|a| a.span) };
    for i in plan.touched_tokens() {
        drop_lines(model.tokens[i].entry, &REISSUE_DROPS, &mut out);
    }
    for g in &plan.groups {
        for &i in &g.tokens {
            // Comments come back only when they can be quoted into the script; a new trial
            // token is another token and has none.
            let keep = !g.new_serials
                && model.tokens[i].comments().as_ref().is_some_and(|c| {
                    super::plan::writable(&c.value)
                        && !crate::model::secrets::is_secret_value(&c.value)
                });
            if !keep {
                drop_lines(model.tokens[i].entry, &["comments"], &mut out);
            }
            // A re-imported token comes back active; a lock is never re-applied (§5 rule 6).
            drop_lines(model.tokens[i].entry, &["status"], &mut out);
        }
    }
    for g in plan.groups.iter().filter(|g| g.new_serials) {
        for &i in &g.tokens {
            let t = &model.tokens[i];
            let new = serial_or_placeholder(model, plan, i);
            drop_lines(t.entry, &["license"], &mut out);
            if let Some(span) = doc.args(t.entry).first().map(|a| a.span) {
                out.push(Edit {
                    span,
                    text: new.clone(),
                });
            }
            for h in &t.holders {
                if let Some(span) = model.holder(h).fortitoken.and_then(|a| value_span(a.node)) {
                    out.push(Edit {
                        span,
                        text: new.clone(),
                    });
                }
            }
        }
        // The other member(s) of the pair come back with the import: new entries after
        // the last one, in the file's own indentation and line ending.
        if let Some(&last) = g.tokens.last()
            && !g.extra.is_empty()
        {
            let entry = doc.node(model.tokens[last].entry);
            let line = &doc.text[entry.span.start as usize..entry.span.end as usize];
            let indent: String = line
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            let eol = if line.ends_with("\r\n") {
                "\r\n"
            } else if line.ends_with('\r') {
                "\r"
            } else {
                "\n"
            };
            let at = doc.node(entry.subtree_end - 1).span.end as usize;
            let mut text = String::new();
            for (k, serial) in g.extra.iter().enumerate() {
                let key = match serial {
                    Some(s) => crate::parse::value::quote(s),
                    None => super::script::trial_placeholder(
                        model.scopes[g.scope].label(),
                        g.tokens.len() + k + 1,
                    ),
                };
                text.push_str(&format!("{indent}edit {key}{eol}{indent}next{eol}"));
            }
            out.push(Edit {
                span: Span::new(at, at),
                text,
            });
        }
    }
    out.sort_by_key(|e| e.span);
    out.dedup();
    out
}

/// Applies sorted, non-overlapping edits.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        let (s, t) = (e.span.start as usize, e.span.end as usize);
        if s < at {
            continue;
        }
        out.push_str(&text[at..s]);
        out.push_str(&e.text);
        at = t;
    }
    out.push_str(&text[at..]);
    out
}

/// A unified diff (`--- a/path`, `+++ b/path`) that `patch -p1` applies.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let path = path.trim_start_matches("./");
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}
