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
pub mod secrets;

use std::borrow::Cow;
use std::collections::HashMap;

use crate::parse::blocks::MODEL_BLOCKS;
use crate::parse::{Document, Kind, NodeId, Warning};
pub use evidence::{Evidence, RuntimeStatus, TokenStatus, UnitEvidence};
pub use header::Header;
pub use objects::{
    Admin, Attr, CentralManagement, EmailServer, FtmPush, Ha, Holder, HolderKind, HolderView,
    LocalUser, SystemGlobal, Token, TokenKind, TokenState,
};
pub use secrets::{SECRET_ATTRS, is_secret_attr, secrets_in_region, secrets_in_text};

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
    /// `config system ha`.
    pub ha: Option<Ha>,
    /// Names of the `config system sms-server` entries, with their scope and `edit` line.
    pub sms_servers: Vec<(ScopeId, String, NodeId)>,
    /// Interfaces of `config system interface` whose `allowaccess` includes `ftm` (FortiToken
    /// Mobile push), with their `set allowaccess` line.
    pub ftm_interfaces: Vec<(String, NodeId)>,
    /// Script commands (`delete`, `execute`, …) found in the file.
    pub script_statements: Vec<NodeId>,
    /// Notes about the file that are not rule findings (parser leniency, odd content).
    pub warnings: Vec<Warning>,
    /// Lookups that keep every stage linear in the number of objects.
    scope_index: HashMap<ScopeKind, ScopeId>,
    /// Token indices sorted by serial (then by index): 4 bytes a token, binary-searched.
    token_index: Vec<u32>,
    /// The in-scope blocks of each path of [`MODEL_BLOCKS`] (same order), in scope order then
    /// file order: each path is spelt once, when the model is built, not at every lookup.
    block_index: Vec<Vec<(ScopeId, NodeId)>>,
    holder_index: HashMap<String, Vec<Holder>>,
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
            ha: None,
            sms_servers: Vec::new(),
            ftm_interfaces: Vec::new(),
            script_statements: Vec::new(),
            warnings: doc.warnings.clone(),
            scope_index: HashMap::new(),
            token_index: Vec::new(),
            block_index: Vec::new(),
            holder_index: HashMap::new(),
            evidence: Evidence::default(),
            doc,
        };
        m.evidence = m.own_evidence();
        m.collect_scopes();
        m.index_blocks();
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
                .map(|a| a.value.to_string())
        });
        self.evidence
            .unit_for(self.header.serial.as_deref(), hostname.as_deref())
    }

    fn scope_id(&mut self, kind: ScopeKind) -> ScopeId {
        if let Some(&i) = self.scope_index.get(&kind) {
            return i;
        }
        self.scopes.push(Scope {
            kind: kind.clone(),
            blocks: Vec::new(),
        });
        self.scope_index.insert(kind, self.scopes.len() - 1);
        self.scopes.len() - 1
    }

    /// The tokens (indices into [`Model::tokens`]) with this serial, in any scope.
    pub fn tokens_named(&self, serial: &str) -> &[u32] {
        named_in(&self.tokens, &self.token_index, serial)
    }

    /// The users and admins with this name.
    pub fn holders_named(&self, name: &str) -> &[Holder] {
        self.holder_index.get(name).map_or(&[], Vec::as_slice)
    }

    fn collect_scopes(&mut self) {
        let default = match &self.header.vdom_scope {
            Some(v) => ScopeKind::Vdom(v.clone()),
            None => ScopeKind::Unit,
        };
        let top: Vec<NodeId> = self.doc.top_level().collect();
        // Names already in `vdom_names`: a set, so that declaring many VDOMs stays linear.
        let mut declared: std::collections::HashSet<String> =
            self.vdom_names.iter().cloned().collect();
        let mut path = String::new();
        for id in top {
            if self.doc.node(id).kind != Kind::Config {
                continue;
            }
            match self.doc.config_path_in(id, &mut path) {
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
                            if declared.insert(name.clone()) {
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
        // The two-level parse keeps only these blocks' statements.
        debug_assert!(crate::parse::blocks::is_model_block(path), "{path}");
        MODEL_BLOCKS
            .iter()
            .position(|&b| b == path)
            .and_then(|i| self.block_index.get(i))
            .cloned()
            .unwrap_or_default()
    }

    fn index_blocks(&mut self) {
        // Only the blocks the model reads are looked up (see `blocks`).
        let mut index = vec![Vec::new(); MODEL_BLOCKS.len()];
        let mut path = String::new();
        for (s, scope) in self.scopes.iter().enumerate() {
            for &b in &scope.blocks {
                let p = self.doc.config_path_in(b, &mut path);
                if let Some(i) = MODEL_BLOCKS.iter().position(|&m| m == p) {
                    index[i].push((s, b));
                }
            }
        }
        self.block_index = index;
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
        // Entries with many attributes get a hash index, so reading one stays linear.
        let mut index: Option<HashMap<Cow<'a, str>, usize>> = None;
        for c in self.doc.children(object) {
            let kind = self.doc.node(c).kind;
            if kind != Kind::Set && kind != Kind::Unset {
                continue;
            }
            let name = self.doc.name(c);
            let val = (kind == Kind::Set).then_some(c);
            let slot = match &index {
                Some(ix) => ix.get(&name).copied(),
                None => map.iter().position(|(n, _)| *n == name),
            };
            match slot {
                Some(i) => map[i].1 = val,
                None => {
                    if let Some(ix) = &mut index {
                        ix.insert(name.clone(), map.len());
                    }
                    map.push((name, val));
                    if index.is_none() && map.len() > ATTR_INDEX_FROM {
                        index = Some(
                            map.iter()
                                .enumerate()
                                .map(|(i, (n, _))| (n.clone(), i))
                                .collect(),
                        );
                    }
                }
            }
        }
        Attrs {
            model: self,
            map,
            index,
        }
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
        if let Some(&(_, b)) = self.blocks("system ha").last() {
            self.ha = Some(Ha::read(self, b));
        }
        for (scope, block) in self.blocks("system sms-server") {
            for e in self.entries(block).collect::<Vec<_>>() {
                let name = self.doc.name(e).into_owned();
                self.sms_servers.push((scope, name, e));
            }
        }
        for (_, block) in self.blocks("system interface") {
            for e in self.entries(block).collect::<Vec<_>>() {
                let a = self.attrs(e);
                if a.values("allowaccess").iter().any(|v| v == "ftm")
                    && let Some(node) = a.node("allowaccess")
                {
                    let name = self.doc.name(e).into_owned();
                    self.ftm_interfaces.push((name, node));
                }
            }
        }
    }

    /// Whether a token defined in scope `token_scope` is visible to a user in `user_scope`:
    /// the same scope, or a token defined in `config global` (some generated backups keep
    /// tokens there).
    pub fn user_sees(&self, user_scope: ScopeId, token_scope: ScopeId) -> bool {
        user_scope == token_scope || self.scopes[token_scope].kind == ScopeKind::Global
    }

    fn resolve_holders(&mut self) {
        let mut index: Vec<u32> = (0..self.tokens.len() as u32).collect();
        // Stable: tokens of one serial stay in file order.
        index.sort_by(|&a, &b| {
            self.tokens[a as usize]
                .serial
                .cmp(&self.tokens[b as usize].serial)
        });
        let mut names: HashMap<String, Vec<Holder>> = HashMap::new();
        for (index, u) in self.users.iter().enumerate() {
            names.entry(u.name.clone()).or_default().push(Holder {
                kind: HolderKind::User,
                index,
            });
        }
        for (index, a) in self.admins.iter().enumerate() {
            names.entry(a.name.clone()).or_default().push(Holder {
                kind: HolderKind::Admin,
                index,
            });
        }
        self.holder_index = names;
        self.token_index = index;
        let by_serial = |serial: &str| named_in(&self.tokens, &self.token_index, serial);
        let mut links: Vec<(usize, Holder)> = Vec::new();
        for (i, u) in self.users.iter().enumerate() {
            let Some(serial) = u.fortitoken.as_ref() else {
                continue;
            };
            for &t in by_serial(&serial.value) {
                let t = t as usize;
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
            for &t in by_serial(&serial.value) {
                links.push((
                    t as usize,
                    Holder {
                        kind: HolderKind::Admin,
                        index: i,
                    },
                ));
            }
        }
        // Stable: each token's holders stay users first, in file order, then admins.
        links.sort_by_key(|&(t, _)| t);
        for group in links.chunk_by(|a, b| a.0 == b.0) {
            self.tokens[group[0].0].holders = group.iter().map(|&(_, h)| h).collect();
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
                    sms_server: u.sms_server.as_ref(),
                    sms_custom_server: u.sms_custom_server.as_ref(),
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
                    sms_server: a.sms_server.as_ref(),
                    sms_custom_server: a.sms_custom_server.as_ref(),
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

    /// The header's firmware version as numbers (`7.4.11` → `(7, 4, 11)`, `5.02` →
    /// `(5, 2, 0)`); `None` when the header names none or it does not parse.
    pub fn firmware_version(&self) -> Option<(u32, u32, u32)> {
        let fw = self.header.firmware.as_deref()?;
        let mut parts = fw.split('.').map(|p| p.trim().parse::<u32>());
        let major = parts.next()?.ok()?;
        let minor = parts.next().unwrap_or(Ok(0)).ok()?;
        let patch = parts.next().unwrap_or(Ok(0)).ok()?;
        Some((major, minor, patch))
    }

    /// The firmware has bug 1218458: hardware token activation by serial fails with `cmdb
    /// save error` (7.4.11, 7.6.3–7.6.6; KB 222475).
    pub fn has_activation_bug_1218458(&self) -> bool {
        self.firmware_version().is_some_and(activation_bug_1218458)
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

/// Whether a firmware `(major, minor, patch)` has bug 1218458 (KB 222475; fixed in 7.4.12,
/// 7.6.7, 8.0.0).
pub fn activation_bug_1218458(v: (u32, u32, u32)) -> bool {
    v == (7, 4, 11) || (v.0 == 7 && v.1 == 6 && (3..=6).contains(&v.2))
}

/// The stretch of `index` (token indices sorted by serial) whose tokens have `serial`.
fn named_in<'i>(tokens: &[Token], index: &'i [u32], serial: &str) -> &'i [u32] {
    let key = |&i: &u32| tokens[i as usize].serial.as_str();
    let lo = index.partition_point(|i| key(i) < serial);
    let hi = lo + index[lo..].partition_point(|i| key(i) == serial);
    &index[lo..hi]
}

/// Entries with more attributes than this get a hash index in [`Model::attrs`].
const ATTR_INDEX_FROM: usize = 24;

/// The effective attributes of one object (see [`Model::attrs`]).
pub struct Attrs<'m, 'a> {
    model: &'m Model<'a>,
    map: Vec<(Cow<'a, str>, Option<NodeId>)>,
    index: Option<HashMap<Cow<'a, str>, usize>>,
}

impl Attrs<'_, '_> {
    /// The `set` statement for `name`, if the attribute is set.
    pub fn node(&self, name: &str) -> Option<NodeId> {
        match &self.index {
            Some(ix) => ix.get(name).and_then(|&i| self.map[i].1),
            None => self
                .map
                .iter()
                .find(|(n, _)| n == name)
                .and_then(|(_, v)| *v),
        }
    }

    /// The attribute's first value, decoded, with its statement.
    pub fn get(&self, name: &str) -> Option<Attr> {
        let node = self.node(name)?;
        let value = self.model.doc.set_value(node).unwrap_or_default();
        Some(Attr {
            node,
            value: value.as_ref().into(),
        })
    }

    /// Like [`Attrs::get`], but a value printed empty (`''` or `""`, as `show
    /// full-configuration` prints every unset string) counts as absent.
    pub fn present(&self, name: &str) -> Option<Attr> {
        self.get(name).filter(|a| !a.value.is_empty())
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
        assert!(t1.trial && t1.seed().is_some() && t1.activation_code().is_some());
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
            (TokenKind::Hardware, true, TokenState::Locked)
        );
        assert!(m.users[1].fortitoken.is_none());
    }

    const TWO_FACTOR_SAFETY: &str =
        "#config-version=FGT60F-7.4.11-FW-build2878-250101:opmode=0:vdom=0:user=admin
config system global
    set fortitoken-cloud disable
    set private-data-encryption enable
end
config system ha
    set group-name \"cluster1\"
    set mode a-p
end
config system sms-server
    edit \"twilio\"
        set mail-server \"sms.example.com\"
    next
end
config system interface
    edit \"wan1\"
        set allowaccess ping https ssh ftm
    next
    edit \"lan\"
        set allowaccess ping https
    next
end
config system ftm-push
    set server-cert \"\"
    set interface \"wan1\"
    set status enable
end
config system admin
    edit \"admin\"
        set accprofile \"super_admin\"
        set sms-server custom
        set sms-custom-server \"twilio\"
    next
    edit \"ro\"
        set accprofile ''
        set sms-custom-server ''
    next
end
config user local
    edit \"carol\"
        set status disable
        set fabric-object enable
        set sms-server fortiguard
    next
end
";

    #[test]
    fn two_factor_safety_objects() {
        let m = Model::build(parse(TWO_FACTOR_SAFETY).unwrap());
        let g = m.system_global.as_ref().unwrap();
        assert_eq!(g.fortitoken_cloud.as_ref().unwrap().value, "disable");
        assert_eq!(g.private_data_encryption.as_ref().unwrap().value, "enable");
        let ha = m.ha.as_ref().unwrap();
        assert!(ha.is_cluster());
        assert_eq!(ha.group_name.as_ref().unwrap().value, "cluster1");
        assert!(ha.group_id.is_none());
        let names: Vec<_> = m.sms_servers.iter().map(|(_, n, _)| n.as_str()).collect();
        assert_eq!(names, ["twilio"]);
        let ftm: Vec<_> = m.ftm_interfaces.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(ftm, ["wan1"], "lan does not allow ftm");
        let push = m.ftm_push.as_ref().unwrap();
        assert!(push.is_enabled());
        assert!(push.server_cert.is_none(), "an empty value is absent");
        assert_eq!(push.interface.as_ref().unwrap().value, "wan1");
        let (boss, ro) = (&m.admins[0], &m.admins[1]);
        assert!(boss.is_super_admin() && !ro.is_super_admin());
        assert!(ro.accprofile.is_none() && ro.sms_custom_server.is_none());
        let view = m.people().find(|h| h.name == "admin").unwrap();
        assert_eq!(view.sms_server.unwrap().value, "custom");
        assert_eq!(view.sms_custom_server.unwrap().value, "twilio");
        let carol = &m.users[0];
        assert_eq!(carol.fabric_object.as_ref().unwrap().value, "enable");
        assert_eq!(carol.status.as_ref().unwrap().value, "disable");
        assert_eq!(carol.sms_server.as_ref().unwrap().value, "fortiguard");
    }

    #[test]
    fn firmware_version_numbers() {
        let m = Model::build(parse(TWO_FACTOR_SAFETY).unwrap());
        assert_eq!(m.firmware_version(), Some((7, 4, 11)));
        let m = Model::build(parse(MULTI).unwrap());
        assert_eq!(m.firmware_version(), Some((7, 4, 8)));
        let m = Model::build(parse("config system ha\nend\n").unwrap());
        assert_eq!(m.firmware_version(), None);
    }

    #[test]
    fn ha_modes_and_present() {
        let m = Model::build(parse("config system ha\n    set mode standalone\nend\n").unwrap());
        assert!(!m.ha.as_ref().unwrap().is_cluster());
        let m = Model::build(parse("config system ha\n    set mode a-a\nend\n").unwrap());
        assert!(m.ha.as_ref().unwrap().is_cluster());
        let m = Model::build(parse("config system ha\n    set mode \"\"\nend\n").unwrap());
        let ha = m.ha.as_ref().unwrap();
        assert!(ha.mode.is_none() && !ha.is_cluster());
        assert!(
            m.attrs(ha.node).get("mode").is_some(),
            "get keeps the empty value"
        );
        let m = Model::build(parse("config user local\n    edit \"x\"\n    next\nend\n").unwrap());
        assert!(m.ha.is_none() && m.sms_servers.is_empty() && m.ftm_interfaces.is_empty());
    }
}
