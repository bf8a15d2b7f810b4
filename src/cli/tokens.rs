//! `fortilint tokens`: the token inventory of product.md §4 (table or JSON).

use serde::Serialize;

use super::args::{TokensArgs, TokensFormat};
use super::{EXIT_ERROR, analyse, emit, inputs, load_all, now};
use crate::model::{HolderKind, Model, TokenKind, TokenState};
use crate::report::{self, Report, ReportFile};

#[derive(Serialize)]
struct Inventory<'a> {
    version: u32,
    tokens: Vec<TokenRow<'a>>,
}

#[derive(Serialize)]
struct TokenRow<'a> {
    path: &'a str,
    vdom: Option<&'a str>,
    serial: &'a str,
    kind: TokenKind,
    trial: bool,
    license: Option<&'a str>,
    status: &'a str,
    state: TokenState,
    seeded: bool,
    holders: Vec<HolderRow<'a>>,
    activation_expire: Option<u64>,
}

#[derive(Serialize)]
struct HolderRow<'a> {
    kind: HolderKind,
    name: &'a str,
}

fn rows<'a>(path: &'a str, m: &'a Model<'_>, now: u64) -> Vec<TokenRow<'a>> {
    m.tokens
        .iter()
        .map(|t| TokenRow {
            path,
            vdom: m.vdom(t.scope),
            serial: &t.serial,
            kind: t.kind,
            trial: t.trial,
            license: t.license.as_ref().map(|l| l.value.as_str()),
            status: if t.is_locked() { "lock" } else { "active" },
            state: t.state(now),
            seeded: t.seed.is_some(),
            holders: t
                .holders
                .iter()
                .map(|h| HolderRow {
                    kind: h.kind,
                    name: m.holder_name(h),
                })
                .collect(),
            activation_expire: t.expiry(),
        })
        .collect()
}

pub fn run(args: &TokensArgs) -> u8 {
    let inputs = inputs::discover(&args.input.paths);
    let loaded = load_all(&inputs);
    let (files, models) = analyse(&loaded);
    let now = args.input.now.unwrap_or_else(now);
    let all: Vec<TokenRow<'_>> = files
        .iter()
        .zip(&models)
        .filter_map(|(f, m)| m.as_ref().map(|m| rows(&f.path, m, now)))
        .flatten()
        .collect();
    let out = match args.format {
        TokensFormat::Json => {
            let mut s = serde_json::to_string_pretty(&Inventory {
                version: 1,
                tokens: all,
            })
            .unwrap_or_default();
            s.push('\n');
            s
        }
        TokensFormat::Table => table(&files, &models, &all),
    };
    if let Err(e) = emit(&out, args.output_file.as_deref()) {
        eprintln!("fortilint: error: {e}");
        return EXIT_ERROR;
    }
    report_errors(files)
}

/// Parse and input errors go to stderr in the human format; exit 2 if there were any.
fn report_errors(files: Vec<ReportFile<'_>>) -> u8 {
    let failed: Vec<ReportFile<'_>> = files.into_iter().filter(|f| f.error.is_some()).collect();
    if failed.is_empty() {
        return 0;
    }
    let report = Report {
        files: failed,
        findings: Vec::new(),
        show_secrets: false,
    };
    eprint!("{}", report::human::render_to_string(&report));
    EXIT_ERROR
}

fn table(files: &[ReportFile<'_>], models: &[Option<Model<'_>>], rows: &[TokenRow<'_>]) -> String {
    let mut out = String::new();
    for (f, m) in files.iter().zip(models) {
        let Some(m) = m else { continue };
        let unit = [
            m.header.model.as_deref(),
            m.header.firmware.as_deref(),
            m.hostname(),
        ]
        .iter()
        .flatten()
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
        out.push_str(&format!(
            "{}{}{}\n",
            f.path,
            if unit.is_empty() {
                String::new()
            } else {
                format!(" ({unit})")
            },
            if m.is_multi_vdom() { " multi-VDOM" } else { "" }
        ));
        let mine: Vec<&TokenRow<'_>> = rows.iter().filter(|r| r.path == f.path).collect();
        if mine.is_empty() {
            out.push_str("  no FortiTokens\n\n");
            continue;
        }
        let header = [
            "SERIAL", "VDOM", "KIND", "STATE", "STATUS", "SEEDED", "LICENCE", "EXPIRES", "HOLDERS",
        ];
        let cells: Vec<[String; 9]> = mine
            .iter()
            .map(|r| {
                [
                    r.serial.to_owned(),
                    r.vdom.unwrap_or("-").to_owned(),
                    format!("{:?}", r.kind).to_lowercase(),
                    format!("{:?}", r.state).to_lowercase(),
                    r.status.to_owned(),
                    if r.seeded { "yes" } else { "no" }.to_owned(),
                    match (r.license, r.trial) {
                        (Some(l), true) => format!("{l} (trial)"),
                        (Some(l), false) => l.to_owned(),
                        (None, _) => "-".to_owned(),
                    },
                    r.activation_expire.map_or("-".to_owned(), fmt_time),
                    if r.holders.is_empty() {
                        "-".to_owned()
                    } else {
                        r.holders
                            .iter()
                            .map(|h| {
                                format!(
                                    "{}:{}",
                                    if h.kind == HolderKind::Admin {
                                        "admin"
                                    } else {
                                        "user"
                                    },
                                    h.name
                                )
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    },
                ]
            })
            .collect();
        let mut widths = header.map(str::len);
        for c in &cells {
            for (w, s) in widths.iter_mut().zip(c) {
                *w = (*w).max(s.chars().count());
            }
        }
        let line = |c: &[String]| {
            let mut s = String::from("  ");
            for (i, (cell, w)) in c.iter().zip(widths).enumerate() {
                if i + 1 == c.len() {
                    s.push_str(cell);
                } else {
                    s.push_str(&format!("{cell:<w$}  "));
                }
            }
            s.push('\n');
            s
        };
        out.push_str(&line(&header.map(str::to_owned)));
        for c in &cells {
            out.push_str(&line(c));
        }
        out.push('\n');
    }
    out
}

/// `2023-11-14 22:13 UTC`.
fn fmt_time(secs: u64) -> String {
    let s = super::args::rfc3339(secs);
    match (s.get(..10), s.get(11..16)) {
        (Some(d), Some(t)) => format!("{d} {t} UTC"),
        _ => s,
    }
}
