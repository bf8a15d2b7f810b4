//! Typed views of the objects FortiToken depends on. Each keeps the node ids of its entry and
//! of every attribute it read, for labels and span edits.

use compact_str::CompactString;
use serde::Serialize;

use super::{Model, ScopeId};
use crate::parse::NodeId;

/// One attribute: its decoded first value and the `set` statement it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attr {
    pub node: NodeId,
    /// Inline up to 24 bytes (serials, licences, statuses, names): no allocation for most.
    pub value: CompactString,
}

/// Token families, from the serial number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// `FTKMOB…`: FortiToken Mobile.
    Mobile,
    /// `FTK2…` (FortiToken-200/220/211): a hardware key fob.
    Hardware,
    /// Any other shape (sanitised `FTKMXXXXXXXXXXXX`, future formats).
    Unknown,
}

impl TokenKind {
    pub fn from_serial(serial: &str) -> TokenKind {
        if serial.starts_with("FTKMOB") {
            TokenKind::Mobile
        } else if serial.starts_with("FTK2") {
            TokenKind::Hardware
        } else {
            TokenKind::Unknown
        }
    }
}

/// Where a token stands, derived from what a backup can show (the unit's runtime status,
/// `diagnose fortitoken info`, is not in it; see fortitoken-remediation.md §1–§2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenState {
    /// Untouched: no seed, no activation data, no phone registration ("Available"), whether
    /// or not somebody holds it.
    Available,
    /// Provisioning started: an activation code and expiry, no phone registered yet
    /// ("Pending").
    Pending,
    /// Provisioning started and its deadline has passed with no phone registered: most
    /// likely `provision timeout` (the runtime status confirms it).
    Expired,
    /// A phone app registered (`reg-id` / `os-ver`): "Assigned"/`provisioned`.
    Provisioned,
    /// A seed and no phone registration: an activated hardware token, or a stored seed.
    Seeded,
    /// `set status lock`: an administrator lock (the automatic lock is runtime only).
    Locked,
}

impl TokenState {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenState::Available => "available",
            TokenState::Pending => "pending",
            TokenState::Expired => "expired",
            TokenState::Provisioned => "provisioned",
            TokenState::Seeded => "seeded",
            TokenState::Locked => "locked",
        }
    }
}

/// Who holds a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HolderKind {
    User,
    Admin,
}

/// A user or admin that names a token; `index` points into [`Model::users`] or
/// [`Model::admins`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Holder {
    pub kind: HolderKind,
    pub index: usize,
}

/// A user or admin seen through the two-factor settings they share.
#[derive(Clone, Copy, Debug)]
pub struct HolderView<'m> {
    pub kind: HolderKind,
    pub name: &'m str,
    pub entry: NodeId,
    pub scope: ScopeId,
    pub two_factor: Option<&'m Attr>,
    pub fortitoken: Option<&'m Attr>,
    pub email_to: Option<&'m Attr>,
    pub sms_phone: Option<&'m Attr>,
    /// `set sms-server fortiguard|custom` (absent: FortiGuard).
    pub sms_server: Option<&'m Attr>,
    /// `set sms-custom-server`: a `config system sms-server` entry.
    pub sms_custom_server: Option<&'m Attr>,
}

impl HolderView<'_> {
    /// The table the holder lives in (`user local`, `system admin`).
    pub fn table(&self) -> &'static str {
        match self.kind {
            HolderKind::User => "user local",
            HolderKind::Admin => "system admin",
        }
    }

    /// Object path for findings: `user local/alice`.
    pub fn object(&self) -> String {
        format!("{}/{}", self.table(), self.name)
    }

    /// `user "alice"`, `admin "boss"`.
    pub fn describe(&self) -> String {
        match self.kind {
            HolderKind::User => format!("user \"{}\"", self.name),
            HolderKind::Admin => format!("admin \"{}\"", self.name),
        }
    }

    /// The `set fortitoken` statement, or the `edit` of the holder.
    pub fn token_line(&self) -> NodeId {
        self.fortitoken.map_or(self.entry, |a| a.node)
    }
}

/// One entry of `config user fortitoken`. Attributes most entries lack live in a side box
/// ([`TokenExtra`], read through the accessors), so that a table of a million tokens stays
/// small.
#[derive(Clone, Debug)]
pub struct Token {
    pub serial: CompactString,
    /// The `edit "<serial>"` statement.
    pub entry: NodeId,
    pub scope: ScopeId,
    pub kind: TokenKind,
    pub license: Option<Attr>,
    /// The licence is a free trial (`FTMTRIAL…`).
    pub trial: bool,
    /// The users and admins naming this token (one pointer when there are none).
    pub holders: thin_vec::ThinVec<Holder>,
    extra: Option<Box<TokenExtra>>,
}

/// The attributes of a token entry that most entries do not set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenExtra {
    pub status: Option<Attr>,
    /// The `set seed` statement. The seed itself is a secret and is never read.
    pub seed: Option<NodeId>,
    /// The `set activation-code` statement. The code is a secret and is never read.
    pub activation_code: Option<NodeId>,
    /// `set activation-expire <unix seconds>`; `0` means no pending activation.
    pub activation_expire: Option<(NodeId, u64)>,
    pub reg_id: Option<Attr>,
    pub os_ver: Option<Attr>,
    pub comments: Option<Attr>,
}

/// A token entry that sets none of the rare attributes.
static NO_EXTRA: TokenExtra = TokenExtra {
    status: None,
    seed: None,
    activation_code: None,
    activation_expire: None,
    reg_id: None,
    os_ver: None,
    comments: None,
};

impl Token {
    pub(super) fn read(m: &Model<'_>, scope: ScopeId, entry: NodeId) -> Token {
        let serial = CompactString::from(m.doc.name(entry).as_ref());
        let a = m.attrs(entry);
        // `show full-configuration` prints every default: `''` / `""` is absent.
        let present = |name: &str| a.present(name);
        let license = present("license");
        let expire = present("activation-expire").map(|at| {
            // FortiOS stores 0..=4294967295; anything else is not a deadline.
            let secs = at.value.trim().parse::<u32>().map_or(0, u64::from);
            (at.node, secs)
        });
        let extra = TokenExtra {
            status: present("status"),
            // Secret values are only looked at to tell `''` from a value; never kept.
            seed: present("seed").map(|v| v.node),
            activation_code: present("activation-code").map(|v| v.node),
            activation_expire: expire,
            reg_id: present("reg-id"),
            os_ver: present("os-ver"),
            comments: present("comments"),
        };
        Token {
            kind: TokenKind::from_serial(&serial),
            trial: license
                .as_ref()
                .is_some_and(|l| l.value.starts_with("FTMTRIAL")),
            license,
            holders: thin_vec::ThinVec::new(),
            extra: (extra != NO_EXTRA).then(|| Box::new(extra)),
            serial,
            entry,
            scope,
        }
    }

    /// The attributes most entries lack (all absent when the entry sets none).
    fn extra(&self) -> &TokenExtra {
        self.extra.as_deref().unwrap_or(&NO_EXTRA)
    }

    /// `set status`.
    pub fn status(&self) -> Option<&Attr> {
        self.extra().status.as_ref()
    }

    /// The `set seed` statement (the seed itself is never read).
    pub fn seed(&self) -> Option<NodeId> {
        self.extra().seed
    }

    /// The `set activation-code` statement (the code itself is never read).
    pub fn activation_code(&self) -> Option<NodeId> {
        self.extra().activation_code
    }

    /// `set activation-expire`: its statement and Unix seconds (`0`: nothing pending).
    pub fn activation_expire(&self) -> Option<(NodeId, u64)> {
        self.extra().activation_expire
    }

    /// `set reg-id`: the registration id of the phone that activated the token.
    pub fn reg_id(&self) -> Option<&Attr> {
        self.extra().reg_id.as_ref()
    }

    /// `set os-ver`: the operating system of that phone.
    pub fn os_ver(&self) -> Option<&Attr> {
        self.extra().os_ver.as_ref()
    }

    /// `set comments`.
    pub fn comments(&self) -> Option<&Attr> {
        self.extra().comments.as_ref()
    }

    /// `set status lock`.
    pub fn is_locked(&self) -> bool {
        self.status().is_some_and(|s| s.value == "lock")
    }

    /// Seed, activation code or registration id present.
    pub fn has_activation_data(&self) -> bool {
        self.seed().is_some() || self.activation_code().is_some() || self.reg_id().is_some()
    }

    /// State that FortiGuard bound to the unit that wrote the backup: a seed, a registered
    /// phone (`reg-id`/`os-ver`) or a started provisioning (activation code or expiry).
    pub fn unit_bound(&self) -> bool {
        self.seed().is_some() || self.phone_registered() || self.provisioning_started()
    }

    /// A phone app registered the token (`reg-id` or `os-ver`).
    pub fn phone_registered(&self) -> bool {
        self.reg_id().is_some() || self.os_ver().is_some()
    }

    /// Provisioning started: an activation code or a pending deadline.
    pub fn provisioning_started(&self) -> bool {
        self.activation_code().is_some() || self.expiry().is_some()
    }

    /// A FortiToken-200CD (`FTK211…`): offline, seeds on CD, no lock reset (KB 194435).
    pub fn is_offline_hardware(&self) -> bool {
        self.kind == TokenKind::Hardware && self.serial.starts_with("FTK211")
    }

    /// A purchased licence (named and not a trial).
    pub fn purchased_licence(&self) -> Option<&str> {
        self.license
            .as_ref()
            .filter(|_| !self.trial)
            .map(|l| l.value.as_str())
    }

    /// The activation deadline, when one is pending (`activation-expire` other than 0).
    pub fn expiry(&self) -> Option<u64> {
        self.activation_expire().map(|(_, t)| t).filter(|&t| t != 0)
    }

    /// The activation deadline passed with no phone registered (most likely `provision
    /// timeout`; no `reg-id` is not proof that nobody activated).
    pub fn activation_expired(&self, now: u64) -> bool {
        self.provisioning_started()
            && !self.phone_registered()
            && self.expiry().is_some_and(|t| t < now)
    }

    /// The derived state at time `now` (Unix seconds).
    pub fn state(&self, now: u64) -> TokenState {
        if self.is_locked() {
            TokenState::Locked
        } else if self.phone_registered() {
            TokenState::Provisioned
        } else if self.activation_expired(now) {
            TokenState::Expired
        } else if self.provisioning_started() {
            TokenState::Pending
        } else if self.seed().is_some() {
            TokenState::Seeded
        } else {
            TokenState::Available
        }
    }
}

/// Attributes shared by users and admins: the two-factor settings.
#[derive(Clone, Debug, Default)]
pub struct TwoFactor {
    pub two_factor: Option<Attr>,
    pub fortitoken: Option<Attr>,
    pub email_to: Option<Attr>,
    pub sms_phone: Option<Attr>,
    pub comments: Option<Attr>,
    pub sms_server: Option<Attr>,
    pub sms_custom_server: Option<Attr>,
}

impl TwoFactor {
    fn read(m: &Model<'_>, entry: NodeId) -> TwoFactor {
        let a = m.attrs(entry);
        TwoFactor {
            two_factor: a.get("two-factor"),
            fortitoken: a.get("fortitoken").filter(|t| !t.value.is_empty()),
            email_to: a.get("email-to").filter(|t| !t.value.is_empty()),
            sms_phone: a.get("sms-phone").filter(|t| !t.value.is_empty()),
            comments: a.get("comments"),
            sms_server: a.present("sms-server"),
            sms_custom_server: a.present("sms-custom-server"),
        }
    }
}

/// One entry of `config user local` (per VDOM).
#[derive(Clone, Debug)]
pub struct LocalUser {
    pub name: String,
    pub entry: NodeId,
    pub scope: ScopeId,
    pub status: Option<Attr>,
    pub two_factor: Option<Attr>,
    pub fortitoken: Option<Attr>,
    pub email_to: Option<Attr>,
    pub sms_phone: Option<Attr>,
    pub comments: Option<Attr>,
    /// `set sms-server fortiguard|custom` (absent: FortiGuard).
    pub sms_server: Option<Attr>,
    /// `set sms-custom-server <name>`.
    pub sms_custom_server: Option<Attr>,
    /// `set fabric-object enable|disable` (FortiOS 8.0).
    pub fabric_object: Option<Attr>,
}

impl LocalUser {
    pub(super) fn read(m: &Model<'_>, scope: ScopeId, entry: NodeId) -> LocalUser {
        let tf = TwoFactor::read(m, entry);
        let a = m.attrs(entry);
        LocalUser {
            name: m.doc.name(entry).into_owned(),
            entry,
            scope,
            status: a.get("status"),
            two_factor: tf.two_factor,
            fortitoken: tf.fortitoken,
            email_to: tf.email_to,
            sms_phone: tf.sms_phone,
            comments: tf.comments,
            sms_server: tf.sms_server,
            sms_custom_server: tf.sms_custom_server,
            fabric_object: a.present("fabric-object"),
        }
    }
}

/// One entry of `config system admin` (global).
#[derive(Clone, Debug)]
pub struct Admin {
    pub name: String,
    pub entry: NodeId,
    pub scope: ScopeId,
    pub two_factor: Option<Attr>,
    pub fortitoken: Option<Attr>,
    pub email_to: Option<Attr>,
    pub sms_phone: Option<Attr>,
    pub comments: Option<Attr>,
    /// `set vdom …`: the VDOMs the admin may enter.
    pub vdoms: Vec<String>,
    /// `set accprofile <profile>`.
    pub accprofile: Option<Attr>,
    /// `set sms-server fortiguard|custom` (absent: FortiGuard).
    pub sms_server: Option<Attr>,
    /// `set sms-custom-server <name>`.
    pub sms_custom_server: Option<Attr>,
}

impl Admin {
    pub(super) fn read(m: &Model<'_>, scope: ScopeId, entry: NodeId) -> Admin {
        let tf = TwoFactor::read(m, entry);
        let a = m.attrs(entry);
        Admin {
            name: m.doc.name(entry).into_owned(),
            entry,
            scope,
            two_factor: tf.two_factor,
            fortitoken: tf.fortitoken,
            email_to: tf.email_to,
            sms_phone: tf.sms_phone,
            comments: tf.comments,
            vdoms: a.values("vdom"),
            accprofile: a.present("accprofile"),
            sms_server: tf.sms_server,
            sms_custom_server: tf.sms_custom_server,
        }
    }

    /// `set accprofile "super_admin"`: the built-in profile with every permission.
    pub fn is_super_admin(&self) -> bool {
        self.accprofile
            .as_ref()
            .is_some_and(|p| p.value == "super_admin")
    }
}

/// `config system global`.
#[derive(Clone, Debug)]
pub struct SystemGlobal {
    pub node: NodeId,
    pub hostname: Option<Attr>,
    pub vdom_mode: Option<Attr>,
    /// Seconds a hardware token code is valid (60–600).
    pub two_factor_ftk_expiry: Option<Attr>,
    /// Hours a FortiToken Mobile activation code is valid (1–168, default 72).
    pub two_factor_ftm_expiry: Option<Attr>,
    pub two_factor_email_expiry: Option<Attr>,
    pub two_factor_sms_expiry: Option<Attr>,
    pub two_factor_fac_expiry: Option<Attr>,
    /// `set fortitoken-cloud enable|disable`: FortiToken Cloud as a two-factor method.
    pub fortitoken_cloud: Option<Attr>,
    /// `set private-data-encryption enable|disable`: secrets encrypted with a unit-local key.
    pub private_data_encryption: Option<Attr>,
}

impl SystemGlobal {
    pub(super) fn read(m: &Model<'_>, node: NodeId) -> SystemGlobal {
        let a = m.attrs(node);
        SystemGlobal {
            node,
            hostname: a.get("hostname"),
            vdom_mode: a.get("vdom-mode"),
            two_factor_ftk_expiry: a.get("two-factor-ftk-expiry"),
            two_factor_ftm_expiry: a.get("two-factor-ftm-expiry"),
            two_factor_email_expiry: a.get("two-factor-email-expiry"),
            two_factor_sms_expiry: a.get("two-factor-sms-expiry"),
            two_factor_fac_expiry: a.get("two-factor-fac-expiry"),
            fortitoken_cloud: a.present("fortitoken-cloud"),
            private_data_encryption: a.present("private-data-encryption"),
        }
    }
}

/// `config system central-management`.
#[derive(Clone, Debug)]
pub struct CentralManagement {
    pub node: NodeId,
    pub kind: Option<Attr>,
    pub mode: Option<Attr>,
    pub fmg: Option<Attr>,
    pub serial_number: Option<Attr>,
}

impl CentralManagement {
    pub(super) fn read(m: &Model<'_>, node: NodeId) -> CentralManagement {
        let a = m.attrs(node);
        CentralManagement {
            node,
            kind: a.get("type"),
            mode: a.get("mode"),
            fmg: a.get("fmg"),
            serial_number: a.get("serial-number"),
        }
    }

    /// `type fortimanager`.
    pub fn is_fortimanager(&self) -> bool {
        self.kind
            .as_ref()
            .is_some_and(|k| k.value == "fortimanager")
    }

    /// FortiManager owns the configuration: `type fortimanager` with `mode normal` (the
    /// default, absent from backups). `mode backup` means "manage and configure this
    /// FortiGate locally" (CLI 6.0.6): such a unit is treated as unmanaged.
    pub fn manages_config(&self) -> bool {
        self.is_fortimanager() && self.mode.as_ref().is_none_or(|m| m.value != "backup")
    }
}

/// `config system email-server`.
#[derive(Clone, Debug)]
pub struct EmailServer {
    pub node: NodeId,
    pub kind: Option<Attr>,
    pub server: Option<Attr>,
    pub port: Option<Attr>,
    pub security: Option<Attr>,
    pub authenticate: Option<Attr>,
}

impl EmailServer {
    pub(super) fn read(m: &Model<'_>, node: NodeId) -> EmailServer {
        let a = m.attrs(node);
        EmailServer {
            node,
            kind: a.get("type"),
            server: a.get("server"),
            port: a.get("port"),
            security: a.get("security"),
            authenticate: a.get("authenticate"),
        }
    }
}

/// `config system ftm-push`.
#[derive(Clone, Debug)]
pub struct FtmPush {
    pub node: NodeId,
    pub status: Option<Attr>,
    pub server: Option<Attr>,
    pub server_ip: Option<Attr>,
    pub server_port: Option<Attr>,
    /// `set interface <name>` (7.4+; the push is received on that interface).
    pub interface: Option<Attr>,
    /// `set server-cert <certificate>`.
    pub server_cert: Option<Attr>,
}

impl FtmPush {
    pub(super) fn read(m: &Model<'_>, node: NodeId) -> FtmPush {
        let a = m.attrs(node);
        FtmPush {
            node,
            status: a.get("status"),
            server: a.get("server"),
            server_ip: a.get("server-ip"),
            server_port: a.get("server-port"),
            interface: a.present("interface"),
            server_cert: a.present("server-cert"),
        }
    }

    /// `set status enable` (the default is `disable`).
    pub fn is_enabled(&self) -> bool {
        self.status.as_ref().is_some_and(|s| s.value == "enable")
    }
}

/// `config system ha`.
#[derive(Clone, Debug)]
pub struct Ha {
    pub node: NodeId,
    /// `set mode standalone|a-p|a-a`.
    pub mode: Option<Attr>,
    pub group_name: Option<Attr>,
    pub group_id: Option<Attr>,
}

impl Ha {
    pub(super) fn read(m: &Model<'_>, node: NodeId) -> Ha {
        let a = m.attrs(node);
        Ha {
            node,
            mode: a.present("mode"),
            group_name: a.present("group-name"),
            group_id: a.present("group-id"),
        }
    }

    /// An FGCP cluster: `mode a-p` (active-passive) or `a-a` (active-active).
    pub fn is_cluster(&self) -> bool {
        self.mode
            .as_ref()
            .is_some_and(|m| m.value == "a-p" || m.value == "a-a")
    }
}
