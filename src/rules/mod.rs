//! Stage 4 of the pipeline: **rules**. Each rule returns [`Finding`]s: plain data, never
//! output. The registry ([`registry::RULES`]) is a plain list sorted by code; each rule lives
//! in a file named after the problem it finds, with its metadata (`META`) at the top.
//!
//! Two levels: file rules see one file's [`Model`] at a time ([`run_file`]), so a directory
//! run can drop each tree as soon as its file is checked; run rules ([`run_run`]) see the
//! small [`facts::FileFacts`] of every file and the findings of the file rules (FTK012 across
//! units, FTK011 about units that have token findings).

pub mod facts;
pub mod finding;
pub mod intent;
pub mod registry;

mod activation_expired;
mod disabled_user_holds_token;
mod duplicate_reg_id;
mod duplicate_token_entry;
mod fabric_user_token;
mod forticare_licence_error;
mod fortitoken_cloud_disabled;
mod ftm_push_misconfigured;
mod ha_cluster_migration;
mod hardware_lock_confirmed;
mod hardware_token_activation_bug;
mod hardware_token_activation_lock;
mod locked_token_assigned;
mod managed_by_fortimanager;
mod no_activation_delivery;
mod no_break_glass_admin;
mod orphan_activated_token;
mod private_data_encryption_migration;
mod provision_timeout_confirmed;
mod runtime;
mod runtime_status_contradicts_backup;
mod seeded_token_migration;
mod token_assigned_twice;
mod token_not_in_fortiguard;
mod token_on_several_units;
mod token_server_unreachable;
mod trial_token_migration;
mod two_factor_channel_without_address;
mod two_factor_expiry_too_short;
mod two_factor_without_token;
mod unknown_token_reference;
mod unusable_custom_sms_server;

pub use facts::FileFacts;
pub use finding::{Finding, Label, Severity};
pub use intent::{Fixable, Intent};

use crate::model::{Holder, Model, Token};
use crate::parse::NodeId;

/// What every rule declares about itself.
#[derive(Debug)]
pub struct RuleMeta {
    /// `FTK001`; stable, never reused.
    pub code: &'static str,
    /// `seeded-token-migration`: names the problem.
    pub name: &'static str,
    /// One line for `fortilint rules`.
    pub summary: &'static str,
    pub default_severity: Severity,
    /// Whether `fortilint fix` remediates it (checked against the plan by a test).
    pub fixable: Fixable,
    /// Runs only when the config is (to be) restored on another unit.
    pub migration_only: bool,
    /// File rule or run rule.
    pub level: Level,
    /// The documentation page (markdown): What it does / Why it matters / Example /
    /// How to fix / References.
    pub docs: &'static str,
}

/// What a rule sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// One file's model at a time.
    File,
    /// The facts of every file of the run and the findings of the file rules.
    Run,
    /// Like `Run`, after the other run rules (sees their findings too).
    RunLast,
}

/// A lint rule. Object-safe so the registry can be a slice of `&dyn Rule`.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>);
}

/// What rules see. File rules get one model (`units()` yields it); run rules get `facts`
/// and `prior`.
pub struct Context<'m, 'a> {
    pub model: Option<(usize, &'m Model<'a>)>,
    /// Unix seconds.
    pub now: u64,
    /// Migration mode for this file (file rules).
    pub migration: bool,
    /// Facts of every file of the run (run rules).
    pub facts: &'m [FileFacts],
    /// Findings so far (run rules).
    pub prior: &'m [Finding],
}

impl<'m, 'a> Context<'m, 'a> {
    /// The file a file rule is looking at, with its index in the run.
    pub fn units(&self) -> impl Iterator<Item = (usize, &'m Model<'a>)> + 'm {
        self.model.into_iter()
    }

    pub fn migration(&self, _file: usize) -> bool {
        self.migration
    }
}

/// Builds findings with the common fields filled in.
pub(crate) struct FindingBuilder<'m, 'a> {
    pub meta: &'static RuleMeta,
    pub file: usize,
    pub model: &'m Model<'a>,
}

impl FindingBuilder<'_, '_> {
    /// A finding whose primary label is on statement `node`.
    pub fn at(
        &self,
        node: NodeId,
        label: impl Into<String>,
        message: String,
        help: impl Into<String>,
    ) -> Finding {
        Finding {
            code: self.meta.code,
            name: self.meta.name,
            severity: self.meta.default_severity,
            vdom: None,
            object: String::new(),
            token: None,
            user: None,
            message,
            help: help.into(),
            primary: self.label(node, label),
            related: Vec::new(),
            intent: Intent::Advice,
        }
    }

    pub fn label(&self, node: NodeId, message: impl Into<String>) -> Label {
        Label {
            file: self.file,
            span: self.model.doc.node(node).content,
            message: message.into(),
        }
    }

    /// Object fields for a token.
    pub fn for_token(&self, mut f: Finding, t: &Token) -> Finding {
        f.vdom = self.model.vdom(t.scope).map(str::to_owned);
        f.object = format!("user fortitoken/{}", t.serial);
        f.token = Some(t.serial.to_string());
        f
    }

    /// Secondary labels on every holder's `set fortitoken` line.
    pub fn holder_labels(&self, t: &Token) -> Vec<Label> {
        t.holders
            .iter()
            .map(|h| {
                let (node, what) = holder_ref(self.model, h);
                self.label(node, format!("held by {what}"))
            })
            .collect()
    }
}

/// The statement that assigns a holder its token (`set fortitoken`, else its `edit`), and a
/// description (`user "alice"`).
pub(crate) fn holder_ref(m: &Model<'_>, h: &Holder) -> (NodeId, String) {
    let v = m.holder(h);
    (v.token_line(), v.describe())
}

/// Runs the file rules over one file.
pub fn run_file(file: usize, model: &Model<'_>, now: u64, migration: bool) -> Vec<Finding> {
    let cx = Context {
        model: Some((file, model)),
        now,
        migration,
        facts: &[],
        prior: &[],
    };
    let mut out = Vec::new();
    for rule in registry::RULES
        .iter()
        .filter(|r| r.meta().level == Level::File)
    {
        rule.check(&cx, &mut out);
    }
    out
}

/// Runs the run rules over the facts of every file and the findings so far.
pub fn run_run(facts: &[FileFacts], prior: &[Finding], now: u64) -> Vec<Finding> {
    let mut out = Vec::new();
    let cx = Context {
        model: None,
        now,
        migration: false,
        facts,
        prior,
    };
    for rule in registry::RULES
        .iter()
        .filter(|r| r.meta().level == Level::Run)
    {
        rule.check(&cx, &mut out);
    }
    let mut all: Vec<Finding> = prior.to_vec();
    all.extend(out.iter().cloned());
    let cx = Context {
        model: None,
        now,
        migration: false,
        facts,
        prior: &all,
    };
    for rule in registry::RULES
        .iter()
        .filter(|r| r.meta().level == Level::RunLast)
    {
        rule.check(&cx, &mut out);
    }
    out
}

/// Every rule over models held in memory (`None` for files that did not parse): file rules,
/// then run rules. Settings are not applied (see `cli::lint` for that).
pub fn run(models: &[Option<Model<'_>>], now: u64, migration: Vec<bool>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut facts = Vec::new();
    for (i, m) in models.iter().enumerate() {
        if let Some(m) = m {
            findings.extend(run_file(
                i,
                m,
                now,
                migration.get(i).copied().unwrap_or(false),
            ));
            facts.push(FileFacts::from_model(i, m));
        }
    }
    let more = run_run(&facts, &findings, now);
    findings.extend(more);
    findings
}

/// Codes named in a `fortilint: ignore FTK001 FTK003` marker inside a comment. The marker is
/// read loosely, as people type it: any case, spaces or none around the colon
/// (`FortiLint:ignore`, `fortilint ignore=`), codes in any case or code prefixes (`ftk00`),
/// rule names (`duplicate-reg-id`), separated by spaces, commas or semicolons. Each code or
/// name comes back as the codes of the rules it covers; reading stops at the first other word.
pub fn ignored_by_comment(comment: &str) -> Vec<&str> {
    marker_words(comment)
        .into_iter()
        .filter_map(|w| match w {
            MarkerWord::Codes(c) => Some(c),
            MarkerWord::Unknown(_) => None,
        })
        .flatten()
        .collect()
}

/// Codes in `fortilint: ignore` markers that match no rule (`FTK999`), for a warning.
pub fn unknown_ignore_codes(comment: &str) -> Vec<&str> {
    marker_words(comment)
        .into_iter()
        .filter_map(|w| match w {
            MarkerWord::Unknown(u) => Some(u),
            MarkerWord::Codes(_) => None,
        })
        .collect()
}

enum MarkerWord<'a> {
    Codes(Vec<&'static str>),
    Unknown(&'a str),
}

/// The byte offset just after each `fortilint[:] ignore[:=]` marker (any case).
fn marker_ends(comment: &str) -> Vec<usize> {
    let lower = comment.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find("fortilint") {
        let mut i = from + at + "fortilint".len();
        from = i;
        let b = lower.as_bytes();
        let skip = |i: &mut usize, set: &[u8]| {
            while *i < b.len() && set.contains(&b[*i]) {
                *i += 1;
            }
        };
        skip(&mut i, b" \t");
        if i < b.len() && b[i] == b':' {
            i += 1;
        }
        skip(&mut i, b" \t");
        if lower[i..].starts_with("ignore") {
            i += "ignore".len();
            skip(&mut i, b" \t:=");
            out.push(i);
            from = i;
        }
    }
    out
}

fn marker_words(comment: &str) -> Vec<MarkerWord<'_>> {
    let mut out = Vec::new();
    for start in marker_ends(comment) {
        let rest = &comment[start..];
        for word in rest.split([' ', '\t', ',', ';']).filter(|w| !w.is_empty()) {
            let w = word.trim_end_matches(['.', ')', ':']);
            let code_like = w.len() >= 4
                && w[..3].eq_ignore_ascii_case("FTK")
                && w[3..].bytes().all(|b| b.is_ascii_digit());
            let codes: Vec<&'static str> = registry::RULES
                .iter()
                .map(|r| r.meta())
                .filter(|m| {
                    (code_like && m.code.starts_with(&w.to_ascii_uppercase()))
                        || m.name.eq_ignore_ascii_case(w)
                })
                .map(|m| m.code)
                .collect();
            if !codes.is_empty() {
                out.push(MarkerWord::Codes(codes));
            } else if code_like {
                out.push(MarkerWord::Unknown(w));
            } else {
                break;
            }
        }
    }
    out
}

/// Whether the object a finding is about carries a `fortilint: ignore <code>` comment.
pub fn suppressed_by_comment(m: &Model<'_>, f: &Finding) -> bool {
    let hit = |c: Option<&crate::model::Attr>| {
        c.is_some_and(|c| {
            ignored_by_comment(&c.value)
                .iter()
                .any(|code| f.code.starts_with(code))
        })
    };
    if let Some(serial) = &f.token
        && m.tokens_named(serial)
            .iter()
            .any(|&i| hit(m.tokens[i as usize].comments()))
    {
        return true;
    }
    if let Some(name) = &f.user {
        return m.holders_named(name).iter().any(|h| match h.kind {
            crate::model::HolderKind::User => hit(m.users[h.index].comments.as_ref()),
            crate::model::HolderKind::Admin => hit(m.admins[h.index].comments.as_ref()),
        });
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ignore_markers() {
        assert_eq!(
            ignored_by_comment("spare token; fortilint: ignore FTK014"),
            ["FTK014"]
        );
        assert_eq!(
            ignored_by_comment("fortilint: ignore FTK003, FTK007 until May"),
            ["FTK003", "FTK007"]
        );
        assert!(ignored_by_comment("nothing").is_empty());
    }

    #[test]
    fn ignore_markers_accept_names_case_and_spacing() {
        for c in [
            "FortiLint: Ignore ftk014",
            "fortilint:ignore FTK014",
            "fortilint ignore=orphan-activated-token",
            "x;  FORTILINT :  IGNORE  Orphan-Activated-Token, until May",
        ] {
            assert_eq!(ignored_by_comment(c), ["FTK014"], "{c}");
        }
        // A prefix covers every rule it starts.
        assert!(ignored_by_comment("fortilint: ignore FTK01").contains(&"FTK012"));
        // An unknown code is kept aside for a warning; the known ones still count.
        let c = "fortilint: ignore FTK999, FTK003";
        assert_eq!(ignored_by_comment(c), ["FTK003"]);
        assert_eq!(unknown_ignore_codes(c), ["FTK999"]);
        assert!(unknown_ignore_codes("fortilint: ignore FTK003 because").is_empty());
    }
}
