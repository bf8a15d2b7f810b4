//! What a rule returns: plain data about one problem, with spans into the file it is in.
//! Renderers in `report` turn it into text; rules never format output themselves.

use serde::{Deserialize, Serialize};

use crate::source::Span;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A labelled span in one of the files of the run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Index of the file in the run.
    pub file: usize,
    pub span: Span,
    pub message: String,
}

/// One problem found by a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// VDOM of the object, if it lives in one.
    pub vdom: Option<String>,
    /// Object path: `user fortitoken/FTKMOB…`, `system admin/admin`.
    pub object: String,
    pub token: Option<String>,
    pub user: Option<String>,
    pub message: String,
    /// What to do about it.
    pub help: String,
    /// The exact statement at fault.
    pub primary: Label,
    /// Related statements (the other entries of a duplicate group, the holder, …).
    pub related: Vec<Label>,
    /// What should be done about it, as data: the remediation plan is built from this.
    pub intent: super::Intent,
}
