//! Stage 3 of the pipeline: **model**. Typed, spanned views over the parsed tree: the header,
//! the scopes (global and each VDOM), and the objects FortiToken lives in: `config user
//! fortitoken`, `config user local`, `config system admin`, `config system global`,
//! `config system central-management`, `config system email-server`, `config system ftm-push`.
//!
//! Every view keeps the [`NodeId`] of the statements it was read from, so rules can point at
//! the exact `set` line and fixes can edit it. Secret values (seeds, activation codes) are not
//! copied into the model at all: only the fact that they are there, and where.

pub mod evidence;
pub mod header;
pub mod objects;

use std::borrow::Cow;
use std::collections::HashMap;

use crate::parse::{Document, Kind, NodeId, Warning};
pub use evidence::{Evidence, RuntimeStatus, TokenStatus, UnitEvidence};
pub use header::Header;
pub use objects::{
    Admin, Attr, CentralManagement, EmailServer, FtmPush, Holder, HolderKind, HolderView,
    LocalUser, SystemGlobal, Token, TokenKind, TokenState,
};

/// Index of a scope in [`Model::scopes`].
pub type ScopeId = usize;

/// Where a block of configuration applies.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ScopeKind {
    /// A unit without VDOMs (or a fragment with no scope marker): global and VDOM objects
    /// side by side.
    Unit,
    /// `config global` of a multi-VDOM unit.
    Global,
    /// `config vdom` / `edit <name>` of a multi-VDOM unit, or a VDOM-scoped backup.
    Vdom(String),
}

/// One scope and the top-level `config` blocks in it.
#[derive(Clone, Debug)]
pub struct Scope {
    pub kind: ScopeKind,
    pub blocks: Vec<NodeId>,
}

impl Scope {
    /// The VDOM name, for objects that live in a VDOM.
    pub fn vdom(&self) -> Option<&str> {
        match &self.kind {
            ScopeKind::Vdom(v) => Some(v),
            _ => None,
        }
    }

    /// Human name: `global`, the VDOM name, or `unit`.
    pub fn label(&self) -> &str {
        match &self.kind {
            ScopeKind::Unit => "unit",
            ScopeKind::Global => "global",
            ScopeKind::Vdom(v) => v,
        }
    }
}

/// Everything fortilint knows about one file.
#[derive(Clone, Debug)]
pub struct Model<'a> {
    pub doc: Document<'a>,
    pub header: Header,
    pub scopes: Vec<Scope>,
    /// VDOM names declared in the first `config vdom` block.
    pub vdom_names: Vec<String>,
    pub tokens: Vec<Token>,
    pub users: Vec<LocalUser>,
    pub admins: Vec<Admin>,
    pub system_global: Option<SystemGlobal>,
    pub central_management: Option<CentralManagement>,
    pub email_server: Option<EmailServer>,
    pub ftm_push: Option<FtmPush>,
    /// Script commands (`delete`, `execute`, …) found in the file.
    pub script_statements: Vec<NodeId>,
    /// Notes about the file that are not rule findings (parser leniency, odd content).
    pub warnings: Vec<Warning>,
    /// Runtime evidence: the diagnostic output in this file (origins with an empty path) and
    /// any `--evidence` files merged in with [`Evidence::merge`].
    pub evidence: Evidence,
}

impl<'a> Model<'a> {
    /// Builds the model. Never fails: whatever is not recognised is simply absent.
    pub fn build(doc: Document<'a>) -> Model<'a> {
        let mut lines: Vec<Cow<'_, str>> = Vec::new();
        for id in doc.top_level().take_while(|&id| {
            let n = doc.node(id);
            // A leading `show` line (or `sh full` typed without a prompt) does not hide the
            // header.
            n.kind.is_trivia() || (n.kind == Kind::Script && doc.raw(n.content).starts_with("show"))
        }) {
            let n = doc.node(id);
            let raw = doc.raw(n.content);
            match n.kind {
                Kind::Comment => lines.push(Cow::Borrowed(raw)),
                // `FGT-A # show full-configuration#config-version=…`: the header printed on
                // the prompt line; `get system status` output before the configuration.
                Kind::Prompt | Kind::Skipped => {
                    for line in raw.lines() {
                        if let Some(at) = line.find("#config-version=") {
                            lines.push(Cow::Borrowed(&line[at..]));
                        } else if n.kind == Kind::Skipped
                            && ["Version:", "Serial-Number:", "Hostname:"]
                                .iter()
                                .any(|k| line.trim_start().starts_with(k))
                        {
                            lines.push(Cow::Owned(format!("#{}", line.trim())));
                        }
                    }
                }
                _ => {}
            }
        }
        let header = Header::from_comments(lines.iter().map(|l| l.as_ref()));
        let mut m = Model {
            header,
            scopes: Vec::new(),
            vdom_names: Vec::new(),
            tokens: Vec::new(),
            users: Vec::new(),
            admins: Vec::new(),
            system_global: None,
            central_management: None,
            email_server: None,
            ftm_push: None,
            script_statements: Vec::new(),
            warnings: doc.warnings.clone(),
            evidence: Evidence::default(),
            doc,
        };
        m.evidence = m.own_evidence();
        m.collect_scopes();
        m.collect_objects();
        m.resolve_holders();
        m.collect_scripts();
        m
    }

    /// Diagnostic output set aside by the parser (skipped regions; prompts give the context).
    fn own_evidence(&self) -> Evidence {
        let regions = self
            .doc
            .tree
            .nodes
            .iter()
            .filter(|n| matches!(n.kind, Kind::Skipped | Kind::Prompt))
            .map(|n| n.span);
        let events = crate::parse::diagnostic::read(self.doc.text, regions);
        if events.is_empty() {
            return Evidence::default();
        }
        Evidence::from_events("", self.doc.text, events)
    }

    /// The runtime evidence of the unit this backup belongs to (matched by serial, host name,
    /// or as the only unit in the evidence).
    pub fn unit_evidence(&self) -> Option<&UnitEvidence> {
        let hostname = self.header.hostname.clone().or_else(|| {
            self.system_global
                .as_ref()
                .and_then(|g| g.hostname.as_ref())
                .map(|a| a.value.clone())
        });
        self.evidence
            .unit_for(self.header.serial.as_deref(), hostname.as_deref())
    }

    fn scope_id(&mut self, kind: ScopeKind) -> ScopeId {
        if let Some(i) = self.scopes.iter().position(|s| s.kind == kind) {
            return i;
        }
        self.scopes.push(Scope {
            kind,
            blocks: Vec::new(),
        });
        self.scopes.len() - 1
    }

    fn collect_scopes(&mut self) {
        let default = match &self.header.vdom_scope {
            Some(v) => ScopeKind::Vdom(v.clone()),
            None => ScopeKind::Unit,
        };
        let top: Vec<NodeId> = self.doc.top_level().collect();
        for id in top {
            if self.doc.node(id).kind != Kind::Config {
                continue;
            }
            match self.doc.config_path(id).as_str() {
                "vdom" => {
                    let edits: Vec<NodeId> = self
                        .doc
                        .children(id)
                        .filter(|&c| self.doc.node(c).kind == Kind::Edit)
                        .collect();
                    for edit in edits {
                        let name = self.doc.name(edit).into_owned();
                        let blocks: Vec<NodeId> = self
                            .doc
                            .children(edit)
                            .filter(|&c| self.doc.node(c).kind == Kind::Config)
                            .collect();
                        if blocks.is_empty() {
                            if !self.vdom_names.contains(&name) {
                                self.vdom_names.push(name);
                            }
                        } else {
                            let s = self.scope_id(ScopeKind::Vdom(name));
                            self.scopes[s].blocks.extend(blocks);
                        }
                    }
                }
                "global" => {
                    let blocks: Vec<NodeId> = self
                        .doc
                        .children(id)
                        .filter(|&c| self.doc.node(c).kind == Kind::Config)
                        .collect();
                    let s = self.scope_id(ScopeKind::Global);
                    self.scopes[s].blocks.extend(blocks);
                }
                _ => {
                    let s = self.scope_id(default.clone());
                    self.scopes[s].blocks.push(id);
                }
            }
        }
    }

    /// Top-level blocks with the given path, with their scope.
    pub fn blocks(&self, path: &str) -> Vec<(ScopeId, NodeId)> {
        let mut out = Vec::new();
        for (s, scope) in self.scopes.iter().enumerate() {
            for &b in &scope.blocks {
                if self.doc.config_path(b) == path {
                    out.push((s, b));
                }
            }
        }
        out
    }

    /// The `edit` entries of a table block.
    pub fn entries(&self, block: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.doc
            .children(block)
            .filter(move |&c| self.doc.node(c).kind == Kind::Edit)
    }

    /// The effective `set` statement of each attribute of an entry or singleton object: the
    /// last `set` wins, an `unset` after it clears it.
    pub fn attrs(&self, object: NodeId) -> Attrs<'_, 'a> {
        let mut map: Vec<(Cow<'a, str>, Option<NodeId>)> = Vec::new();
        for c in self.doc.children(object) {
            let kind = self.doc.node(c).kind;
            if kind != Kind::Set && kind != Kind::Unset {
                continue;
            }
            let name = self.doc.name(c);
            let val = (kind == Kind::Set).then_some(c);
            match map.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = val,
                None => map.push((name, val)),
            }
        }
        Attrs { model: self, map }
    }

    fn collect_objects(&mut self) {
        for (scope, block) in self.blocks("user fortitoken") {
            for e in self.entries(block).collect::<Vec<_>>() {
                let t = Token::read(self, scope, e);
                self.tokens.push(t);
            }
        }
        for (scope, block) in self.blocks("user local") {
            for e in self.entries(block).collect::<Vec<_>>() {
                let u = LocalUser::read(self, scope, e);
                self.users.push(u);
            }
        }
        for (scope, block) in self.blocks("system admin") {
            for e in self.entries(block).collect::<Vec<_>>() {
                let a = Admin::read(self, scope, e);
                self.admins.push(a);
            }
        }
        if let Some(&(_, b)) = self.blocks("system global").last() {
            self.system_global = Some(SystemGlobal::read(self, b));
        }
        if let Some(&(_, b)) = self.blocks("system central-management").last() {
            self.central_management = Some(CentralManagement::read(self, b));
        }
        if let Some(&(_, b)) = self.blocks("system email-server").last() {
            self.email_server = Some(EmailServer::read(self, b));
        }
        if let Some(&(_, b)) = self.blocks("system ftm-push").last() {
            self.ftm_push = Some(FtmPush::read(self, b));
        }
    }

    /// Whether a token defined in scope `token_scope` is visible to a user in `user_scope`:
    /// the same scope, or a token defined in `config global` (some generated backups keep
    /// tokens there).
    pub fn user_sees(&self, user_scope: ScopeId, token_scope: ScopeId) -> bool {
        user_scope == token_scope || self.scopes[token_scope].kind == ScopeKind::Global
    }

    fn resolve_holders(&mut self) {
        let mut by_serial: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, t) in self.tokens.iter().enumerate() {
            by_serial.entry(t.serial.as_str()).or_default().push(i);
        }
        let mut links: Vec<(usize, Holder)> = Vec::new();
        for (i, u) in self.users.iter().enumerate() {
            let Some(serial) = u.fortitoken.as_ref() else {
                continue;
            };
            for &t in by_serial.get(serial.value.as_str()).into_iter().flatten() {
                if self.user_sees(u.scope, self.tokens[t].scope) {
                    links.push((
                        t,
                        Holder {
                            kind: HolderKind::User,
                            index: i,
                        },
                    ));
                }
            }
        }
        for (i, a) in self.admins.iter().enumerate() {
            let Some(serial) = a.fortitoken.as_ref() else {
                continue;
            };
            for &t in by_serial.get(serial.value.as_str()).into_iter().flatten() {
                links.push((
                    t,
                    Holder {
                        kind: HolderKind::Admin,
                        index: i,
                    },
                ));
            }
        }
        for (t, h) in links {
            self.tokens[t].holders.push(h);
        }
    }

    fn collect_scripts(&mut self) {
        // A `show` typed before the output it produced (a capture) is not part of the backup.
        let first_config = (0..self.doc.len() as NodeId)
            .find(|&id| self.doc.node(id).kind == Kind::Config)
            .unwrap_or(NodeId::MAX);
        self.script_statements = (0..self.doc.len() as NodeId)
            .filter(|&id| {
                let n = self.doc.node(id);
                n.kind == Kind::Script
                    && !(id < first_config && self.doc.raw(n.content).starts_with("show"))
            })
            .collect();
        if self.header.has_version_line
            && let Some(&first) = self.script_statements.first()
        {
            self.warnings.push(Warning {
                span: self.doc.node(first).content,
                message: format!(
                    "{} script command(s) such as `{}` in a backup; a backup written by FortiOS has none",
                    self.script_statements.len(),
                    self.doc.name(first)
                ),
            });
        }
    }

    /// A holder seen through what users and admins have in common.
    pub fn holder(&self, h: &Holder) -> HolderView<'_> {
        match h.kind {
            HolderKind::User => {
                let u = &self.users[h.index];
                HolderView {
                    kind: h.kind,
                    name: &u.name,
                    entry: u.entry,
                    scope: u.scope,
                    two_factor: u.two_factor.as_ref(),
                    fortitoken: u.fortitoken.as_ref(),
                    email_to: u.email_to.as_ref(),
                    sms_phone: u.sms_phone.as_ref(),
                }
            }
            HolderKind::Admin => {
                let a = &self.admins[h.index];
                HolderView {
                    kind: h.kind,
                    name: &a.name,
                    entry: a.entry,
                    scope: a.scope,
                    two_factor: a.two_factor.as_ref(),
                    fortitoken: a.fortitoken.as_ref(),
                    email_to: a.email_to.as_ref(),
                    sms_phone: a.sms_phone.as_ref(),
                }
            }
        }
    }

    /// Every local user, then every admin.
    pub fn people(&self) -> impl Iterator<Item = HolderView<'_>> + '_ {
        let users = (0..self.users.len()).map(|index| Holder {
            kind: HolderKind::User,
            index,
        });
        let admins = (0..self.admins.len()).map(|index| Holder {
            kind: HolderKind::Admin,
            index,
        });
        users.chain(admins).map(move |h| self.holder(&h))
    }

    /// Name of a holder (user or admin).
    pub fn holder_name(&self, h: &Holder) -> &str {
        self.holder(h).name
    }

    /// The VDOM a scope stands for (`None` for global and non-VDOM units).
    pub fn vdom(&self, scope: ScopeId) -> Option<&str> {
        self.scopes[scope].vdom()
    }

    /// Whether the unit runs VDOMs (header or layout says so).
    pub fn is_multi_vdom(&self) -> bool {
        self.header.vdom_mode == Some(true)
            || self
                .scopes
                .iter()
                .any(|s| matches!(s.kind, ScopeKind::Global | ScopeKind::Vdom(_)))
    }

    /// Host name: `config system global` `set hostname`, or the oxidized preamble.
    pub fn hostname(&self) -> Option<&str> {
        self.system_global
            .as_ref()
            .and_then(|g| g.hostname.as_ref())
            .map(|a| a.value.as_str())
            .or(self.header.hostname.as_deref())
    }
}

/// Attributes whose values are secrets.
pub const SECRET_ATTRS: &[&str] = &[
    "seed",
    "activation-code",
    "passwd",
    "password",
    "old-password",
    "private-key",
    "psksecret",
    "ppk-secret",
    "auth-pwd",
    "secret",
    "key",
    "passphrase",
    "sso-password",
];

/// A line of base64 key material (a PEM body line, a seed file line): one long word of the
/// base64 alphabet, possibly in a quote. Masked in snippets of text that did not parse.
fn is_key_material(body: &str) -> bool {
    let t = body.trim().trim_matches('"');
    t.len() >= 24
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        && t.bytes().any(|b| b.is_ascii_digit())
        && t.bytes().any(|b| b.is_ascii_lowercase())
        && t.bytes().any(|b| b.is_ascii_uppercase())
}

/// Secret values of diagnostic output and typed commands in `span` of `text`, line by line.
fn secrets_in_lines(text: &str, span: crate::source::Span) -> Vec<crate::source::Span> {
    use crate::source::Span;
    let mut out = Vec::new();
    let mut start = span.start as usize;
    for line in text[span.range()].split_inclusive(['\n', '\r']) {
        let body = line.trim_end_matches(['\n', '\r']);
        out.extend(
            crate::parse::diagnostic::line_secrets(body)
                .into_iter()
                .map(|r| Span::new(start + r.start, start + r.end)),
        );
        start += line.len();
    }
    out
}

/// Secret values in text that did not parse, found line by line without a tree: the values
/// of `set <secret attribute>`, the word after every `ENC`, and PEM blocks. Used to mask the
/// snippet of a parse error.
pub fn secrets_in_text(text: &str) -> Vec<crate::source::Span> {
    use crate::source::Span;
    let mut out = Vec::new();
    // A fragment that starts inside a PEM block (or any multi-line quoted secret) shows its
    // `-----END` line before any `-----BEGIN`: everything up to it is key material.
    let first_end = text.find("-----END");
    let first_begin = text.find("-----BEGIN");
    let mut in_pem = first_end.is_some_and(|e| first_begin.is_none_or(|b| e < b));
    let mut start = 0;
    for line in text.split_inclusive(['\n', '\r']) {
        let end = start + line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        out.extend(
            crate::parse::diagnostic::line_secrets(body)
                .into_iter()
                .map(|r| Span::new(start + r.start, start + r.end)),
        );
        if in_pem || body.contains("-----BEGIN") || is_key_material(body) {
            in_pem = (in_pem || body.contains("-----BEGIN")) && !body.contains("-----END");
            out.push(Span::new(start, start + body.len()));
            start = end;
            continue;
        }
        let mut words = Vec::new();
        let mut at = 0;
        for w in body.split([' ', '\t']) {
            if !w.is_empty() {
                words.push((start + at, w));
            }
            at += w.len() + 1;
        }
        if let [(_, "set"), (_, attr), (value_at, _), ..] = words.as_slice()
            && SECRET_ATTRS.contains(attr)
        {
            out.push(Span::new(*value_at, start + body.len()));
        }
        for pair in words.windows(2) {
            if pair[0].1 == "ENC" {
                out.push(Span::new(pair[1].0, pair[1].0 + pair[1].1.len()));
            }
        }
        start = end;
    }
    out
}

impl Model<'_> {
    /// Spans of every secret value in the file: the values of [`SECRET_ATTRS`], the token after
    /// every `ENC`, and PEM blocks. Reports mask these unless asked not to.
    pub fn secret_spans(&self) -> Vec<crate::source::Span> {
        let doc = &self.doc;
        let mut out = Vec::new();
        for (id, node) in doc.tree.nodes.iter().enumerate() {
            if node.kind == Kind::Script {
                // `execute fortitoken-mobile import <licence activation code>`.
                out.extend(secrets_in_lines(doc.text, node.content));
            }
            if matches!(node.kind, Kind::Skipped | Kind::Prompt) {
                // Debug output and typed commands: activation codes, seeds, licence codes.
                out.extend(secrets_in_lines(doc.text, node.span));
                continue;
            }
            if node.kind != Kind::Set && node.kind != Kind::Script {
                continue;
            }
            let args = doc.args(id as NodeId);
            let Some((attr, values)) = args.split_first() else {
                continue;
            };
            let secret_attr = node.kind == Kind::Set && SECRET_ATTRS.contains(&doc.raw(attr.span));
            let mut after_enc = false;
            for v in values {
                let raw = doc.raw(v.span);
                if (secret_attr || after_enc || raw.contains("-----BEGIN")) && raw != "ENC" {
                    out.push(v.span);
                }
                after_enc = raw == "ENC";
            }
        }
        out
    }
}

/// The effective attributes of one object (see [`Model::attrs`]).
pub struct Attrs<'m, 'a> {
    model: &'m Model<'a>,
    map: Vec<(Cow<'a, str>, Option<NodeId>)>,
}

impl Attrs<'_, '_> {
    /// The `set` statement for `name`, if the attribute is set.
    pub fn node(&self, name: &str) -> Option<NodeId> {
        self.map
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| *v)
    }

    /// The attribute's first value, decoded, with its statement.
    pub fn get(&self, name: &str) -> Option<Attr> {
        let node = self.node(name)?;
        let value = self
            .model
            .doc
            .set_value(node)
            .unwrap_or_default()
            .into_owned();
        Some(Attr { node, value })
    }

    /// All values of the attribute, decoded.
    pub fn values(&self, name: &str) -> Vec<String> {
        self.node(name)
            .map(|n| self.model.doc.set_values(n).map(Cow::into_owned).collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    const MULTI: &str =
        "#config-version=FG5H1E-7.4.8-FW-build2795-250523:opmode=0:vdom=1:user=admin
#global_vdom=1
config vdom
edit root
next
edit dmz
next
end
config global
config system global
    set hostname \"FW1\"
    set two-factor-ftm-expiry 24
end
config system admin
    edit \"boss\"
        set two-factor fortitoken
        set fortitoken \"FTKMOB0000000002\"
    next
end
end
config vdom
edit root
config user fortitoken
    edit \"FTKMOB0000000001\"
        set seed ENC c2VjcmV0
        set license \"FTMTRIAL0401A296\"
        set activation-code \"SECRETCODE\"
        set activation-expire 1000
    next
end
config user local
    edit \"alice\"
        set two-factor fortitoken
        set fortitoken \"FTKMOB0000000001\"
    next
end
next
edit dmz
config user fortitoken
    edit \"FTKMOB0000000002\"
        set reg-id \"abc\"
    next
    edit \"FTK2000BHV1KRZCC\"
        set status lock
    next
end
config user local
    edit \"bob\"
        set fortitoken \"FTKMOB0000000001\"
        unset fortitoken
    next
end
next
end
";

    #[test]
    fn scopes_tokens_and_holders() {
        let m = Model::build(parse(MULTI).unwrap());
        assert_eq!(m.header.firmware.as_deref(), Some("7.4.8"));
        assert_eq!(m.vdom_names, ["root", "dmz"]);
        let labels: Vec<_> = m.scopes.iter().map(Scope::label).collect();
        assert_eq!(labels, ["global", "root", "dmz"]);
        assert_eq!(m.hostname(), Some("FW1"));
        assert!(m.is_multi_vdom());
        assert_eq!(m.tokens.len(), 3);
        let t1 = &m.tokens[0];
        assert_eq!(m.vdom(t1.scope), Some("root"));
        assert!(t1.trial && t1.seed.is_some() && t1.activation_code.is_some());
        assert_eq!(t1.kind, TokenKind::Mobile);
        assert_eq!(t1.state(2000), TokenState::Expired);
        assert_eq!(t1.state(500), TokenState::Pending);
        assert_eq!(
            t1.holders.len(),
            1,
            "alice only: bob is in another VDOM and unset it"
        );
        assert_eq!(m.holder_name(&t1.holders[0]), "alice");
        let t2 = &m.tokens[1];
        assert_eq!(t2.state(0), TokenState::Provisioned);
        assert_eq!(m.holder_name(&t2.holders[0]), "boss");
        let hw = &m.tokens[2];
        assert_eq!(
            (hw.kind, hw.is_locked(), hw.state(0)),
            (TokenKind::Hardware, true, TokenState::Available)
        );
        assert!(m.users[1].fortitoken.is_none());
    }
}
