//! `fortilint.toml`: found upward from each linted file, or given with `--config`. Strict:
//! an unknown key is an error that names it.
//!
//! ```toml
//! migration = true                 # migration-only rules on (FTK001, FTK008, FTK009, FTK020, FTK024): this config moves to another unit
//!
//! [rules]
//! FTK014 = "off"                   # or "error" | "warning" | "info"; code or rule name
//! no-activation-delivery = "error"
//!
//! [[ignore]]
//! code = "FTK003"
//! token = "FTKMOB6549A91140"       # or user = "alice", or path = "branch-*/**.conf"
//! reason = "user on leave, renewed on return"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher};
use serde::Deserialize;

use crate::rules::{Finding, Severity, registry};

/// Per-rule setting in `[rules]`.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    Off,
    Info,
    Warning,
    Error,
}

/// One `[[ignore]]` entry.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreEntry {
    /// Code or code prefix (`FTK003`, `FTK00`).
    pub code: String,
    pub token: Option<String>,
    pub user: Option<String>,
    /// Glob matched against the file path relative to the config file's folder.
    pub path: Option<String>,
    /// Why: required, so that ignores are reviewed.
    pub reason: String,
}

/// The file as written.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub migration: Option<bool>,
    #[serde(default)]
    pub rules: BTreeMap<String, RuleLevel>,
    #[serde(default)]
    pub ignore: Vec<IgnoreEntry>,
}

/// A loaded config with its location and compiled globs.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub migration: bool,
    /// Per code.
    pub levels: BTreeMap<&'static str, RuleLevel>,
    pub ignore: Vec<(IgnoreEntry, Option<GlobMatcher>)>,
}

/// A TOML error without the line it quotes (the "config" may be a backup given by mistake,
/// full of secrets): `path:line:col: message`, and a hint when the file is a FortiOS backup.
fn toml_error(shown: &str, text: &str, e: &toml::de::Error) -> String {
    let at = e.span().map_or(String::new(), |s| {
        let (l, c) = crate::source::byte_line_col(text.as_bytes(), s.start);
        format!(":{l}:{c}")
    });
    let backup = text.lines().take(50).any(|l| {
        let t = l.trim_start();
        t.starts_with("#config-version=") || t.starts_with("config ")
    });
    if backup {
        return format!(
            "{shown}{at}: this is a FortiOS configuration, not a fortilint.toml (give backups as \
             inputs, and --config a TOML file)"
        );
    }
    // The message names what was expected and the key, never the value (serde quotes
    // values in `invalid type: string "…"`).
    let msg = e.message().trim_end();
    let msg = match msg.find(['"', '\'']) {
        Some(i) if msg.starts_with("invalid") => format!("{}…", &msg[..i]),
        _ => msg.to_owned(),
    };
    format!("{shown}{at}: {msg}")
}

/// Config file name.
pub const FILE_NAME: &str = "fortilint.toml";

impl Config {
    /// Reads and validates a config file.
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Config::parse(&text, Some(path))
    }

    pub fn parse(text: &str, path: Option<&Path>) -> Result<Config, String> {
        let shown = path.map_or("<config>".to_owned(), |p| p.display().to_string());
        let raw: ConfigFile = toml::from_str(text).map_err(|e| toml_error(&shown, text, &e))?;
        let mut levels = BTreeMap::new();
        for (key, level) in raw.rules {
            let rule = registry::find(&key).ok_or_else(|| {
                format!("{shown}: unknown rule `{key}` in [rules] (see `fortilint rules`)")
            })?;
            levels.insert(rule.meta().code, level);
        }
        let mut ignore = Vec::new();
        for entry in raw.ignore {
            if !registry::RULES
                .iter()
                .any(|r| r.meta().code.starts_with(&entry.code))
            {
                return Err(format!(
                    "{shown}: [[ignore]] code `{}` matches no rule",
                    entry.code
                ));
            }
            let glob = match &entry.path {
                Some(p) => Some(
                    Glob::new(p)
                        .map_err(|e| format!("{shown}: [[ignore]] path `{p}`: {e}"))?
                        .compile_matcher(),
                ),
                None => None,
            };
            ignore.push((entry, glob));
        }
        Ok(Config {
            path: path.map(Path::to_path_buf),
            migration: raw.migration.unwrap_or(false),
            levels,
            ignore,
        })
    }

    /// The severity to report a finding with, or `None` when the rule is off.
    pub fn severity(&self, f: &Finding) -> Option<Severity> {
        match self.levels.get(f.code) {
            None => Some(f.severity),
            Some(RuleLevel::Off) => None,
            Some(RuleLevel::Info) => Some(Severity::Info),
            Some(RuleLevel::Warning) => Some(Severity::Warning),
            Some(RuleLevel::Error) => Some(Severity::Error),
        }
    }

    /// Whether an `[[ignore]]` entry covers the finding in the file at `file_path`.
    pub fn ignores(&self, f: &Finding, file_path: &Path) -> bool {
        // Compare absolute, normalised paths, whatever the spelling on the command line.
        let abs = |p: &Path| {
            crate::source::normalized(&std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
        };
        let file = abs(file_path);
        let base = self.path.as_deref().and_then(Path::parent).map(abs);
        let rel = base
            .as_deref()
            .and_then(|b| file.strip_prefix(b).ok())
            .unwrap_or(&file);
        self.ignore.iter().any(|(e, glob)| {
            f.code.starts_with(&e.code)
                && e.token.as_ref().is_none_or(|t| f.token.as_ref() == Some(t))
                && e.user.as_ref().is_none_or(|u| f.user.as_ref() == Some(u))
                && glob.as_ref().is_none_or(|g| g.is_match(rel))
        })
    }
}

/// Finds `fortilint.toml` in the folder of `file` or any folder above it.
pub fn discover(file: &Path) -> Option<PathBuf> {
    let start = if file.as_os_str() == "-" {
        std::env::current_dir().ok()?
    } else {
        std::path::absolute(file).ok()?.parent()?.to_path_buf()
    };
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_errors_never_echo_the_line() {
        // A backup given as --config: named as such, located, no line quoted.
        let backup = "#config-version=FGT60F-7.2.8-FW-build1639-240313\nconfig user local\n    edit \"a\"\n        set passwd ENC SECRETVALUE1\n";
        let e = Config::parse(backup, Some(Path::new("b.conf"))).unwrap_err();
        assert!(
            e.starts_with("b.conf:2:") && e.contains("FortiOS configuration"),
            "{e}"
        );
        assert!(
            !e.contains("SECRETVALUE1") && !e.contains("user local"),
            "{e}"
        );
        // A value of the wrong type is not quoted either.
        let e = Config::parse("migration = \"SECRETVALUE2\"\n", None).unwrap_err();
        assert!(
            e.starts_with("<config>:1:") && !e.contains("SECRETVALUE2"),
            "{e}"
        );
        let e = Config::parse("[rules]\nFTK014 = \"loud\"\n", None).unwrap_err();
        assert!(e.starts_with("<config>:2:"), "{e}");
    }

    #[test]
    fn reads_a_full_config() {
        let c = Config::parse(
            "migration = true\n[rules]\nFTK014 = \"off\"\nno-activation-delivery = \"error\"\n\
             [[ignore]]\ncode = \"FTK003\"\ntoken = \"FTKMOB1\"\nreason = \"on leave\"\n",
            None,
        )
        .unwrap();
        assert!(c.migration);
        assert_eq!(c.levels.get("FTK014"), Some(&RuleLevel::Off));
        assert_eq!(c.levels.get("FTK007"), Some(&RuleLevel::Error));
        assert_eq!(c.ignore.len(), 1);
    }

    #[test]
    fn unknown_keys_are_named() {
        let e = Config::parse("migrate = true\n", None).unwrap_err();
        assert!(e.contains("migrate"), "{e}");
        let e = Config::parse("[rules]\nFTK999 = \"off\"\n", None).unwrap_err();
        assert!(e.contains("FTK999"), "{e}");
        let e = Config::parse(
            "[[ignore]]\ncode = \"FTK003\"\nreason = \"x\"\nserial = \"y\"\n",
            None,
        )
        .unwrap_err();
        assert!(e.contains("serial"), "{e}");
        let e = Config::parse("[[ignore]]\ncode = \"FTK003\"\n", None).unwrap_err();
        assert!(e.contains("reason"), "{e}");
    }
}
