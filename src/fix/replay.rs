//! A small FortiOS CLI interpreter, used to verify remediation scripts: it replays a script
//! (`config` / `edit` / `set` / `unset` / `delete` / `next` / `end`, and what the
//! `execute fortitoken…` commands do to token entries) over the configuration state of the
//! original backup. The state is semantic: scopes → tables → entries → attributes (decoded
//! values); entry order and formatting do not count.
//!
//! FortiGuard is simulated from the original backup: an import re-creates, with their licence,
//! the deleted tokens of that licence (the trial code: the trial tokens) in the current VDOM;
//! `execute fortitoken activate` gives a registered hardware token back its licence; `renew`
//! voids a token's activation code and expiry. Seeds and activation data never come back in
//! the state: FortiGuard hands them out after the script has run.

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
    /// Statements the interpreter does not understand (reported, not fatal).
    pub skipped: Vec<String>,
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
                serial: t.serial.clone(),
                licence: t.license.as_ref().map(|l| l.value.clone()),
                trial: t.trial,
            })
            .collect();
        let mut it = Interpreter {
            state: State::default(),
            default_scope,
            known,
            skipped: Vec::new(),
        };
        it.run(&model.doc);
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
                let root = self.state.scopes.entry(scope.to_owned()).or_default();
                exec_config(doc, id, root, &mut self.skipped);
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

    /// `execute fortitoken…` commands; other verbs are recorded as skipped.
    fn execute(&mut self, doc: &Document<'_>, id: NodeId, scope: &str) {
        let words: Vec<String> = doc
            .args(id)
            .iter()
            .map(|a| crate::parse::value::decode(doc.raw(a.span)).into_owned())
            .collect();
        let w: Vec<&str> = words.iter().map(String::as_str).collect();
        match w.as_slice() {
            ["execute", "fortitoken-mobile", "import", code] => {
                let code = *code;
                let wanted: Vec<Known> = self
                    .known
                    .iter()
                    .filter(|k| k.scope == scope)
                    .filter(|k| {
                        if code == "0000-0000-0000-0000-0000" {
                            k.trial
                        } else if let Some(l) =
                            code.strip_prefix("<FILL-IN:activation-code-of-licence-holding-")
                        {
                            l.trim_end_matches('>') == k.serial
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
                let known: Vec<Known> = self
                    .known
                    .iter()
                    .filter(|k| k.scope == scope)
                    .cloned()
                    .collect();
                let table = self.tokens_table(scope);
                for s in serials {
                    if let (Some(e), Some(k)) = (
                        table.entries.get_mut(*s),
                        known.iter().find(|k| k.serial == *s),
                    ) && let Some(l) = &k.licence
                    {
                        e.attrs.insert("license".to_owned(), vec![l.clone()]);
                    }
                }
            }
            ["execute", "fortitoken-mobile", "renew", serial] => {
                if let Some(e) = self.tokens_table(scope).entries.get_mut(*serial) {
                    e.attrs.remove("activation-code");
                    e.attrs.remove("activation-expire");
                }
            }
            _ => self.skipped.push(w.join(" ")),
        }
    }
}

/// `config <path>` … `end` inside an object.
fn exec_config(doc: &Document<'_>, id: NodeId, obj: &mut Obj, skipped: &mut Vec<String>) {
    let table = obj.tables.entry(doc.config_path(id)).or_default();
    for c in doc.children(id) {
        match doc.node(c).kind {
            Kind::Edit => {
                let entry = table.entries.entry(doc.name(c).into_owned()).or_default();
                exec_object(doc, c, entry, skipped);
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
                    }
                    _ => skipped.push(words.join(" ")),
                }
            }
            _ => exec_line(doc, c, &mut table.obj, skipped),
        }
    }
}

/// The body of an `edit` (or a singleton object).
fn exec_object(doc: &Document<'_>, id: NodeId, obj: &mut Obj, skipped: &mut Vec<String>) {
    for c in doc.children(id) {
        exec_line(doc, c, obj, skipped);
    }
}

fn exec_line(doc: &Document<'_>, id: NodeId, obj: &mut Obj, skipped: &mut Vec<String>) {
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
        Kind::Config => exec_config(doc, id, obj, skipped),
        Kind::Script => skipped.push(doc.raw(doc.node(id).content).to_owned()),
        _ => {}
    }
}
