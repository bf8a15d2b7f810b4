//! `check --show-settings`: the settings a run resolves to, which config file each input uses,
//! and where every option came from (command line, config file, default), as ruff's flag of
//! the same name shows them.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory};

use super::args::{Args, CheckArgs};
use super::lint::Session;
use crate::config::RuleLevel;

/// The sub-command matches of this process's own command line, to ask where a value came from.
fn matches() -> Option<ArgMatches> {
    let all = Args::command()
        .try_get_matches_from(std::env::args_os())
        .ok()?;
    all.subcommand_matches("check").cloned()
}

fn source(m: Option<&ArgMatches>, id: &str) -> &'static str {
    match m.and_then(|m| m.value_source(id)) {
        Some(ValueSource::CommandLine) => "command line",
        Some(ValueSource::EnvVariable) => "environment",
        _ => "default",
    }
}

/// The settings report (plain text, one option per line).
pub fn show(args: &CheckArgs, session: &Session) -> String {
    let m = matches();
    let m = m.as_ref();
    let mut out = String::new();
    // Config files and the inputs that use them.
    let mut by_config: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (i, cfg) in session.configs.iter().enumerate() {
        let name = match (&cfg.path, args.rules.isolated) {
            (_, true) => "none (--isolated)".to_owned(),
            (Some(p), false) => p.display().to_string(),
            (None, false) => "none found".to_owned(),
        };
        by_config.entry(name).or_default().push(
            super::inputs::effective_path(session.path(i))
                .display()
                .to_string(),
        );
    }
    out.push_str("Config files:\n");
    if by_config.is_empty() {
        let _ = writeln!(out, "  (no input files)");
    }
    for (cfg, files) in &by_config {
        let via = if args.rules.config.is_some() {
            " (--config)"
        } else {
            ""
        };
        let _ = writeln!(out, "  {cfg}{via}");
        for f in files {
            let _ = writeln!(out, "    {f}");
        }
    }
    out.push_str("\nOptions:\n");
    let mut opt = |name: &str, value: String, src: String| {
        let _ = writeln!(out, "  {name:<16} = {value:<28} ({src})");
    };
    let list = |v: &[String]| {
        if v.is_empty() {
            "[]".to_owned()
        } else {
            format!("[{}]", v.join(", "))
        }
    };
    // migration: command line, else each config file that turns it on.
    let from_cfg: Vec<String> = session
        .configs
        .iter()
        .filter(|c| c.migration)
        .filter_map(|c| c.path.as_ref().map(|p| p.display().to_string()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let (mig, mig_src) = if args.rules.migration {
        (true, "command line".to_owned())
    } else if !from_cfg.is_empty() {
        (true, format!("config file {}", from_cfg.join(", ")))
    } else {
        (false, "default".to_owned())
    };
    opt("migration", mig.to_string(), mig_src);
    opt(
        "select",
        list(&args.rules.select),
        source(m, "select").to_owned(),
    );
    opt(
        "ignore",
        list(&args.rules.ignore),
        source(m, "ignore").to_owned(),
    );
    opt(
        "fail-on",
        format!("{:?}", args.rules.fail_on).to_lowercase(),
        source(m, "fail_on").to_owned(),
    );
    opt(
        "exit-zero",
        args.exit_zero.to_string(),
        source(m, "exit_zero").to_owned(),
    );
    opt(
        "format",
        format!("{:?}", args.format).to_lowercase(),
        source(m, "format").to_owned(),
    );
    opt(
        "now",
        args.input
            .now
            .map_or("current time".to_owned(), super::args::rfc3339),
        source(m, "now").to_owned(),
    );
    opt(
        "baseline",
        args.baseline
            .as_ref()
            .map_or("none".to_owned(), |p| p.display().to_string()),
        source(m, "baseline").to_owned(),
    );
    opt(
        "show-secrets",
        args.rules.show_secrets.to_string(),
        source(m, "show_secrets").to_owned(),
    );
    opt(
        "isolated",
        args.rules.isolated.to_string(),
        source(m, "isolated").to_owned(),
    );
    opt(
        "force-exclude",
        args.input.force_exclude.to_string(),
        source(m, "force_exclude").to_owned(),
    );
    opt(
        "stdin-filename",
        args.input
            .stdin_filename
            .as_ref()
            .map_or("none".to_owned(), |p| p.display().to_string()),
        source(m, "stdin_filename").to_owned(),
    );
    opt(
        "color",
        format!("{:?}", args.input.color).to_lowercase(),
        source(m, "color").to_owned(),
    );
    // Per-rule levels and ignore entries of each config file.
    let mut seen = std::collections::BTreeSet::new();
    for cfg in &session.configs {
        let Some(p) = &cfg.path else { continue };
        if !seen.insert(p.clone()) {
            continue;
        }
        for (code, level) in &cfg.levels {
            let level = match level {
                RuleLevel::Off => "off",
                RuleLevel::Info => "info",
                RuleLevel::Warning => "warning",
                RuleLevel::Error => "error",
            };
            opt(
                &format!("rules.{code}"),
                level.to_owned(),
                format!("config file {}", p.display()),
            );
        }
        for (e, _) in &cfg.ignore {
            let mut what = format!("code {}", e.code);
            for (k, v) in [("token", &e.token), ("user", &e.user), ("path", &e.path)] {
                if let Some(v) = v {
                    let _ = write!(what, ", {k} {v}");
                }
            }
            opt(
                "ignore-entry",
                what,
                format!("config file {}: {}", p.display(), e.reason),
            );
        }
    }
    out
}

/// The options of every command, as the README's markdown table (one row per
/// option, the commands that take it, its help); a test keeps the README equal to it.
pub fn options_table() -> String {
    let cmd = Args::command();
    let mut rows: Vec<(String, Vec<String>, String)> = Vec::new();
    for sub in cmd.get_subcommands() {
        for arg in sub.get_arguments() {
            let id = arg.get_id().as_str();
            if matches!(id, "help" | "version") || arg.is_hide_set() {
                continue;
            }
            let mut name = match (arg.get_long(), arg.get_short()) {
                (Some(l), Some(s)) => format!("`-{s}`, `--{l}`"),
                (Some(l), None) => format!("`--{l}`"),
                (None, _) => {
                    let v = arg
                        .get_value_names()
                        .and_then(|v| v.first())
                        .map_or(id.to_uppercase(), |v| v.to_string());
                    format!("`{v}`")
                }
            };
            if arg.get_long().is_some() && arg.get_action().takes_values() {
                let values: Vec<String> = arg
                    .get_possible_values()
                    .iter()
                    .map(|v| v.get_name().to_owned())
                    .collect();
                if values.is_empty() {
                    let v = arg
                        .get_value_names()
                        .and_then(|v| v.first())
                        .map_or("VALUE".to_owned(), |v| v.to_string());
                    name = name.replace(
                        &format!("--{}`", arg.get_long().unwrap_or_default()),
                        &format!("--{} {v}`", arg.get_long().unwrap_or_default()),
                    );
                } else {
                    name = name.replace(
                        &format!("--{}`", arg.get_long().unwrap_or_default()),
                        &format!(
                            "--{} {}`",
                            arg.get_long().unwrap_or_default(),
                            values.join("|")
                        ),
                    );
                }
            }
            let help = arg
                .get_help()
                .map(|h| h.to_string().replace('|', "\\|").replace('\n', " "))
                .unwrap_or_default();
            let sub_name = sub.get_name().to_owned();
            match rows.iter_mut().find(|(n, _, h)| *n == name && *h == help) {
                Some(row) => row.1.push(sub_name),
                None => rows.push((name, vec![sub_name], help)),
            }
        }
    }
    let mut s = String::from("| option | commands | what it does |\n|---|---|---|\n");
    for (name, cmds, help) in rows {
        let name = name.replace('|', "\\|");
        let _ = writeln!(s, "| {name} | {} | {help} |", cmds.join(", "));
    }
    s
}

/// `fortilint completions SHELL`: the completion script, generated by clap_complete from the
/// same definition the parser uses.
pub fn completions(shell: clap_complete::Shell) -> u8 {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Args::command(), "fortilint", &mut buf);
    super::print(&String::from_utf8_lossy(&buf));
    0
}

/// `fortilint man`: the man page (roff), generated by clap_mangen, with the sub-commands as
/// sections.
pub fn man() -> u8 {
    let cmd = Args::command();
    let mut buf = Vec::new();
    let man = clap_mangen::Man::new(cmd.clone());
    if let Err(e) = man.render(&mut buf) {
        eprintln!(
            "fortilint: error: {}",
            crate::report::escape(&e.to_string())
        );
        return super::EXIT_ERROR;
    }
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("fortilint {}", sub.get_name());
        let text = format!(
            ".SH \"{}\"\n{}\n",
            name.to_uppercase(),
            sub.get_about().map(ToString::to_string).unwrap_or_default()
        );
        buf.extend_from_slice(text.as_bytes());
        let sub = sub.clone();
        let mut opts = Vec::new();
        if clap_mangen::Man::new(sub)
            .render_options_section(&mut opts)
            .is_ok()
        {
            // The options section's own heading is replaced by the sub-command's.
            let opts = String::from_utf8_lossy(&opts).replacen(".SH OPTIONS\n", "", 1);
            buf.extend_from_slice(opts.as_bytes());
        }
    }
    super::print(&String::from_utf8_lossy(&buf));
    0
}
