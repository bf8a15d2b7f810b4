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
