//! Session captures: SSH, PuTTY and console logs of a CLI session, `show` outputs pasted into a
//! chat or a markdown file, oxidized/RANCID stored output, debug logs.
//!
//! This module only *classifies lines*; the driver in [`super`] decides what to do with them.
//! A transcript is a sequence of prompts (`FGT-A # `, `FGT-A (root) $ `, `FGT-A (global) # `)
//! each followed by the output of the command typed after it. The output of `show` (and its
//! abbreviations `sh`, `sho`, `sh full`) is configuration and is parsed as such; the output of
//! the diagnostic commands in [`CommandKind::Evidence`] is kept for the evidence reader
//! (`crate::model::evidence`); everything else (PuTTY banners, console login lines, markdown
//! fences, the output of other commands) is recognised and skipped with a note.
//!
//! Formats: `shared/docs/fortios-format.md` §1, §7, §9 (prompts, `--More--`, oxidized
//! preambles) and `shared/docs/fortitoken-remediation.md` §1, §8 (diagnostic outputs).

/// What kind of command was typed at a prompt (or on a line of its own).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommandKind {
    /// `show …` / `sh` / `sh full`: the output is configuration.
    Show,
    /// Configuration typed interactively (`config …`, `conf sys glo`, `edit`, `set`, `end`,
    /// `delete`, …): its output is at most an error message.
    Typed,
    /// A diagnostic command whose output fortilint reads as evidence.
    Evidence(EvidenceCommand),
    /// Any other command (`get system performance status`, `exit`, …).
    Other,
}

/// The diagnostic commands whose output is evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvidenceCommand {
    /// `diagnose fortitoken info [<serial>]`.
    FortitokenInfo,
    /// `get system status`.
    SystemStatus,
    /// `get system ha status` / `diagnose sys ha status`.
    HaStatus,
    /// `diagnose debug …` (forticldd, fortitoken, alertmail, fnbamd debug output).
    Debug,
    /// `execute fortitoken …` / `execute fortitoken-mobile …` (their error messages).
    ExecuteFortitoken,
}

/// Why a line outside configuration output was skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Noise {
    /// `=~=~=~=~=~=~=~=~=~=~=~= PuTTY log 2024.01.02 10:11:12 =~=~=~=~=~=~=~=~=~=~=~=`.
    Banner,
    /// `FGT-A login: admin`, `Password:`, `Welcome!`, `Last login: …`.
    Login,
    /// A markdown code fence (```` ``` ````, ```` ```text ````, `~~~`).
    Fence,
    /// A command typed without a prompt, abbreviated (`sh`, `sh full`, `diag fortitoken info`).
    Command(CommandKind),
    /// A line of the output of a diagnostic command (`diagnose fortitoken info` rows, `Key:
    /// value` lines of `get system status`, debug lines, JSON bodies).
    Output,
}

impl Noise {
    /// What the note about the skipped line says.
    pub fn describe(self) -> &'static str {
        match self {
            Noise::Banner => "session log banner",
            Noise::Login => "console login line",
            Noise::Fence => "markdown code fence",
            Noise::Command(_) => "command line",
            Noise::Output => "command output",
        }
    }
}

/// The full CLI commands a typed word may abbreviate (FortiOS accepts any unique prefix).
const COMMANDS: [&str; 21] = [
    "show", "config", "get", "diagnose", "execute", "edit", "set", "unset", "next", "end", "abort",
    "delete", "rename", "move", "purge", "clone", "append", "select", "unselect", "clear", "exit",
];

/// Verbs of the grammar's `script_stmt`.
const SCRIPT_VERBS: [&str; 14] = [
    "delete", "rename", "move", "append", "select", "unselect", "purge", "clone", "clear", "abort",
    "execute", "diagnose", "get", "show",
];

/// Statement keywords, which a host name in a prompt cannot be.
const KEYWORDS: [&str; 6] = ["config", "edit", "set", "unset", "next", "end"];

/// The full command a (possibly abbreviated) first word stands for: the only command in
/// the command list it is a prefix of. `sh` → `show`, `conf` → `config`, `diag` → `diagnose`.
pub fn expand(word: &str) -> Option<&'static str> {
    if word.is_empty() {
        return None;
    }
    if let Some(c) = COMMANDS.iter().find(|c| **c == word) {
        return Some(c);
    }
    let mut hits = COMMANDS.iter().filter(|c| c.starts_with(word));
    let first = hits.next()?;
    // `e` could be edit, end, execute, exit: ambiguous. FortiOS also takes `sh` for `show`
    // although `shutdown` exists on some builds; `sh` is how everyone writes it.
    if hits.next().is_some() {
        return None;
    }
    Some(first)
}

/// Whether the typed words abbreviate `full` word by word (`diag fortitoken info` for
/// `diagnose fortitoken info`). Every word must be a prefix of at least two characters (or
/// the whole word).
fn abbreviates(words: &[&str], full: &[&str]) -> bool {
    words.len() >= full.len()
        && words.iter().zip(full).all(|(w, f)| {
            let w = w.to_ascii_lowercase();
            f.starts_with(&w) && (w.len() >= 2 || w.len() == f.len())
        })
}

/// Classifies a command line (without the prompt).
pub fn command_kind(command: &str) -> CommandKind {
    let words: Vec<&str> = command.split_whitespace().collect();
    let Some(first) = words.first() else {
        return CommandKind::Other;
    };
    let Some(verb) = expand(&first.to_ascii_lowercase()) else {
        return CommandKind::Other;
    };
    match verb {
        "show" => CommandKind::Show,
        "get" | "diagnose" | "execute" => {
            let w: Vec<&str> = std::iter::once(verb)
                .chain(words.iter().skip(1).copied())
                .collect();
            if abbreviates(&w, &["diagnose", "fortitoken", "info"]) {
                CommandKind::Evidence(EvidenceCommand::FortitokenInfo)
            } else if abbreviates(&w, &["get", "system", "status"]) {
                CommandKind::Evidence(EvidenceCommand::SystemStatus)
            } else if abbreviates(&w, &["get", "system", "ha", "status"])
                || abbreviates(&w, &["diagnose", "sys", "ha", "status"])
            {
                CommandKind::Evidence(EvidenceCommand::HaStatus)
            } else if abbreviates(&w, &["diagnose", "debug"]) {
                CommandKind::Evidence(EvidenceCommand::Debug)
            } else if abbreviates(&w, &["execute", "fortitoken"])
                || abbreviates(&w, &["execute", "fortitoken-mobile"])
            {
                CommandKind::Evidence(EvidenceCommand::ExecuteFortitoken)
            } else {
                CommandKind::Other
            }
        }
        "exit" => CommandKind::Other,
        _ => CommandKind::Typed,
    }
}

/// If `line` (without its terminator) is a CLI prompt, the command typed after it (empty when
/// none). Mirrors the grammar's `prompt` rule: `host[ (context)] # [command]` or with `$`.
pub fn prompt_command(line: &str) -> Option<&str> {
    let l = line.trim_start_matches([' ', '\t']);
    let host_len = l
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.'))
        .unwrap_or(l.len());
    if host_len == 0 || KEYWORDS.contains(&&l[..host_len]) {
        return None;
    }
    let mut rest = &l[host_len..];
    if let Some(r) = rest.strip_prefix(" (") {
        let close = r.find(')')?;
        rest = &r[close + 1..];
    }
    let rest = rest.strip_prefix(' ')?;
    let rest = rest.strip_prefix(['#', '$'])?;
    if rest.trim_matches([' ', '\t']).is_empty() {
        return Some("");
    }
    Some(rest.strip_prefix(' ')?.trim())
}

/// Classifies a line that did not parse as a statement, or that lies outside configuration
/// output. `None`: not recognised (a real syntax error when it sits inside configuration).
pub fn classify(line: &str) -> Option<Noise> {
    let t = line.trim_matches([' ', '\t', '\r', '\n']);
    if t.is_empty() {
        return None;
    }
    // A line that starts like a statement is a statement, broken or not.
    let first = t.split_whitespace().next().unwrap_or("");
    if KEYWORDS.contains(&first) || SCRIPT_VERBS.contains(&first) {
        return None;
    }
    if t.starts_with("=~=~=~=") {
        return Some(Noise::Banner);
    }
    if t.starts_with("```") || t.starts_with("~~~") {
        return Some(Noise::Fence);
    }
    if is_login(t) {
        return Some(Noise::Login);
    }
    if is_output(t) {
        return Some(Noise::Output);
    }
    // A command typed without a prompt, abbreviated (exact keywords parse as statements).
    if first.len() >= 2
        && first.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        && expand(first).is_some_and(|full| full != first)
    {
        return Some(Noise::Command(command_kind(t)));
    }
    None
}

fn is_login(t: &str) -> bool {
    if t == "Welcome!" || t.starts_with("Last login:") || t == "Password:" {
        return true;
    }
    // `FGT-A login: admin` / `login: admin`.
    if let Some((host, _)) = t.split_once(" login:") {
        return !host.contains(' ');
    }
    t.starts_with("login:")
}

/// Markers of FortiToken / FortiCare debug output (remediation doc §8).
const DEBUG_MARKERS: [&str; 17] = [
    "fds_send_reply",
    "Forticare",
    "FortiCare",
    "forticare",
    "SoftToken",
    "Update REGID",
    "error_code",
    "cmdb save error",
    "object check operator error",
    "Failed to send activation code",
    "Activation Code",
    "activation code",
    "forticldd",
    "fortitoken",
    "FortiToken",
    "alertmail",
    "__FTM",
];

/// A line of diagnostic or debug output.
fn is_output(t: &str) -> bool {
    // `diagnose fortitoken info`: the column header and `<serial> <drift> <status>` rows.
    if t.starts_with("FORTITOKEN") && t.contains("DRIFT") {
        return true;
    }
    if token_row(t).is_some() {
        return true;
    }
    if t.starts_with(['{', '}', '[', ']']) {
        return true;
    }
    if DEBUG_MARKERS.iter().any(|m| t.contains(m)) {
        return true;
    }
    // `Key: value` lines (`get system status`, `Total activated token: 0`, `Token server
    // status: reachable`): a key of words, then a colon and a blank or the end of the line.
    if let Some((key, val)) = t.split_once(':') {
        let key_ok = !key.is_empty()
            && key.len() <= 48
            && key.starts_with(|c: char| c.is_ascii_alphabetic())
            && key.bytes().all(|b| {
                b.is_ascii_alphanumeric()
                    || matches!(b, b' ' | b'-' | b'_' | b'.' | b'/' | b'(' | b')')
            })
            && !KEYWORDS.contains(&key.split(' ').next().unwrap_or(""));
        if key_ok && (val.is_empty() || val.starts_with([' ', '\t'])) {
            return true;
        }
    }
    false
}

/// A `diagnose fortitoken info` row: serial, drift (an integer), then the status (the rest of
/// the line, spaces, commas, parentheses and apostrophes included).
pub fn token_row(t: &str) -> Option<(&str, i64, &str)> {
    let t = t.trim();
    let (serial, rest) = t.split_once([' ', '\t'])?;
    let ok = serial.len() >= 10
        && serial.starts_with("FTK")
        && serial.bytes().all(|b| b.is_ascii_alphanumeric());
    if !ok {
        return None;
    }
    let rest = rest.trim_start();
    let (drift, status) = rest.split_once([' ', '\t']).unwrap_or((rest, ""));
    let drift: i64 = drift.parse().ok()?;
    let status = status.trim();
    (!status.is_empty()).then_some((serial, drift, status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_with_and_without_context() {
        assert_eq!(prompt_command("FGT-A # show"), Some("show"));
        assert_eq!(prompt_command("FGT-A (root) # "), Some(""));
        assert_eq!(
            prompt_command("FGT-A (global) $ get system status"),
            Some("get system status")
        );
        assert_eq!(prompt_command("FG_VM-Demo $ sh full"), Some("sh full"));
        assert_eq!(prompt_command("FGT60F #"), Some(""));
        assert_eq!(prompt_command("end #x"), None);
        assert_eq!(prompt_command("    set x y"), None);
        assert_eq!(prompt_command("config system global"), None);
    }

    #[test]
    fn commands_and_abbreviations() {
        assert_eq!(command_kind("sh"), CommandKind::Show);
        assert_eq!(command_kind("sh full"), CommandKind::Show);
        assert_eq!(command_kind("show full-configuration"), CommandKind::Show);
        assert_eq!(command_kind("conf sys glo"), CommandKind::Typed);
        assert_eq!(command_kind("end"), CommandKind::Typed);
        assert_eq!(
            command_kind("diag fortitoken info"),
            CommandKind::Evidence(EvidenceCommand::FortitokenInfo)
        );
        assert_eq!(
            command_kind("get sys stat"),
            CommandKind::Evidence(EvidenceCommand::SystemStatus)
        );
        assert_eq!(
            command_kind("diagnose debug application forticldd -1"),
            CommandKind::Evidence(EvidenceCommand::Debug)
        );
        assert_eq!(
            command_kind("get system ha status"),
            CommandKind::Evidence(EvidenceCommand::HaStatus)
        );
        assert_eq!(
            command_kind("get system performance status"),
            CommandKind::Other
        );
        assert_eq!(command_kind("e"), CommandKind::Other);
        assert_eq!(expand("sh"), Some("show"));
        assert_eq!(expand("e"), None);
    }

    #[test]
    fn noise_lines() {
        assert_eq!(
            classify(
                "=~=~=~=~=~=~=~=~=~=~=~= PuTTY log 2024.01.02 10:11:12 =~=~=~=~=~=~=~=~=~=~=~="
            ),
            Some(Noise::Banner)
        );
        assert_eq!(classify("FGT-A login: admin"), Some(Noise::Login));
        assert_eq!(classify("Password: "), Some(Noise::Login));
        assert_eq!(classify("Welcome!"), Some(Noise::Login));
        assert_eq!(classify("```text"), Some(Noise::Fence));
        assert_eq!(
            classify("Version: FortiGate-60F v7.2.8,build1639,240313 (GA.M)"),
            Some(Noise::Output)
        );
        assert_eq!(
            classify(
                "FTK2000BHV1KRZCC  0      token already activated, and seed won't be returned"
            ),
            Some(Noise::Output)
        );
        assert_eq!(classify("sh full"), Some(Noise::Command(CommandKind::Show)));
        assert_eq!(
            classify("conf sys glo"),
            Some(Noise::Command(CommandKind::Typed))
        );
        assert_eq!(classify("frobnicate now"), None);
        assert_eq!(classify("set: x"), None);
        assert_eq!(classify("    set comments \"fortitoken"), None);
        assert_eq!(
            token_row("FTKMOB4B94972FBA  0      provisioned"),
            Some(("FTKMOB4B94972FBA", 0, "provisioned"))
        );
        assert_eq!(token_row("FTKMOB4B94972FBA  x  provisioned"), None);
    }
}
