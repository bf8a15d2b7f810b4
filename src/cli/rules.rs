//! `fortilint rules` and `fortilint explain`: the registry, as a table, JSON or one page.

use serde::Serialize;

use super::args::{ExplainArgs, RulesArgs, RulesFormat};
use super::{EXIT_ERROR, print};
use crate::rules::registry::{self, RULES};

#[derive(Serialize)]
struct RuleRow {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    fixable: bool,
    /// `yes`, `no` or `with --token`.
    fix: &'static str,
    migration_only: bool,
    summary: &'static str,
}

fn rows() -> Vec<RuleRow> {
    RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            RuleRow {
                code: m.code,
                name: m.name,
                severity: m.default_severity.as_str(),
                fixable: m.fixable != crate::rules::Fixable::No,
                fix: m.fixable.as_str(),
                migration_only: m.migration_only,
                summary: m.summary,
            }
        })
        .collect()
}

/// The rule table as markdown (also embedded in the README; a test keeps them equal).
pub fn markdown_table() -> String {
    let mut s = String::from(
        "| code | name | default severity | fixable | fires when |\n|---|---|---|---|---|\n",
    );
    for r in rows() {
        s.push_str(&format!(
            "| {} | `{}` | {} | {} | {}{} |\n",
            r.code,
            r.name,
            r.severity,
            r.fix,
            r.summary,
            if r.migration_only {
                " (with `--migration`)"
            } else {
                ""
            }
        ));
    }
    s
}

pub fn list(args: &RulesArgs) -> u8 {
    let out = match args.format {
        RulesFormat::Markdown => markdown_table(),
        RulesFormat::Json => {
            let mut s =
                serde_json::to_string_pretty(&serde_json::json!({ "version": 1, "rules": rows() }))
                    .unwrap_or_default();
            s.push('\n');
            s
        }
        RulesFormat::Table => {
            let rows = rows();
            let w = rows.iter().map(|r| r.name.len()).max().unwrap_or(4);
            let mut s = format!(
                "{:<6}  {:<w$}  {:<8}  {:<12}  SUMMARY\n",
                "CODE", "NAME", "SEVERITY", "FIXABLE"
            );
            for r in rows {
                s.push_str(&format!(
                    "{:<6}  {:<w$}  {:<8}  {:<12}  {}{}\n",
                    r.code,
                    r.name,
                    r.severity,
                    r.fix,
                    r.summary,
                    if r.migration_only {
                        " [--migration]"
                    } else {
                        ""
                    }
                ));
            }
            s
        }
    };
    print(&out);
    0
}

pub fn explain(args: &ExplainArgs) -> u8 {
    match registry::find(args.rule.trim()) {
        Some(r) => {
            print(r.meta().docs);
            0
        }
        None => {
            eprintln!(
                "fortilint: error: no rule `{}`; `fortilint rules` lists them",
                args.rule
            );
            EXIT_ERROR
        }
    }
}
