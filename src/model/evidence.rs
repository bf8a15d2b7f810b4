//! Runtime evidence: what the unit itself reported, joined to units and tokens.
//!
//! Evidence comes from the diagnostic output in a session capture (the same file as the
//! configuration) or from separate files given with `--evidence`. Events
//! ([`crate::parse::diagnostic`]) are grouped per unit: a unit is known by its serial
//! (`get system status`, a `"serial_number"` in a FortiCare body), its host name (`Hostname:`,
//! the prompt) or, when a source names no unit at all, it is the one unit of that source.
//!
//! The remediation plan asks two questions, answered by [`UnitEvidence::token_status`] ("what
//! does the unit say about this token in this VDOM?", to delete a seeded hardware token only
//! when the unit reports an error for it) and [`UnitEvidence::serials_with_status`] ("which
//! tokens are `new` in this VDOM?", the new trial serials after a re-import).

use serde::Serialize;

use crate::parse::diagnostic::{self, Event, EventKind, StatusKey};
use crate::source::{LineIndex, Span};

/// Where a piece of evidence was read: `path:line`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub path: String,
    pub line: usize,
    /// Byte span of the line in its source.
    #[serde(skip)]
    pub span: Span,
}

impl std::fmt::Display for Origin {
    /// `path:line`, or `line N` for evidence in the backup's own file (empty path).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "line {}", self.line)
        } else {
            write!(f, "{}:{}", self.path, self.line)
        }
    }
}

/// A runtime token status from `diagnose fortitoken info` (remediation doc §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuntimeStatus {
    New,
    Active,
    Provisioning,
    Provisioned,
    ProvisionTimeout,
    /// `token already activated, and seed won't be returned`: hardware token locked by FDS.
    AlreadyActivated,
    Locked,
    /// `activation error (token not exist in FortiGuard)`.
    NotInFortiguard,
    /// A status this version of fortilint does not know (kept verbatim in `raw`).
    Other,
}

impl RuntimeStatus {
    /// Reads the status column (the rest of the row).
    pub fn parse(s: &str) -> RuntimeStatus {
        let s = s.trim().to_ascii_lowercase();
        match s.as_str() {
            "new" => RuntimeStatus::New,
            "active" => RuntimeStatus::Active,
            "provisioning" => RuntimeStatus::Provisioning,
            "provisioned" => RuntimeStatus::Provisioned,
            "provision timeout" => RuntimeStatus::ProvisionTimeout,
            "locked" => RuntimeStatus::Locked,
            _ if s.starts_with("token already activated") => RuntimeStatus::AlreadyActivated,
            _ if s.starts_with("activation error") => RuntimeStatus::NotInFortiguard,
            _ => RuntimeStatus::Other,
        }
    }

    /// Statuses the admin guide shows as "Error" in the GUI.
    pub fn is_error(self) -> bool {
        matches!(
            self,
            RuntimeStatus::AlreadyActivated | RuntimeStatus::NotInFortiguard
        )
    }
}

/// One `diagnose fortitoken info` row, placed in a VDOM when the prompt said which.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TokenStatus {
    pub serial: String,
    /// The VDOM from the prompt context (`FGT-A (root) #`); `None` when unknown.
    pub vdom: Option<String>,
    pub drift: i64,
    pub status: RuntimeStatus,
    /// The status text as printed.
    pub raw: String,
    pub origin: Origin,
}

/// Any other event, with where it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub kind: EventKind,
    pub origin: Origin,
}

/// Everything known about one unit at run time.
#[derive(Clone, Debug, Default)]
pub struct UnitEvidence {
    pub serial: Option<String>,
    pub hostname: Option<String>,
    /// `Version:` of `get system status` (`FortiGate-60F v7.2.8,build1639,240313 (GA.M)`).
    pub version: Option<String>,
    /// `Current HA mode:` (`standalone`, `a-p, primary`, …).
    pub ha_mode: Option<String>,
    /// Token rows, in the order read (a later capture of the same token comes later).
    pub tokens: Vec<TokenStatus>,
    /// `Token server status:` values, in order.
    pub token_server: Vec<(String, Origin)>,
    /// Every other event (FortiCare errors, provisioning, debug messages).
    pub events: Vec<Located>,
}

impl UnitEvidence {
    /// The latest status the unit reported for `serial` in `vdom` (`None` = any VDOM; a row
    /// whose VDOM is unknown matches every VDOM).
    pub fn token_status(&self, vdom: Option<&str>, serial: &str) -> Option<&TokenStatus> {
        self.tokens.iter().rev().find(|t| {
            t.serial == serial && (vdom.is_none() || t.vdom.is_none() || t.vdom.as_deref() == vdom)
        })
    }

    /// Serials whose latest status in `vdom` is `status` (e.g. the `new` trial tokens after a
    /// re-import), in the order first seen.
    pub fn serials_with_status(&self, vdom: Option<&str>, status: RuntimeStatus) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for t in &self.tokens {
            if out.contains(&t.serial.as_str()) {
                continue;
            }
            if self
                .token_status(vdom, &t.serial)
                .is_some_and(|latest| latest.status == status)
                && (vdom.is_none() || t.vdom.is_none() || t.vdom.as_deref() == vdom)
            {
                out.push(&t.serial);
            }
        }
        out
    }

    /// The last `Token server status:` read, if any.
    pub fn token_server(&self) -> Option<&(String, Origin)> {
        self.token_server.last()
    }

    /// Events of one kind name ([`EventKind::name`]).
    pub fn events_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Located> + 's {
        self.events.iter().filter(move |e| e.kind.name() == name)
    }

    fn is_empty(&self) -> bool {
        self.tokens.is_empty() && self.token_server.is_empty() && self.events.is_empty()
    }

    fn absorb(&mut self, other: UnitEvidence) {
        if self.serial.is_none() {
            self.serial = other.serial;
        }
        if self.hostname.is_none() {
            self.hostname = other.hostname;
        }
        if self.version.is_none() {
            self.version = other.version;
        }
        if self.ha_mode.is_none() {
            self.ha_mode = other.ha_mode;
        }
        self.tokens.extend(other.tokens);
        self.token_server.extend(other.token_server);
        self.events.extend(other.events);
    }
}

/// How a backup names its unit, to find its evidence.
#[derive(Clone, Copy, Debug, Default)]
pub struct UnitRef<'a> {
    pub serial: Option<&'a str>,
    pub hostname: Option<&'a str>,
}

/// Runtime evidence of one or more units.
#[derive(Clone, Debug, Default)]
pub struct Evidence {
    pub units: Vec<UnitEvidence>,
}

impl Evidence {
    /// Reads the events of one source. `path` is how origins name it.
    pub fn from_events(path: &str, text: &str, events: Vec<Event>) -> Evidence {
        let lines = LineIndex::new(text);
        let mut ev = Evidence::default();
        // Events are grouped per unit as they come: a new serial or host name starts (or
        // returns to) another unit.
        let mut current = UnitEvidence::default();
        for e in events {
            let origin = Origin {
                path: path.to_owned(),
                line: lines.line_col(text, e.span.start as usize).0,
                span: e.span,
            };
            let host = e.prompt.as_ref().map(|p| p.0.clone());
            let vdom = e
                .prompt
                .as_ref()
                .and_then(|p| p.1.clone())
                .filter(|c| c != "global" && c != "vdom");
            if let Some(h) = &host
                && current.hostname.as_ref().is_some_and(|c| c != h)
            {
                ev.add(std::mem::take(&mut current));
            }
            if current.hostname.is_none() {
                current.hostname = host;
            }
            match e.kind {
                EventKind::Status { key, value } => match key {
                    StatusKey::Serial => {
                        if current.serial.as_ref().is_some_and(|s| *s != value) {
                            ev.add(std::mem::take(&mut current));
                        }
                        current.serial = Some(value);
                    }
                    StatusKey::Hostname => {
                        if current.hostname.is_none() {
                            current.hostname = Some(value);
                        }
                    }
                    StatusKey::Version => current.version = Some(value),
                    StatusKey::HaMode => current.ha_mode = Some(value),
                },
                EventKind::TokenStatus {
                    serial,
                    drift,
                    status,
                } => current.tokens.push(TokenStatus {
                    serial,
                    vdom,
                    drift,
                    status: RuntimeStatus::parse(&status),
                    raw: status,
                    origin,
                }),
                EventKind::TokenServer { status } => current.token_server.push((status, origin)),
                kind => current.events.push(Located { kind, origin }),
            }
        }
        ev.add(current);
        ev
    }

    /// Evidence from a whole file of diagnostic output (`--evidence FILE`, `explain-log`).
    pub fn from_text(path: &str, text: &str) -> Evidence {
        let events = diagnostic::read(text, [Span::new(0, text.len())]);
        Evidence::from_events(path, text, events)
    }

    /// Adds a unit, merged with a known unit of the same serial or host name.
    fn add(&mut self, u: UnitEvidence) {
        if u.is_empty() && u.serial.is_none() {
            return;
        }
        let same = self.units.iter_mut().find(|k| {
            (u.serial.is_some() && k.serial == u.serial)
                || (u.serial.is_none() || k.serial.is_none())
                    && u.hostname.is_some()
                    && k.hostname == u.hostname
        });
        match same {
            Some(k) => k.absorb(u),
            None => self.units.push(u),
        }
    }

    /// Adds every unit of `other`.
    pub fn merge(&mut self, other: Evidence) {
        for u in other.units {
            self.add(u);
        }
    }

    /// The unit a backup belongs to: same serial, else same host name, else the only unit
    /// when neither side names one that differs.
    pub fn unit_for(&self, serial: Option<&str>, hostname: Option<&str>) -> Option<&UnitEvidence> {
        if let Some(s) = serial
            && let Some(u) = self.units.iter().find(|u| u.serial.as_deref() == Some(s))
        {
            return Some(u);
        }
        if let Some(h) = hostname
            && let Some(u) = self.units.iter().find(|u| {
                u.hostname.as_deref() == Some(h) && (serial.is_none() || u.serial.is_none())
            })
        {
            return Some(u);
        }
        match self.units.as_slice() {
            [only] => {
                let serial_differs = serial.is_some() && only.serial.is_some();
                let host_differs = hostname.is_some()
                    && only.hostname.is_some()
                    && only.hostname.as_deref() != hostname;
                (!serial_differs && !host_differs).then_some(only)
            }
            _ => None,
        }
    }

    /// The status the unit named by `unit` reported for `serial` in `vdom` (see
    /// [`Evidence::unit_for`] and [`UnitEvidence::token_status`]).
    pub fn token_status(
        &self,
        unit: UnitRef<'_>,
        vdom: Option<&str>,
        serial: &str,
    ) -> Option<&TokenStatus> {
        self.unit_for(unit.serial, unit.hostname)?
            .token_status(vdom, serial)
    }

    /// Serials with `status` in `vdom` across every unit (see
    /// [`UnitEvidence::serials_with_status`]).
    pub fn serials_with_status(&self, vdom: Option<&str>, status: RuntimeStatus) -> Vec<&str> {
        self.units
            .iter()
            .flat_map(|u| u.serials_with_status(vdom, status))
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }
}

/// What an event means and what to do about it, with the Fortinet source
/// (`shared/docs/fortitoken-remediation.md` §1, §3, §8).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// One line naming the event (`FortiCare error 14: forticare license expired`).
    pub title: String,
    pub meaning: &'static str,
    pub cause: &'static str,
    pub next_step: &'static str,
    /// The source: KB number or guide, and its URL.
    pub source: &'static str,
}

const KB_194508: &str = "KB 194508 FortiToken basic troubleshooting, https://community.fortinet.com/t5/FortiToken/Technical-Note-FortiToken-basic-troubleshooting/ta-p/194508";
const KB_194364: &str = "KB 194364 Fix Licensed Mobile Token with Error/Locked, https://community.fortinet.com/t5/FortiGate/Technical-Note-Fix-Licensed-Mobile-Token-with-Error-Locked/ta-p/194364";
const KB_232153: &str = "KB 232153 Hard Token error: token already activated, and seed won't be returned, https://community.fortinet.com/t5/FortiGate/Technical-Tip-Hard-Token-error-token-already-activated-and-seed/ta-p/232153";
const KB_308115: &str = "KB 308115 FortiToken error message token does not belong to product, https://community.fortinet.com/t5/Customer-Service/Troubleshooting-Tip-FortiToken-error-message-token-does-not/ta-p/308115 (also KB 424201)";
const KB_241195: &str = "KB 241195 Error message Failed. Forticare: FTM token Activation Code is invalid, https://community.fortinet.com/t5/FortiGate/Troubleshooting-Tip-Error-message-Failed-Forticare-FTM-token/ta-p/241195";
const KB_312027: &str = "KB 312027 FortiToken email activation via FortiGate, https://community.fortinet.com/t5/FortiGate/Technical-Tip-FortiToken-email-activation-via-FortiGate-shows/ta-p/312027 (trial: KB 276480)";
const KB_190171: &str = "KB 190171 Restoring an accidentally deleted trial or licensed FortiToken Mobile, https://community.fortinet.com/t5/FortiGate/Technical-Tip-Restoring-an-accidentally-deleted-trial-or/ta-p/190171";
const KB_222475: &str = "KB 222475 Activating hardware FortiTokens using the seed file, https://community.fortinet.com/fortigate-3/technical-tip-activating-hardware-fortitokens-using-the-seed-file-222475";
const KB_195578: &str = "KB 195578 FortiToken Mobile push notification, https://community.fortinet.com/t5/FortiGate/Technical-Tip-FortiToken-mobile-push-notification/ta-p/195578";
const KB_276480: &str = "KB 276480 Get FortiToken Mobile activation code when activation email is not received, https://community.fortinet.com/t5/FortiGate/Troubleshooting-Tip-Get-FortiToken-Mobile-activation-code-when/ta-p/276480";
const ADMIN_GUIDE: &str = "FortiOS 7.2.4 admin guide, FortiToken troubleshooting and diagnosis; FortiToken 8.0 guide (KB 232153 for the output format)";

/// The meaning, likely cause and documented next step of an event.
pub fn explain(kind: &EventKind) -> Explanation {
    let e = |title: String,
             meaning: &'static str,
             cause: &'static str,
             next_step: &'static str,
             source: &'static str| Explanation {
        title,
        meaning,
        cause,
        next_step,
        source,
    };
    match kind {
        EventKind::TokenStatus {
            serial,
            drift,
            status,
        } => {
            let title = format!("token {serial}: {status} (drift {drift})");
            match RuntimeStatus::parse(status) {
                RuntimeStatus::New => e(
                    title,
                    "added to the unit, not assigned and not activated (GUI: Available)",
                    "nothing wrong: the token waits for its first use",
                    "FortiToken Mobile: assign it to a user or admin; hardware token: activate it (`execute fortitoken activate <serial>`)",
                    ADMIN_GUIDE,
                ),
                RuntimeStatus::Active => e(
                    title,
                    "hardware token assigned (GUI: Assigned)",
                    "normal state",
                    "none",
                    ADMIN_GUIDE,
                ),
                RuntimeStatus::Provisioning => e(
                    title,
                    "FortiToken Mobile waiting to be activated in the app (GUI: Pending)",
                    "the user has not scanned or entered the activation code yet",
                    "wait; if the activation mail or SMS was lost, send it again (`execute fortitoken-mobile provision <serial>`)",
                    ADMIN_GUIDE,
                ),
                RuntimeStatus::Provisioned => e(
                    title,
                    "FortiToken Mobile activated in the app (GUI: Assigned)",
                    "normal state",
                    "none",
                    ADMIN_GUIDE,
                ),
                RuntimeStatus::ProvisionTimeout => e(
                    title,
                    "the token was not activated in the app in time and needs to be re-provisioned",
                    "the activation code expired (default 72 h) before the user activated the token",
                    "re-provision it: `execute fortitoken-mobile provision <serial>` (not `renew`), or disable and re-enable two-factor with the same token",
                    KB_194364,
                ),
                RuntimeStatus::AlreadyActivated => e(
                    title,
                    "hardware token already activated on another device and locked by FortiGuard (FDS): the seed is not returned",
                    "the token was activated on another unit before (RMA, replacement, clone, lab unit)",
                    "open a TAC ticket to reset the activation lock (FTK-200/220), then activate the token once on this unit; enable debug first, there is one chance to catch an error",
                    KB_232153,
                ),
                RuntimeStatus::Locked => e(
                    title,
                    "the token is locked: its holder cannot authenticate",
                    "`set status lock`, or locked automatically when it was unassigned while the FortiToken Mobile provisioning server was unreachable",
                    "check FortiGuard reachability; licensed FortiToken Mobile: `execute fortitoken-mobile renew <serial>`; otherwise delete it and import it again",
                    KB_194364,
                ),
                RuntimeStatus::NotInFortiguard => e(
                    title,
                    "the unit had no contact with the FortiGuard server when it checked the token",
                    "FortiGuard unreachable from the unit (DNS, routing, firewall, proxy)",
                    "fix FortiGuard reachability and check again; Fortinet support needs the token serial and the FortiGate serial",
                    ADMIN_GUIDE,
                ),
                RuntimeStatus::Other => e(
                    title,
                    "a status fortilint does not know",
                    "unknown",
                    "compare with the GUI (User & Authentication > FortiTokens) and the FortiOS admin guide",
                    ADMIN_GUIDE,
                ),
            }
        }
        EventKind::TokenServer { status } => {
            let title = format!("token server status: {status}");
            match status.as_str() {
                "reachable" => e(
                    title,
                    "the unit reaches the FortiToken provisioning server",
                    "normal state",
                    "none",
                    ADMIN_GUIDE,
                ),
                _ => e(
                    title,
                    "the unit does not reach (or has not yet reached) the FortiToken provisioning server: activation, provisioning and licence import will fail",
                    "no FortiGuard connectivity (DNS, routing, firewall, proxy) or the unit has not tried yet (`unknown`)",
                    "fix FortiGuard reachability first (`diagnose debug application forticldd -1`, `execute ping fds1.fortinet.com`) before any token activation or import",
                    KB_194508,
                ),
            }
        }
        EventKind::ForticareError { code, message } => {
            let title = format!("FortiCare error {code}: {message}");
            match code {
                14 => e(
                    title,
                    "the FortiToken licence activation code has expired",
                    "the licence code was not redeemed in time (or expired)",
                    "get a new licence code from Fortinet (sales or customer service), then import it",
                    KB_194508,
                ),
                10 => e(
                    title,
                    "FortiCare does not know this licence activation code",
                    "a typo in the code, or a code that was never issued for FortiToken Mobile",
                    "check the code on the licence certificate and import it again; contact customer service if it is right",
                    KB_194508,
                ),
                31 | 17 => e(
                    title,
                    "the tokens of this licence are registered to another product serial",
                    "the configuration was moved to another unit (RMA, replacement), or an HA licence was imported on a secondary",
                    "run the import on the HA primary; after a move, ask Fortinet customer service to transfer the licence to the new serial",
                    KB_308115,
                ),
                _ => e(
                    title,
                    "FortiCare refused the request",
                    "see the error message",
                    "enable `diagnose debug application forticldd -1` and contact Fortinet support with the message",
                    KB_194508,
                ),
            }
        }
        EventKind::LicenceImportError { code } => e(
            format!("import fortitoken license error: {code}"),
            "FortiGate could not import the FortiToken Mobile licence",
            "usually FortiCare error 14: the licence code expired or was never redeemed in time",
            "get a new licence code, then import it again",
            KB_194508,
        ),
        EventKind::ProductNotRegistered => e(
            "cluster member: Product is not registered".to_owned(),
            "an HA member's serial is not registered for this licence",
            "licence registered to another serial (HA licence on a secondary, moved configuration)",
            "register the member in FortiCare, or run the import on the registered primary",
            KB_308115,
        ),
        EventKind::Polling {
            token,
            state,
            registration_id,
        } => e(
            format!(
                "token {token}: provisioning state {state}{}",
                if *registration_id {
                    ", registration id received"
                } else {
                    ""
                }
            ),
            "FortiCare reports the state of a FortiToken Mobile provisioning",
            "the app activated the token (`provisioned`) or has not yet",
            "none when `provisioned`; otherwise wait for the user or re-provision",
            KB_194508,
        ),
        EventKind::RegidUpdate { serial, os_ver } => e(
            format!("token {serial}: push registration id updated (app {os_ver})"),
            "the unit stored the app's push registration id for the token",
            "the app was activated or reinstalled",
            "none",
            KB_195578,
        ),
        EventKind::LicenceRequest => e(
            "FortiCare licence activation request".to_owned(),
            "the unit asks FortiCare to import a FortiToken Mobile licence; the body carries the licence activation code (secret, masked)",
            "a licence import (`execute fortitoken-mobile import`)",
            "read the response below it for an error code",
            KB_194508,
        ),
        EventKind::ProvisionRequest => e(
            "FortiCare provisioning request".to_owned(),
            "the unit sends a token to FortiCare for provisioning; the body carries the token seed (secret, masked)",
            "a token was assigned or re-provisioned",
            "read the polling response for the result",
            KB_194508,
        ),
        EventKind::SendReplyRefused => e(
            "fds_send_reply: connection refused".to_owned(),
            "the unit could not reach FortiGuard",
            "no FortiGuard connectivity (DNS, routing, firewall, proxy)",
            "fix FortiGuard reachability before activating, provisioning or importing tokens",
            KB_194508,
        ),
        EventKind::ActivationCodeInvalid => e(
            "Forticare: FTM token Activation Code is invalid".to_owned(),
            "FortiCare refused the token activation",
            "the token was already activated, e.g. on a second phone",
            "re-provision the token (`execute fortitoken-mobile provision <serial>`) and activate it on one phone",
            KB_241195,
        ),
        EventKind::ActivationSendFailed { trial } => e(
            if *trial {
                "No active token found".to_owned()
            } else {
                "Failed to send activation code".to_owned()
            },
            "the activation mail or SMS was not sent",
            "a mail or SMS failure, or the token is already activated: \"The activation code cannot be sent for already activated Tokens\"",
            "check `config system email-server` and the user's email-to / sms-phone; for an activated token, re-provision instead",
            KB_312027,
        ),
        EventKind::InputInvalid => e(
            "input value is invalid / no valid token found".to_owned(),
            "the unit refused the token operation",
            "a half-deleted trial token pair, or a licence that was not imported again",
            "delete the remaining trial tokens and restore them as documented, or import the licence again",
            KB_190171,
        ),
        EventKind::CmdbSaveError => e(
            "cmdb save error".to_owned(),
            "activating a hardware token by serial failed while saving the configuration",
            "FortiOS bug 1218458 on 7.4.11 and 7.6.3-7.6.6",
            "upgrade to 7.4.12, 7.6.7 or 8.0.0, or activate with the seed file",
            KB_222475,
        ),
        EventKind::MissingServerAddress => e(
            "Missing server address. object check operator error, -56".to_owned(),
            "the FortiToken Mobile push server setting was refused",
            "`config system ftm-push` `set server-ip` on FortiOS 6.4.10 and later",
            "use `set server` (FQDN or address) instead of `server-ip`",
            KB_195578,
        ),
        EventKind::AlertmailActivation => e(
            "alertmail: activation code sent".to_owned(),
            "the activation mail debug line shows the token activation code, which activates the token (secret, masked)",
            "alertmail debug on FortiOS before 7.6.3",
            "treat the log as secret; if it was shared, re-provision the token",
            KB_276480,
        ),
        EventKind::Status { key, value } => {
            let (name, meaning) = match key {
                StatusKey::Version => ("firmware", "the unit's model and firmware"),
                StatusKey::Serial => (
                    "serial",
                    "the unit's serial number (joins evidence to backups)",
                ),
                StatusKey::Hostname => (
                    "host name",
                    "the unit's host name (joins evidence to backups)",
                ),
                StatusKey::HaMode => (
                    "HA mode",
                    "the unit's HA mode: run licence imports on the primary",
                ),
            };
            e(
                format!("{name}: {value}"),
                meaning,
                "get system status",
                "none",
                ADMIN_GUIDE,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_UNITS: &str = "FGT-A # get system status\nVersion: FortiGate-60F v7.2.8,build1639,240313 (GA.M)\nSerial-Number: FGT60FTK20000001\nHostname: FGT-A\n\nFGT-A (root) # diagnose fortitoken info\nFORTITOKEN        DRIFT  STATUS\nFTKMOB4B94972FBA  0      provision timeout\nFTK200AAAAAAAAAA  0      new\n\nToken server status: reachable\nFGT-B # diagnose fortitoken info\nFORTITOKEN        DRIFT  STATUS\nFTKMOB4B94972FBA  0      provisioned\nToken server status: unreachable\n";

    #[test]
    fn events_are_joined_to_units_by_prompt_and_serial() {
        let ev = Evidence::from_text("cap.log", TWO_UNITS);
        assert_eq!(ev.units.len(), 2);
        let a = ev.unit_for(Some("FGT60FTK20000001"), None).unwrap();
        assert_eq!(a.hostname.as_deref(), Some("FGT-A"));
        let t = a.token_status(Some("root"), "FTKMOB4B94972FBA").unwrap();
        assert_eq!(t.status, RuntimeStatus::ProvisionTimeout);
        assert_eq!(t.origin.to_string(), "cap.log:8");
        assert!(a.token_status(Some("other"), "FTKMOB4B94972FBA").is_none());
        assert_eq!(
            a.serials_with_status(Some("root"), RuntimeStatus::New),
            ["FTK200AAAAAAAAAA"]
        );
        let b = ev.unit_for(None, Some("FGT-B")).unwrap();
        assert_eq!(
            b.token_status(None, "FTKMOB4B94972FBA").unwrap().status,
            RuntimeStatus::Provisioned
        );
        assert_eq!(b.token_server().unwrap().0, "unreachable");
        // A backup of a third unit gets no evidence.
        assert!(
            ev.unit_for(Some("FGT60FTK29999999"), Some("FGT-C"))
                .is_none()
        );
    }

    #[test]
    fn an_anonymous_log_belongs_to_the_only_unit() {
        let ev = Evidence::from_text(
            "debug.log",
            "[forticldd] fds_send_reply: send reply failed: req-1, Connection refused\n",
        );
        assert!(
            ev.unit_for(Some("FGT60FTK20000001"), Some("FGT-A"))
                .is_some()
        );
        assert_eq!(ev.units[0].events.len(), 1);
    }

    #[test]
    fn statuses_parse() {
        assert_eq!(
            RuntimeStatus::parse("token already activated, and seed won't be returned"),
            RuntimeStatus::AlreadyActivated
        );
        assert_eq!(
            RuntimeStatus::parse("activation error (token not exist in FortiGuard)"),
            RuntimeStatus::NotInFortiguard
        );
        assert_eq!(
            RuntimeStatus::parse("Provision Timeout"),
            RuntimeStatus::ProvisionTimeout
        );
        assert_eq!(RuntimeStatus::parse("weird"), RuntimeStatus::Other);
    }
}
