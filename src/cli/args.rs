//! The command line as clap sees it (the "low" layer): this only mirrors the flags.
//! [`super::lint`] and the commands turn it into decisions once (the "high" layer).

use std::path::PathBuf;

use clap::{Args as ClapArgs, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  usage error, unreadable input, or a file that could not be parsed
     (the other files are still linted and reported)";

/// Linter and repair tool for FortiOS (FortiGate) configuration backups, focused on
/// FortiToken two-factor authentication.
#[derive(Debug, Parser)]
#[command(name = "fortilint", version, about, after_help = AFTER_HELP, propagate_version = true)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint backups and report findings.
    #[command(after_help = AFTER_HELP)]
    Check(CheckArgs),
    /// Remediation: a FortiOS CLI script, a diff, or the backup rewritten in place.
    #[command(after_help = AFTER_HELP)]
    Fix(FixArgs),
    /// Per-token action table: serial, unit, VDOM, kind, state, holders, findings, planned action.
    #[command(after_help = AFTER_HELP)]
    Tokens(TokensArgs),
    /// List every rule: code, name, default severity, fixable.
    Rules(RulesArgs),
    /// Print the documentation page of a rule.
    Explain(ExplainArgs),
    /// Explain FortiToken debug logs and session captures: per event, its meaning, the likely
    /// cause and the documented next step.
    ExplainLog(ExplainLogArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Print the man page (roff) of fortilint.
    Man,
}

#[derive(Debug, ClapArgs)]
pub struct ExplainLogArgs {
    /// Debug logs or session captures to read.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainLogFormat::Human)]
    pub format: ExplainLogFormat,

    /// Print activation codes, seeds and licence activation codes instead of masking them.
    #[arg(long)]
    pub show_secrets: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExplainLogFormat {
    Human,
    Json,
}

#[derive(Debug, ClapArgs)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, ClapArgs)]
pub struct RulesArgs {
    /// Output format (`markdown` is the README's rule table).
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, ClapArgs)]
pub struct ExplainArgs {
    /// Rule code (`FTK002`) or name (`duplicate-reg-id`).
    #[arg(value_name = "CODE|NAME")]
    pub rule: String,
}

impl Command {
    /// The input options of commands that read backups.
    pub fn input(&self) -> Option<&InputArgs> {
        match self {
            Command::Check(a) => Some(&a.input),
            Command::Fix(a) => Some(&a.input),
            Command::Tokens(a) => Some(&a.input),
            Command::Rules(_)
            | Command::Explain(_)
            | Command::ExplainLog(_)
            | Command::Completions(_)
            | Command::Man => None,
        }
    }
}

/// Options shared by the commands that read backups.
#[derive(Debug, ClapArgs)]
pub struct InputArgs {
    /// Files or directories to read (`-` reads standard input).
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// The clock for expiry rules: Unix seconds or an RFC 3339 time [default: now].
    #[arg(long, value_name = "TIME", value_parser = parse_now)]
    pub now: Option<u64>,

    /// When to use colours (`NO_COLOR` is honoured by `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Never show the progress bar (it appears on stderr, on a terminal, for long runs only).
    #[arg(long)]
    pub no_progress: bool,

    /// Runtime evidence for the backups: session captures or debug logs with `diagnose
    /// fortitoken info`, `get system status` or FortiCare debug output (repeatable). Joined
    /// to each backup by serial, host name, or as the only unit.
    #[arg(long, value_name = "FILE")]
    pub evidence: Vec<PathBuf>,

    /// The path standard input (`-`) stands for: its config file, `[[ignore]]` paths and the
    /// name shown in reports.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,

    /// Apply the directory filters (extension, `.gitignore`) to files named on the command
    /// line too, as a pre-commit hook wants.
    #[arg(long)]
    pub force_exclude: bool,
}

/// Options that decide which rules run and how findings count.
#[derive(Debug, ClapArgs)]
pub struct RuleArgs {
    /// This config has been or will be restored on another unit (enables the migration-only rules, see `fortilint rules`).
    #[arg(long)]
    pub migration: bool,

    /// Only these rules: code prefixes or names, comma-separated (`FTK00,token-on-several-units`).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub select: Vec<String>,

    /// Skip these rules: code prefixes or names, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub ignore: Vec<String>,

    /// Use this config file instead of the `fortilint.toml` found upward from each file.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Ignore every config file (`fortilint.toml`): command-line options only.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,

    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,

    /// Print secret values (seeds, activation codes, ENC values, keys) instead of masking them.
    #[arg(long)]
    pub show_secrets: bool,
}

#[derive(Debug, ClapArgs)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub rules: RuleArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,

    /// Print only findings, no closing summary line.
    #[arg(long, short)]
    pub quiet: bool,

    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record the current findings as the baseline in FILE (keyed by path, VDOM, object and
    /// code, not by line, so re-exported backups still match).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Also read the backups under DIR (walked like a folder argument) for the cross-file rule
    /// FTK012, without linting them: a pre-commit hook sees only the staged files, this lets
    /// it compare them with every other backup of the repository.
    #[arg(long, value_name = "DIR")]
    pub repo_context: Vec<PathBuf>,

    /// Exit 0 even with findings (still 2 when an input could not be read or parsed).
    #[arg(long)]
    pub exit_zero: bool,

    /// Print the resolved settings (config file, options and where each came from) and exit.
    #[arg(long)]
    pub show_settings: bool,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output_file: Option<PathBuf>,

    /// Print the number of findings per rule instead of the findings.
    #[arg(long)]
    pub statistics: bool,
}

#[derive(Debug, ClapArgs)]
pub struct FixArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub rules: RuleArgs,

    /// Write the remediation script to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub script: Option<PathBuf>,

    /// Print a unified diff of each backup as it will be after the script.
    #[arg(long)]
    pub diff: bool,

    /// Rewrite each backup in place as it will be after the script (atomic; files that did
    /// not parse are never touched).
    #[arg(long)]
    pub write: bool,

    /// Limit the plan to these token serials (repeat or comma-separate). Also the way to
    /// choose which tokens of a shared phone registration (FTK002) to re-provision.
    #[arg(long, value_delimiter = ',', value_name = "SERIAL")]
    pub token: Vec<String>,

    /// What to print: the staged CLI `script`, or the `plan` as a markdown runbook.
    #[arg(long, value_enum, default_value_t = FixFormat::Script)]
    pub format: FixFormat,

    /// Print only stage N of the script (0 pre-flight, 1 unassign/delete, 2 import/activate,
    /// 3 reassign users, 4 reassign admins), with the header.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=4))]
    pub stage: Option<u8>,

    /// Write one script per unit into DIR (`<hostname-or-file>.fortilint-fix.txt`, or
    /// `.fortilint-plan.md` with `--format plan`).
    #[arg(long, value_name = "DIR", conflicts_with = "script")]
    pub out_dir: Option<PathBuf>,

    /// Let the plan touch admins even when no super_admin would keep working two-factor
    /// (the admin stage still comes last, after verification).
    #[arg(long)]
    pub allow_admin_lockout_risk: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FixFormat {
    /// The staged FortiOS CLI script.
    Script,
    /// The same plan as a markdown runbook for people.
    Plan,
}

#[derive(Debug, ClapArgs)]
pub struct TokensArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub rules: RuleArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = TokensFormat::Table)]
    pub format: TokensFormat,

    /// Write the inventory to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output_file: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Concise,
    Json,
    Sarif,
    Github,
    /// GitLab Code Quality report (JSON).
    Gitlab,
    /// JUnit XML: one test case per file.
    Junit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TokensFormat {
    Table,
    Json,
    Csv,
    /// One self-contained page (no network), readable when printed.
    Html,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

impl FailOn {
    /// The lowest severity that fails the run.
    pub fn severity(self) -> crate::rules::Severity {
        match self {
            FailOn::Error => crate::rules::Severity::Error,
            FailOn::Warning => crate::rules::Severity::Warning,
            FailOn::Info => crate::rules::Severity::Info,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Latest accepted `--now`: 9999-12-31T23:59:59Z.
pub const MAX_NOW: u64 = 253_402_300_799;

/// `--now`: Unix seconds, an RFC 3339 date-time with `Z` or an offset
/// (`2024-05-01T12:00:00+02:00`, fractions allowed), or a date (`2024-05-01`, midnight UTC).
pub fn parse_now(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let secs = match t.parse::<u64>() {
        Ok(n) => n,
        Err(_) => {
            let ts = match t.parse::<jiff::Timestamp>() {
                Ok(ts) => ts,
                Err(e) => match t.parse::<jiff::civil::Date>() {
                    Ok(d) if t.len() == 10 => jiff::tz::TimeZone::UTC
                        .to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
                        .map_err(|e| e.to_string())?,
                    _ => {
                        return Err(format!(
                            "expected Unix seconds or an RFC 3339 time \
                             (2024-05-01T12:00:00Z, 2024-05-01T14:00:00+02:00): {e}"
                        ));
                    }
                },
            };
            u64::try_from(ts.as_second()).map_err(|_| "time before 1970".to_owned())?
        }
    };
    if secs > MAX_NOW {
        return Err("time after the year 9999".to_owned());
    }
    Ok(secs)
}

/// `2023-11-14T22:13:20Z` for Unix seconds up to [`MAX_NOW`]; the plain number beyond.
pub fn rfc3339(secs: u64) -> String {
    if secs > MAX_NOW {
        return secs.to_string();
    }
    humantime::format_rfc3339_seconds(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_app() {
        Args::command().debug_assert();
    }

    #[test]
    fn now_accepts_unix_and_rfc3339() {
        assert_eq!(parse_now("1700000000"), Ok(1_700_000_000));
        assert_eq!(parse_now("2023-11-14T22:13:20Z"), Ok(1_700_000_000));
        assert_eq!(parse_now("2023-11-15T00:13:20+02:00"), Ok(1_700_000_000));
        assert_eq!(parse_now("2023-11-14T17:13:20.5-05:00"), Ok(1_700_000_000));
        assert_eq!(parse_now("2023-11-14"), Ok(1_699_920_000));
        assert!(parse_now("1969-12-31T23:59:59Z").is_err());
        assert!(parse_now("yesterday").is_err());
        assert!(parse_now("99999999999999").is_err());
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(rfc3339(u64::MAX), u64::MAX.to_string());
    }
}
