//! The patched backup: span edits on the original text. For each re-issued token its `seed`,
//! `activation-code`, `activation-expire`, `reg-id` and `os-ver` lines go (a renewed token
//! loses its activation code and expiry); every other byte stays, line endings included.

use similar::TextDiff;

use super::plan::{Action, Plan, REISSUE_DROPS, RENEW_DROPS};
use crate::model::Model;
use crate::parse::Kind;
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
    for item in &plan.items {
        let t = &model.tokens[item.token];
        let drops: &[&str] = match item.action {
            Action::Reissue(_) => &REISSUE_DROPS,
            Action::Renew => &RENEW_DROPS,
        };
        for c in doc.children(t.entry) {
            let n = doc.node(c);
            if matches!(n.kind, Kind::Set | Kind::Unset) && drops.contains(&doc.name(c).as_ref()) {
                out.push(Edit {
                    span: n.span,
                    text: String::new(),
                });
            }
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
