//! Shared helpers of the rules that need runtime evidence (FTK1xx): they run only when the
//! backup's unit has evidence ([`crate::model::Model::unit_evidence`]), and every finding
//! names the evidence it used (`path:line`, or `line N` of the backup's own file, where a
//! related label also points at it).

use super::{Context, Finding, FindingBuilder, Label, RuleMeta};
use crate::model::evidence::Origin;
use crate::model::evidence::RuntimeStatus;
use crate::model::{Model, Token, TokenStatus};
use crate::parse::{Kind, NodeId};

/// A related label on the evidence line when it is in the backup's own file.
pub(crate) fn evidence_label(
    file: usize,
    origin: &Origin,
    message: impl Into<String>,
) -> Option<Label> {
    origin.path.is_empty().then(|| Label {
        file,
        span: origin.span,
        message: message.into(),
    })
}

/// Every backup token with the status its unit reported for it.
pub(crate) fn token_statuses<'m>(m: &'m Model<'_>) -> Vec<(&'m Token, &'m TokenStatus)> {
    let Some(unit) = m.unit_evidence() else {
        return Vec::new();
    };
    m.tokens
        .iter()
        .filter_map(|t| {
            unit.token_status(m.vdom(t.scope), &t.serial)
                .map(|s| (t, s))
        })
        .collect()
}

/// A token finding at the token's `edit` line, with the evidence as a related label.
pub(crate) fn token_finding(
    b: &FindingBuilder<'_, '_>,
    t: &Token,
    s: &TokenStatus,
    message: String,
    help: &str,
) -> Finding {
    let mut f = b.at(
        t.entry,
        format!("unit reports `{}`", s.raw),
        format!("{message} (evidence: {})", s.origin),
        help,
    );
    f.related
        .extend(evidence_label(b.file, &s.origin, "reported here"));
    b.for_token(f, t)
}

/// Where a unit-wide finding points, and its object: the first `config user fortitoken`
/// block, else the first statement of the file (object `unit`).
pub(crate) fn anchor(m: &Model<'_>) -> Option<(NodeId, String)> {
    if let Some(&(_, b)) = m.blocks("user fortitoken").first() {
        return Some((b, "user fortitoken".to_owned()));
    }
    (0..m.doc.len() as NodeId)
        .find(|&id| !m.doc.node(id).kind.is_trivia())
        .or_else(|| (0..m.doc.len() as NodeId).find(|&id| m.doc.node(id).kind != Kind::Bom))
        .map(|id| (id, "unit".to_owned()))
}

/// The whole check of a rule that reports every backup token the unit shows with `status`.
pub(crate) fn report_status(
    cx: &Context<'_, '_>,
    out: &mut Vec<Finding>,
    meta: &'static RuleMeta,
    status: RuntimeStatus,
    message: impl Fn(&Token) -> String,
    help: &str,
) {
    for (file, m) in cx.units() {
        let b = FindingBuilder {
            meta,
            file,
            model: m,
        };
        for (t, s) in token_statuses(m) {
            if s.status == status {
                out.push(token_finding(&b, t, s, message(t), help));
            }
        }
    }
}
