//! A small FortiOS CLI interpreter, used to verify remediation scripts: it replays a script
//! (`config` / `edit` / `set` / `unset` / `delete` / `next` / `end`, and what the
//! `execute fortitoken…` commands do to token entries) over the configuration state of the
//! original backup. The state is semantic: scopes → tables → entries → attributes (decoded
//! values); entry order and formatting do not count.
//!
//! FortiGuard is simulated from the original backup, with the documented failure modes
//! (fortitoken-remediation.md §3–§4):
//!
//! * an import re-creates, with their licence, the deleted tokens of that licence in the
//!   current VDOM; on **another unit** ([`Interpreter::other_unit`]) the trial code yields the
//!   unit's own pair with **new serials**, and an import can be made to fail
//!   ([`Interpreter::imports_fail`]: licence not transferred, FortiGuard unreachable);
//! * `execute fortitoken activate` on a hardware token that was deleted and re-added fails
//!   (the activation lock);
//! * `set fortitoken <serial>` naming a token that does not exist fails, and the whole `edit`
//!   is discarded (FortiOS refuses to save the entry);
//! * `execute fortitoken-mobile provision` voids the token's activation data and phone
//!   registration (a new activation follows).
//!
//! Seeds and activation data never come back in the state: FortiGuard hands them out after
//! the script has run. Read-only commands (`show`, `get`, `diagnose`, `execute ping`, …) do
//! nothing. Every failure is recorded in [`Interpreter::failures`].

use std::collections::BTreeMap;

use crate::model::{Model, ScopeKind};
use crate::parse::{Document, Kind, NodeId};

/// An object: attributes and nested tables.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Obj {
    pub attrs: BTreeMap<String, Vec<String>>,
    pub tables: BTreeMap<String, Table>,
}

/// A `config` block: its own attributes (singleton objects) and its `edit` entries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    pub obj: Obj,
    pub entries: BTreeMap<String, Obj>,
}

/// The whole configuration: one root object per scope (`unit`, `global`, `vdom:<name>`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    pub scopes: BTreeMap<String, Obj>,
}

fn scope_key(kind: &ScopeKind) -> String {
    match kind {
        ScopeKind::Unit => "unit".to_owned(),
        ScopeKind::Global => "global".to_owned(),
        ScopeKind::Vdom(v) => format!("vdom:{v}"),
    }
}

/// A token as FortiGuard knows it (for imports).
#[derive(Clone, Debug)]
struct Known {
    scope: String,
    serial: String,
    licence: Option<String>,
    trial: bool,
}

/// The interpreter: a state plus the simulated FortiGuard.
pub struct Interpreter {
    pub state: State,
    default_scope: String,
    known: Vec<Known>,
    /// Statements of the replayed scripts the interpreter does not understand (reported, not
    /// fatal); those of the backup it starts from are not counted.
    pub skipped: Vec<String>,
    /// Commands that failed, as the unit would report them.
    pub failures: Vec<String>,
    /// The script runs on another unit than the one that wrote the backup.
    pub other_unit: bool,
    /// FortiGuard refuses every import (licence not transferred, unreachable).
    pub imports_fail: bool,
    /// Serials the simulated trial imports handed out, per scope key.
    pub new_trial_serials: BTreeMap<String, Vec<String>>,
    /// Hardware tokens deleted during the run (their activation fails afterwards).
    deleted_hardware: Vec<String>,
    /// Reference checks are on (off while the backup itself is loaded).
    strict: bool,
}

impl Interpreter {
    /// Starts from the state of a parsed backup.
    pub fn new(model: &Model<'_>) -> Interpreter {
        let default_scope = match &model.header.vdom_scope {
            Some(v) => format!("vdom:{v}"),
            None => "unit".to_owned(),
        };
        let known = model
            .tokens
            .iter()
            .map(|t| Known {
                scope: scope_key(&model.scopes[t.scope].kind),
                serial: t.serial.to_string(),
                licence: t.license.as_ref().map(|l| l.value.to_string()),
                trial: t.trial,
            })
            .collect();
        let mut it = Interpreter {
            state: State::default(),
            default_scope,
            known,
            skipped: Vec::new(),
            failures: Vec::new(),
            other_unit: false,
            imports_fail: false,
            new_trial_serials: BTreeMap::new(),
            deleted_hardware: Vec::new(),
            strict: false,
        };
        it.run(&model.doc);
        // What the backup holds that is not configuration (a command typed in a captured
        // session) is not for a script replayed on it to explain.
        it.skipped.clear();
        it.strict = true;
        it
    }

    /// The state of a backup (no FortiGuard needed).
    pub fn state_of(model: &Model<'_>) -> State {
        Interpreter::new(model).state
    }

    /// Runs every statement of a document (a backup or a script) against the state.
    pub fn run(&mut self, doc: &Document<'_>) {
        for id in doc.top_level() {
            let n = doc.node(id);
            match n.kind {
                Kind::Config if doc.config_path(id) == "global" => {
                    self.run_children(doc, id, "global".to_owned());
                }
                Kind::Config if doc.config_path(id) == "vdom" => {
                    for e in doc.children(id).filter(|&c| doc.node(c).kind == Kind::Edit) {
                        let v = format!("vdom:{}", doc.name(e));
                        if doc.children(e).any(|c| {
                            !doc.node(c).kind.is_trivia() && doc.node(c).kind != Kind::Next
                        }) {
                            self.run_children(doc, e, v);
                        }
                    }
                }
                Kind::Config | Kind::Script => {
                    let scope = self.default_scope.clone();
                    self.run_statement(doc, id, &scope, None);
                }
                _ => {}
            }
        }
    }

    fn run_children(&mut self, doc: &Document<'_>, parent: NodeId, scope: String) {
        for c in doc.children(parent) {
            self.run_statement(doc, c, &scope, None);
        }
    }

    /// One statement at scope level (`config …` or `execute …`).
    fn run_statement(&mut self, doc: &Document<'_>, id: NodeId, scope: &str, _: Option<()>) {
        match doc.node(id).kind {
            Kind::Config => {
                let before = self.state.scopes.get(scope).cloned().unwrap_or_default();
                let root = self.state.scopes.entry(scope.to_owned()).or_default();
                let mut deleted = Vec::new();
                exec_config(doc, id, root, &mut self.skipped, &mut deleted);
                for d in deleted {
                    if d.starts_with("FTK2") {
                        self.deleted_hardware.push(d);
                    }
                }
                self.check_references(scope, &before);
            }
            Kind::Script => self.execute(doc, id, scope),
            _ => {}
        }
    }

    fn tokens_table(&mut self, scope: &str) -> &mut Table {
        self.state
            .scopes
            .entry(scope.to_owned())
            .or_default()
            .tables
            .entry("user fortitoken".to_owned())
            .or_default()
    }

    /// Token serials that exist for holders of `scope` (its own table, and `config global`'s).
    fn visible_tokens(&self, scope: &str) -> Vec<String> {
        let mut out = Vec::new();
        for s in [scope, "global"] {
            if let Some(t) = self
                .state
                .scopes
                .get(s)
                .and_then(|o| o.tables.get("user fortitoken"))
            {
                out.extend(t.entries.keys().cloned());
            }
        }
        out
    }

    /// FortiOS refuses to save a user or admin that names a token that does not exist: such
    /// entries go back to what they were, and the failure is recorded.
    fn check_references(&mut self, scope: &str, before: &Obj) {
        if !self.strict {
            return;
        }
        for (table, token_scope) in [("user local", scope), ("system admin", "*")] {
            let Some(entries) = self
                .state
                .scopes
                .get(scope)
                .and_then(|o| o.tables.get(table))
                .map(|t| t.entries.clone())
            else {
                continue;
            };
            for (name, obj) in entries {
                let Some(serial) = obj.attrs.get("fortitoken").and_then(|v| v.first()) else {
                    continue;
                };
                let old = before.tables.get(table).and_then(|t| t.entries.get(&name));
                if old.and_then(|o| o.attrs.get("fortitoken")) == obj.attrs.get("fortitoken") {
                    continue;
                }
                let exists = if token_scope == "*" {
                    self.state.scopes.values().any(|o| {
                        o.tables
                            .get("user fortitoken")
                            .is_some_and(|t| t.entries.contains_key(serial))
                    })
                } else {
                    self.visible_tokens(scope).contains(serial)
                };
                if !exists {
                    self.failures.push(format!(
                        "{table} {name}: entry not found in datasource: fortitoken {serial}"
                    ));
                    let t = self
                        .state
                        .scopes
                        .entry(scope.to_owned())
                        .or_default()
                        .tables
                        .entry(table.to_owned())
                        .or_default();
                    match old {
                        Some(o) => {
                            t.entries.insert(name, o.clone());
                        }
                        None => {
                            t.entries.remove(&name);
                        }
                    }
                }
            }
        }
    }

    /// `execute fortitoken…` commands; read-only commands do nothing; other verbs are
    /// recorded as skipped.
    fn execute(&mut self, doc: &Document<'_>, id: NodeId, scope: &str) {
        let words: Vec<String> = doc
            .args(id)
            .iter()
            .map(|a| crate::parse::value::decode(doc.raw(a.span)).into_owned())
            .collect();
        let w: Vec<&str> = words.iter().map(String::as_str).collect();
        match w.as_slice() {
            ["show" | "get" | "diagnose", ..]
            | ["execute", "ping" | "fortiguard-message" | "backup", ..] => {}
            ["execute", "fortitoken-mobile", "import", code] => {
                let code = *code;
                if self.imports_fail {
                    self.failures
                        .push(format!("import {code}: forticare license card not found"));
                    return;
                }
                let trial = code == super::script::TRIAL_CODE;
                if trial && self.other_unit {
                    // The unit's own pair: new serials (KB 184542, KB 190171).
                    let n = self.new_trial_serials.values().map(Vec::len).sum::<usize>();
                    let fresh: Vec<String> =
                        (n..n + 2).map(|k| format!("FTKMOBNEW{k:07}")).collect();
                    let table = self.tokens_table(scope);
                    for s in &fresh {
                        table.entries.entry(s.clone()).or_default();
                    }
                    self.new_trial_serials
                        .entry(scope.to_owned())
                        .or_default()
                        .extend(fresh);
                    return;
                }
                let wanted: Vec<Known> = self
                    .known
                    .iter()
                    .filter(|k| k.scope == scope)
                    .filter(|k| {
                        if trial {
                            k.trial
                        } else if code.starts_with("<FILL-IN:activation-code-of-the-licence-in-") {
                            // An unnamed licence: the unlicensed tokens of this VDOM.
                            k.licence.is_none()
                        } else if let Some(l) =
                            code.strip_prefix("<FILL-IN:activation-code-of-licence-")
                        {
                            Some(l.trim_end_matches('>')) == k.licence.as_deref()
                        } else {
                            false
                        }
                    })
                    .cloned()
                    .collect();
                let table = self.tokens_table(scope);
                for k in wanted {
                    table.entries.entry(k.serial.clone()).or_insert_with(|| {
                        let mut o = Obj::default();
                        if let Some(l) = &k.licence {
                            o.attrs.insert("license".to_owned(), vec![l.clone()]);
                        }
                        o
                    });
                }
            }
            ["execute", "fortitoken", "activate", serials @ ..] => {
                for s in serials {
                    if self.deleted_hardware.iter().any(|d| d == s) {
                        self.failures.push(format!(
                            "activate {s}: token already activated, and seed won't be returned"
                        ));
                    }
                }
            }
            ["execute", "fortitoken-mobile", "provision", serial] => {
                match self.tokens_table(scope).entries.get_mut(*serial) {
                    Some(e) => {
                        for a in super::plan::REISSUE_DROPS {
                            e.attrs.remove(a);
                        }
                    }
                    None => self
                        .failures
                        .push(format!("provision {serial}: token not found")),
                }
            }
            _ => self.skipped.push(w.join(" ")),
        }
    }
}

/// `config <path>` … `end` inside an object.
fn exec_config(
    doc: &Document<'_>,
    id: NodeId,
    obj: &mut Obj,
    skipped: &mut Vec<String>,
    deleted: &mut Vec<String>,
) {
    let table = obj.tables.entry(doc.config_path(id)).or_default();
    for c in doc.children(id) {
        match doc.node(c).kind {
            Kind::Edit => {
                let entry = table.entries.entry(doc.name(c).into_owned()).or_default();
                exec_object(doc, c, entry, skipped, deleted);
            }
            Kind::Script => {
                let words: Vec<String> = doc
                    .args(c)
                    .iter()
                    .map(|a| crate::parse::value::decode(doc.raw(a.span)).into_owned())
                    .collect();
                match words.as_slice() {
                    [verb, key] if verb == "delete" => {
                        table.entries.remove(key);
                        deleted.push(key.clone());
                    }
                    _ => skipped.push(words.join(" ")),
                }
            }
            _ => exec_line(doc, c, &mut table.obj, skipped, deleted),
        }
    }
}

/// The body of an `edit` (or a singleton object).
fn exec_object(
    doc: &Document<'_>,
    id: NodeId,
    obj: &mut Obj,
    skipped: &mut Vec<String>,
    deleted: &mut Vec<String>,
) {
    for c in doc.children(id) {
        exec_line(doc, c, obj, skipped, deleted);
    }
}

fn exec_line(
    doc: &Document<'_>,
    id: NodeId,
    obj: &mut Obj,
    skipped: &mut Vec<String>,
    deleted: &mut Vec<String>,
) {
    match doc.node(id).kind {
        Kind::Set => {
            let name = doc.name(id).into_owned();
            let values: Vec<String> = doc.set_values(id).map(|v| v.into_owned()).collect();
            // `fortitoken` depends on `two-factor fortitoken`: choosing another method clears it.
            if name == "two-factor" && values.first().is_some_and(|v| v != "fortitoken") {
                obj.attrs.remove("fortitoken");
            }
            obj.attrs.insert(name, values);
        }
        Kind::Unset => {
            let name = doc.name(id);
            if name == "two-factor" {
                obj.attrs.remove("fortitoken");
            }
            obj.attrs.remove(name.as_ref());
        }
        Kind::Config => exec_config(doc, id, obj, skipped, deleted),
        Kind::Script => skipped.push(doc.raw(doc.node(id).content).to_owned()),
        _ => {}
    }
}
