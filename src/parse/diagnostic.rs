//! Diagnostic output of a FortiGate, line by line, into typed [`Event`]s with their spans:
//! `diagnose fortitoken info`, `get system status`, `get system ha status`, and the
//! `forticldd` / `fortitoken` / alertmail debug messages. Formats and meanings:
//! `shared/docs/fortitoken-remediation.md` §1 (status table) and §8 (debug messages, JSON
//! bodies, which parts are secret).
//!
//! This is the parse stage: it only recognises what a line says. Joining the events to units
//! and tokens is the model's job (`crate::model::evidence`).

use crate::source::Span;

use super::capture;

/// One recognised line (or JSON body) of diagnostic output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The line it was read from (without the line break).
    pub span: Span,
    pub kind: EventKind,
    /// Host name and context of the last prompt before it (`FGT-A`, `root`), if any.
    pub prompt: Option<(String, Option<String>)>,
    /// Secret values on the line (activation codes, seeds, licence activation codes).
    pub secrets: Vec<Span>,
}

/// What a diagnostic line says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// A `diagnose fortitoken info` row.
    TokenStatus {
        serial: String,
        drift: i64,
        status: String,
    },
    /// `Token server status: reachable|unknown|unreachable`.
    TokenServer { status: String },
    /// `"error_code":N,"error_message":"…"` in a FortiCare response.
    ForticareError { code: i64, message: String },
    /// `import fortitoken license error: -7564`.
    LicenceImportError { code: i64 },
    /// A cluster member `"error":"Product is not registered"`.
    ProductNotRegistered,
    /// `SoftToken.PollingResponse` token entry: state and whether a registration id came back.
    Polling {
        token: String,
        state: String,
        registration_id: bool,
    },
    /// `Update REGID for <sn> regid:<id> os_ver:<ver>`.
    RegidUpdate { serial: String, os_ver: String },
    /// `SoftToken.ActivationLicenseRequest` (carries the licence activation code, secret).
    LicenceRequest,
    /// `SoftToken.ProvisionRequest` (carries the seed, secret).
    ProvisionRequest,
    /// `fds_send_reply: send reply failed: …, Connection refused`.
    SendReplyRefused,
    /// `Failed. Forticare: FTM token Activation Code is invalid`.
    ActivationCodeInvalid,
    /// `Failed to send activation code` / `No active token found`.
    ActivationSendFailed { trial: bool },
    /// `input value is invalid` / `no valid token found` outside a JSON body.
    InputInvalid,
    /// `cmdb save error`.
    CmdbSaveError,
    /// `Missing server address. object check operator error, -56`.
    MissingServerAddress,
    /// An alertmail debug line with an activation code (secret).
    AlertmailActivation,
    /// `get system status`: `Version:`, `Serial-Number:`, `Hostname:`, `Current HA mode:`.
    Status { key: StatusKey, value: String },
}

/// The `get system status` / `get system ha status` lines fortilint reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusKey {
    Version,
    Serial,
    Hostname,
    HaMode,
}

impl EventKind {
    /// Short machine name of the event kind (`token-status`, `forticare-error`, …).
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::TokenStatus { .. } => "token-status",
            EventKind::TokenServer { .. } => "token-server",
            EventKind::ForticareError { .. } => "forticare-error",
            EventKind::LicenceImportError { .. } => "licence-import-error",
            EventKind::ProductNotRegistered => "product-not-registered",
            EventKind::Polling { .. } => "polling-response",
            EventKind::RegidUpdate { .. } => "regid-update",
            EventKind::LicenceRequest => "licence-request",
            EventKind::ProvisionRequest => "provision-request",
            EventKind::SendReplyRefused => "send-reply-refused",
            EventKind::ActivationCodeInvalid => "activation-code-invalid",
            EventKind::ActivationSendFailed { .. } => "activation-send-failed",
            EventKind::InputInvalid => "input-invalid",
            EventKind::CmdbSaveError => "cmdb-save-error",
            EventKind::MissingServerAddress => "missing-server-address",
            EventKind::AlertmailActivation => "alertmail-activation-code",
            EventKind::Status { .. } => "system-status",
        }
    }
}

/// JSON keys whose string value is a secret (remediation doc §8).
const SECRET_KEYS: [&str; 4] = [
    "\"license_activation_code\"",
    "\"seed\"",
    "\"activation_code\"",
    "\"code\"",
];

/// Secret values on one line of diagnostic output, as byte ranges of `line`: JSON string
/// values of secret keys, the code after `activation code` in alertmail lines, and the licence
/// code of `execute fortitoken-mobile import`.
pub fn line_secrets(line: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    for key in SECRET_KEYS {
        let mut from = 0;
        while let Some(i) = line[from..].find(key) {
            let after = from + i + key.len();
            let rest = &line[after..];
            let skip = rest.len() - rest.trim_start_matches([' ', ':']).len();
            let v = after + skip;
            if line[v..].starts_with('"') {
                let end = line[v + 1..].find('"').map_or(line.len(), |e| v + 1 + e);
                if end > v + 1 {
                    out.push(v + 1..end);
                }
            }
            from = after;
        }
    }
    let lower = line.to_ascii_lowercase();
    for marker in [
        "activation code:",
        "activation code is:",
        "activation code=",
    ] {
        if let Some(i) = lower.find(marker) {
            let v = i + marker.len();
            let word = line[v..].trim_start();
            let start = line.len() - word.len();
            let end = start + word.find([' ', '\t', ',', '"']).unwrap_or(word.len());
            if end > start {
                out.push(start..end);
            }
        }
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    if let Some(at) = words
        .windows(2)
        .position(|w| w[0].starts_with("fortitoken-m") && w[1] == "import")
        && let Some(code) = words.get(at + 2)
        && let Some(i) = line.rfind(code)
    {
        out.push(i..i + code.len());
    }
    out
}

/// Reads every recognised line in `regions` of `text` (in order). Prompt lines in the regions
/// set the host and context of the events after them.
pub fn read(text: &str, regions: impl IntoIterator<Item = Span>) -> Vec<Event> {
    let mut out = Vec::new();
    let mut prompt: Option<(String, Option<String>)> = None;
    for r in regions {
        let mut pos = r.start as usize;
        for line in text[r.range()].split_inclusive(['\n', '\r']) {
            let start = pos;
            pos += line.len();
            let body = line.trim_end_matches(['\n', '\r']);
            if let Some(p) = prompt_of(body) {
                prompt = Some(p);
                continue;
            }
            let span = Span::new(start, start + body.len());
            for kind in read_line(body) {
                out.push(Event {
                    span,
                    kind,
                    prompt: prompt.clone(),
                    secrets: line_secrets(body)
                        .into_iter()
                        .map(|s| Span::new(start + s.start, start + s.end))
                        .collect(),
                });
            }
        }
    }
    out
}

/// Whether a line of diagnostic output has a shape fortilint reads (its secrets, if any, are
/// where [`line_secrets`] finds them).
pub fn is_known_line(line: &str) -> bool {
    !read_line(line).is_empty()
}

/// Host and context of a prompt line.
fn prompt_of(line: &str) -> Option<(String, Option<String>)> {
    capture::prompt_command(line)?;
    let l = line.trim_start();
    let host_end = l.find([' ', '\t']).unwrap_or(l.len());
    let host = l[..host_end].to_owned();
    let ctx = l[host_end..]
        .trim_start()
        .strip_prefix('(')
        .and_then(|r| r.split_once(')'))
        .map(|(c, _)| c.to_owned());
    Some((host, ctx))
}

/// The value after `"key":` in a JSON-ish line, as a string or a bare number.
fn json_value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let pat = format!("\"{key}\"");
    let i = line.find(&pat)? + pat.len();
    let rest = line[i..].trim_start().strip_prefix(':')?.trim_start();
    if let Some(s) = rest.strip_prefix('"') {
        return Some(&s[..s.find('"')?]);
    }
    let end = rest.find([',', '}', ' ', ']']).unwrap_or(rest.len());
    Some(&rest[..end])
}

/// Every event a line holds (a JSON body may hold a top-level and a per-token error).
fn read_line(line: &str) -> Vec<EventKind> {
    let t = line.trim();
    let mut out = Vec::new();
    if let Some((serial, drift, status)) = capture::token_row(t) {
        out.push(EventKind::TokenStatus {
            serial: serial.to_owned(),
            drift,
            status: status.to_owned(),
        });
        return out;
    }
    if let Some(v) = t.strip_prefix("Token server status:") {
        out.push(EventKind::TokenServer {
            status: v.trim().to_owned(),
        });
        return out;
    }
    for (key, k) in [
        ("Version:", StatusKey::Version),
        ("Serial-Number:", StatusKey::Serial),
        ("Hostname:", StatusKey::Hostname),
        ("Current HA mode:", StatusKey::HaMode),
    ] {
        if let Some(v) = t.strip_prefix(key) {
            out.push(EventKind::Status {
                key: k,
                value: v.trim().to_owned(),
            });
            return out;
        }
    }
    // `get system ha status`: `Mode: HA A-P`.
    if let Some(v) = t.strip_prefix("Mode:").map(str::trim)
        && (v.starts_with("HA ") || v == "standalone")
    {
        out.push(EventKind::Status {
            key: StatusKey::HaMode,
            value: v.to_owned(),
        });
        return out;
    }
    // FortiCare errors: every `"error_code":N` with the message after it.
    let mut from = 0;
    while let Some(i) = t[from..].find("\"error_code\"") {
        let at = from + i;
        let part = &t[at..];
        if let Some(code) = json_value(part, "error_code").and_then(|c| c.parse().ok()) {
            let message = json_value(part, "error_message").unwrap_or("").to_owned();
            if code != 0 {
                out.push(EventKind::ForticareError { code, message });
            }
        }
        from = at + 12;
    }
    if t.contains("\"Product is not registered\"") {
        out.push(EventKind::ProductNotRegistered);
    }
    if let Some(i) = t.find("import fortitoken license error:")
        && let Ok(code) = t[i + 32..].trim().trim_end_matches('.').parse()
    {
        out.push(EventKind::LicenceImportError { code });
    }
    if t.contains("SoftToken.PollingResponse") || t.contains("\"registration_id\"") {
        // One event per token entry of the body.
        for part in t.split("\"token\"").skip(1) {
            let part = format!("\"token\"{part}");
            if let (Some(token), Some(state)) =
                (json_value(&part, "token"), json_value(&part, "state"))
            {
                out.push(EventKind::Polling {
                    token: token.to_owned(),
                    state: state.to_owned(),
                    registration_id: json_value(&part, "registration_id")
                        .is_some_and(|r| !r.is_empty() && r != "null"),
                });
            }
        }
    }
    if let Some(i) = t.find("Update REGID for ") {
        let rest = &t[i + 17..];
        let serial = rest.split_whitespace().next().unwrap_or("").to_owned();
        let os_ver = rest
            .split("os_ver:")
            .nth(1)
            .map(|v| v.split_whitespace().next().unwrap_or("").to_owned())
            .unwrap_or_default();
        out.push(EventKind::RegidUpdate { serial, os_ver });
    }
    if t.contains("SoftToken.ActivationLicenseRequest") {
        out.push(EventKind::LicenceRequest);
    }
    if t.contains("SoftToken.ProvisionRequest") {
        out.push(EventKind::ProvisionRequest);
    }
    if t.contains("send reply failed") && t.contains("Connection refused") {
        out.push(EventKind::SendReplyRefused);
    }
    if t.contains("Activation Code is invalid") {
        out.push(EventKind::ActivationCodeInvalid);
    }
    if t.contains("Failed to send activation code") {
        out.push(EventKind::ActivationSendFailed { trial: false });
    } else if t.contains("No active token found") {
        out.push(EventKind::ActivationSendFailed { trial: true });
    }
    if !t.contains("error_code")
        && (t.contains("input value is invalid") || t.contains("no valid token found"))
    {
        out.push(EventKind::InputInvalid);
    }
    if t.contains("cmdb save error") {
        out.push(EventKind::CmdbSaveError);
    }
    if t.contains("Missing server address") && t.contains("-56") {
        out.push(EventKind::MissingServerAddress);
    }
    let lower = t.to_ascii_lowercase();
    if lower.contains("alertmail") && lower.contains("activation code") {
        out.push(EventKind::AlertmailActivation);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<EventKind> {
        read(text, [Span::new(0, text.len())])
            .into_iter()
            .map(|e| e.kind)
            .collect()
    }

    #[test]
    fn fortitoken_info_table_and_footer() {
        let t = "FORTITOKEN        DRIFT  STATUS\nFTK200XXXXXXXXXX  0      new\nFTK2000BHV1KRZCC  -2     token already activated, and seed won't be returned\n\nTotal activated token: 0\nToken server status: reachable\n";
        assert_eq!(
            kinds(t),
            [
                EventKind::TokenStatus {
                    serial: "FTK200XXXXXXXXXX".into(),
                    drift: 0,
                    status: "new".into()
                },
                EventKind::TokenStatus {
                    serial: "FTK2000BHV1KRZCC".into(),
                    drift: -2,
                    status: "token already activated, and seed won't be returned".into()
                },
                EventKind::TokenServer {
                    status: "reachable".into()
                },
            ]
        );
    }

    #[test]
    fn forticare_bodies_and_messages() {
        let t = r#"{"d":{"__type":"SoftToken.ActivationLicenseResponse","error":{"error_code":14,"error_message":"forticare license expired"}}}"#;
        assert_eq!(
            kinds(t),
            [EventKind::ForticareError {
                code: 14,
                message: "forticare license expired".into()
            }]
        );
        let t = r#"{"tokens":[{"token":"FTKMOB0000000001","license":"x","state":"provisioned","registration_id":"abc","error":null}],"result":2} SoftToken.PollingResponse"#;
        assert_eq!(
            kinds(t),
            [EventKind::Polling {
                token: "FTKMOB0000000001".into(),
                state: "provisioned".into(),
                registration_id: true
            }]
        );
        assert_eq!(
            kinds("fds_send_reply: send reply failed: req-1, Connection refused"),
            [EventKind::SendReplyRefused]
        );
        assert_eq!(
            kinds("Missing server address. object check operator error, -56"),
            [EventKind::MissingServerAddress]
        );
        assert_eq!(
            kinds("Mode: HA A-P"),
            [EventKind::Status {
                key: StatusKey::HaMode,
                value: "HA A-P".into()
            }]
        );
        assert_eq!(
            kinds("import fortitoken license error: -7564"),
            [EventKind::LicenceImportError { code: -7564 }]
        );
    }

    #[test]
    fn secrets_on_debug_lines() {
        let l = r#"{"license_activation_code":"ABCD-EFGH-1234","seed":"0123456789abcdef"}"#;
        let s: Vec<&str> = line_secrets(l).into_iter().map(|r| &l[r]).collect();
        assert_eq!(s, ["ABCD-EFGH-1234", "0123456789abcdef"]);
        let l = "alertmail: sending FortiToken activation code: 1234567890ABCDEF to a@b";
        let s: Vec<&str> = line_secrets(l).into_iter().map(|r| &l[r]).collect();
        assert_eq!(s, ["1234567890ABCDEF"]);
        let l = "FGT # execute fortitoken-mobile import FTMLIC0123456789";
        let s: Vec<&str> = line_secrets(l).into_iter().map(|r| &l[r]).collect();
        assert_eq!(s, ["FTMLIC0123456789"]);
    }
}
