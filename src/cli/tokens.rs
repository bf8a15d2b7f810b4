//! `fortilint tokens`: the token inventory of product.md §4 as a per-token action table:
//! serial, unit, VDOM, kind, state, holders with their delivery channel, the findings about
//! the token and what the remediation plan does with it, and totals (tokens to re-issue,
//! holders to notify, support tickets to open). Formats: table, JSON, CSV, HTML (one
//! self-contained page, no network, readable when printed).

use std::collections::HashMap;

use serde::Serialize;

use super::args::{TokensArgs, TokensFormat};
use super::lint::Session;
use super::{EXIT_ERROR, analyse, emit, now};
use crate::model::{HolderKind, Model, TokenKind, TokenState};
use crate::report::{self, Report, ReportFile};
use crate::rules::Finding;

#[derive(Serialize)]
struct Inventory<'a> {
    version: u32,
    tokens: Vec<TokenRow<'a>>,
    totals: Totals,
}

#[derive(Serialize)]
struct TokenRow<'a> {
    path: &'a str,
    /// The unit: host name, else model.
    unit: Option<&'a str>,
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
    /// Codes of the findings about this token, sorted.
    findings: Vec<&'static str>,
    /// What the remediation plan does with it (`none` when nothing).
    action: String,
    #[serde(skip)]
    action_kind: Option<ActionKind>,
}

#[derive(Serialize)]
struct HolderRow<'a> {
    kind: HolderKind,
    name: &'a str,
    /// How a new activation reaches the holder: `email`, `sms`, `email+sms` or `none`.
    delivery: &'static str,
}

/// What the migration owner has to do, counted.
#[derive(Clone, Copy, Default, Serialize)]
struct Totals {
    /// Tokens deleted and re-imported (a licence, a trial pair).
    tokens_to_reissue: usize,
    /// Tokens re-provisioned in place (expired activation, a phone chosen with `--token`).
    tokens_to_reprovision: usize,
    /// Holders who receive a new activation (of a re-issued or renewed token).
    holders_to_notify: usize,
    /// Fortinet support tickets that may be needed: activation-lock checks of hardware tokens.
    tickets_to_open: usize,
}

/// What the plan does with a token, in kind and in words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ActionKind {
    /// Deleted and re-imported (licence or trial pair).
    Reissue,
    /// Re-provisioned in place.
    Reprovision,
    /// Hardware: a runtime check, maybe a TAC ticket.
    HardwareCheck,
    /// Hardware: activated once, or its seed file imported.
    HardwareActivate,
}

/// The planned action for each token of one file, by index in [`Model::tokens`].
/// This is the one place that reads the remediation plan ([`crate::fix::plan::Plan`]).
fn planned_actions(
    model: &Model<'_>,
    file: usize,
    findings: &[Finding],
) -> HashMap<usize, (ActionKind, String)> {
    use crate::fix::plan::{HardwareKind, Plan, PlanOptions, ProvisionWhy, Reimport};
    let plan = Plan::build(model, file, findings, &PlanOptions::default());
    let mut out = HashMap::new();
    for g in &plan.groups {
        for &i in &g.tokens {
            let what = match &g.how {
                Reimport::HardwareReAdd => {
                    "re-add: the unit reports an error; delete, re-add without activation (KB 194508 5a), reassign"
                        .to_owned()
                }
                Reimport::TrialPair => {
                    "re-issue: delete both, import the trial pair, reassign by the NEW serials"
                        .to_owned()
                }
                Reimport::Licence(l) => format!(
                    "re-issue: delete, import licence {} (new code from Customer Service), reassign",
                    l.as_deref().unwrap_or("(activation code)")
                ),
            };
            out.insert(i, (ActionKind::Reissue, what));
        }
    }
    for p in &plan.provisions {
        let what = match p.why {
            ProvisionWhy::Expired => "re-provision: activation expired",
            ProvisionWhy::SharedPhone => "re-provision to its own holder",
        };
        out.insert(p.token, (ActionKind::Reprovision, what.to_owned()));
    }
    for h in &plan.hardware {
        let (kind, what) = match h.kind {
            HardwareKind::LockCheck => (
                ActionKind::HardwareCheck,
                "check status; TAC lock reset only if locked, then one activation",
            ),
            HardwareKind::Activate => (ActionKind::HardwareActivate, "activate once, debug on"),
            HardwareKind::SeedFile => (ActionKind::HardwareActivate, "import its seed file (CD)"),
        };
        out.insert(h.token, (kind, what.to_owned()));
    }
    out
}

fn delivery(m: &Model<'_>, h: &crate::model::Holder) -> &'static str {
    let v = m.holder(h);
    match (v.email_to.is_some(), v.sms_phone.is_some()) {
        (true, true) => "email+sms",
        (true, false) => "email",
        (false, true) => "sms",
        (false, false) => "none",
    }
}

fn rows<'a>(
    path: &'a str,
    file: usize,
    m: &'a Model<'_>,
    findings: &[Finding],
    now: u64,
) -> Vec<TokenRow<'a>> {
    let actions = planned_actions(m, file, findings);
    let unit = m.hostname().or(m.header.model.as_deref());
    m.tokens
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let vdom = m.vdom(t.scope);
            let mut codes: Vec<&'static str> = findings
                .iter()
                .filter(|f| {
                    f.primary.file == file
                        && f.token.as_deref() == Some(t.serial.as_str())
                        && f.vdom.as_deref() == vdom
                })
                .map(|f| f.code)
                .collect();
            codes.sort_unstable();
            codes.dedup();
            let (kind, action) = match actions.get(&i) {
                Some((k, a)) => (Some(*k), a.clone()),
                None if codes.is_empty() => (None, "none".to_owned()),
                None => (None, "advice only: see `fortilint explain`".to_owned()),
            };
            TokenRow {
                path,
                unit,
                vdom,
                serial: &t.serial,
                kind: t.kind,
                trial: t.trial,
                license: t.license.as_ref().map(|l| l.value.as_str()),
                status: if t.is_locked() { "lock" } else { "active" },
                state: t.state(now),
                seeded: t.seed().is_some(),
                holders: t
                    .holders
                    .iter()
                    .map(|h| HolderRow {
                        kind: h.kind,
                        name: m.holder_name(h),
                        delivery: delivery(m, h),
                    })
                    .collect(),
                activation_expire: t.expiry(),
                findings: codes,
                action,
                action_kind: kind,
            }
        })
        .collect()
}

fn totals(rows: &[TokenRow<'_>]) -> Totals {
    let mut t = Totals::default();
    let mut notify = std::collections::BTreeSet::new();
    for r in rows {
        let acts = matches!(
            r.action_kind,
            Some(ActionKind::Reissue | ActionKind::Reprovision)
        );
        match r.action_kind {
            Some(ActionKind::Reissue) => t.tokens_to_reissue += 1,
            Some(ActionKind::Reprovision) => t.tokens_to_reprovision += 1,
            _ => {}
        }
        if acts {
            for h in &r.holders {
                notify.insert((r.path, r.vdom, h.kind == HolderKind::Admin, h.name));
            }
        }
        if r.action_kind == Some(ActionKind::HardwareCheck) {
            t.tickets_to_open += 1;
        }
    }
    t.holders_to_notify = notify.len();
    t
}

pub fn run(args: &TokensArgs) -> u8 {
    let session = match Session::open(&args.input.paths, &args.rules) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("fortilint: error: {}", report::escape(&e));
            return EXIT_ERROR;
        }
    };
    let (files, models) = analyse(&session.loaded);
    let now = args.input.now.unwrap_or_else(now);
    let findings = session.findings(&models, &args.rules, now);
    let all: Vec<TokenRow<'_>> = files
        .iter()
        .zip(&models)
        .enumerate()
        .filter_map(|(i, (f, m))| m.as_ref().map(|m| rows(&f.path, i, m, &findings, now)))
        .flatten()
        .collect();
    let totals = totals(&all);
    let out = match args.format {
        TokensFormat::Json => {
            let mut s = serde_json::to_string_pretty(&Inventory {
                version: 1,
                tokens: all,
                totals,
            })
            .unwrap_or_default();
            s.push('\n');
            s
        }
        TokensFormat::Table => table(&files, &models, &all, totals),
        TokensFormat::Csv => csv(&all),
        TokensFormat::Html => html(&files, &models, &all, totals, now),
    };
    if let Err(e) = emit(&out, args.output_file.as_deref()) {
        eprintln!("fortilint: error: {}", report::escape(&e));
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

fn kind_word(k: TokenKind) -> String {
    format!("{k:?}").to_lowercase()
}

fn state_word(r: &TokenRow<'_>) -> String {
    // The derived state already says `locked` for `set status lock`.
    r.state.as_str().to_owned()
}

fn holder_words(r: &TokenRow<'_>) -> String {
    if r.holders.is_empty() {
        return "-".to_owned();
    }
    r.holders
        .iter()
        .map(|h| {
            let k = if h.kind == HolderKind::Admin {
                "admin"
            } else {
                "user"
            };
            format!("{k}:{} ({})", h.name, h.delivery)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn unit_line(f: &ReportFile<'_>, m: &Model<'_>) -> String {
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
    format!(
        "{}{}{}",
        f.path,
        if unit.is_empty() {
            String::new()
        } else {
            format!(" ({unit})")
        },
        if m.is_multi_vdom() { " multi-VDOM" } else { "" }
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn totals_line(t: Totals) -> String {
    format!(
        "{} to re-issue, {} to re-provision, {} to notify, {} to open",
        plural(t.tokens_to_reissue, "token", "tokens"),
        plural(t.tokens_to_reprovision, "token", "tokens"),
        plural(t.holders_to_notify, "holder", "holders"),
        plural(t.tickets_to_open, "support ticket", "support tickets"),
    )
}

fn table(
    files: &[ReportFile<'_>],
    models: &[Option<Model<'_>>],
    rows: &[TokenRow<'_>],
    totals: Totals,
) -> String {
    let mut out = String::new();
    for (f, m) in files.iter().zip(models) {
        let Some(m) = m else { continue };
        out.push_str(&report::escape(&unit_line(f, m)));
        out.push('\n');
        let mine: Vec<&TokenRow<'_>> = rows.iter().filter(|r| r.path == f.path).collect();
        if mine.is_empty() {
            out.push_str("  no FortiTokens\n\n");
            continue;
        }
        let header = [
            "SERIAL", "VDOM", "KIND", "STATE", "HOLDERS", "FINDINGS", "ACTION",
        ];
        let cells: Vec<[String; 7]> = mine
            .iter()
            .map(|r| {
                [
                    r.serial.to_owned(),
                    r.vdom.unwrap_or("-").to_owned(),
                    kind_word(r.kind) + if r.trial { " trial" } else { "" },
                    state_word(r),
                    holder_words(r),
                    if r.findings.is_empty() {
                        "-".to_owned()
                    } else {
                        r.findings.join(",")
                    },
                    // The table is for the screen: the steps every re-issue shares are left
                    // to the other formats.
                    r.action.replace("delete, ", "").replace(", reassign", ""),
                ]
                // Names and serials from the backup: no control character reaches the screen.
                .map(|c| report::escape(&c).into_owned())
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
    out.push_str(&format!("Totals: {}\n", totals_line(totals)));
    out
}

/// One CSV field, quoted when it needs to be (RFC 4180); a leading `=`, `+`, `-` or `@` is
/// prefixed with `'` so that a spreadsheet does not run it as a formula; control characters
/// and bidi overrides become visible escapes.
fn csv_field(s: &str) -> String {
    let s = report::escape(s);
    let s = if s.starts_with(['=', '+', '-', '@']) && s != "-" {
        format!("'{s}")
    } else {
        s.into_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn csv(rows: &[TokenRow<'_>]) -> String {
    let mut out = String::from(
        "path,unit,vdom,serial,kind,trial,licence,state,status,seeded,holders,findings,action\n",
    );
    for r in rows {
        let fields = [
            r.path.to_owned(),
            r.unit.unwrap_or("").to_owned(),
            r.vdom.unwrap_or("").to_owned(),
            r.serial.to_owned(),
            kind_word(r.kind),
            r.trial.to_string(),
            r.license.unwrap_or("").to_owned(),
            format!("{:?}", r.state).to_lowercase(),
            r.status.to_owned(),
            r.seeded.to_string(),
            r.holders
                .iter()
                .map(|h| {
                    format!(
                        "{}:{} ({})",
                        if h.kind == HolderKind::Admin {
                            "admin"
                        } else {
                            "user"
                        },
                        h.name,
                        h.delivery
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
            r.findings.join(" "),
            r.action.clone(),
        ];
        out.push_str(
            &fields
                .iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

/// HTML text escaping; control characters and bidi overrides become visible escapes.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in report::escape(s).chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

const STYLE: &str = "\
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#111}\
h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.5em}\
table{border-collapse:collapse;width:100%}\
th,td{border:1px solid #999;padding:.3em .5em;text-align:left;vertical-align:top}\
th{background:#eee}td.serial{font-family:monospace;white-space:nowrap}\
tr.act td{background:#fff4e5}\
.totals td{font-weight:bold}\
@media print{body{margin:0;font-size:10pt}th{background:#ddd !important;\
-webkit-print-color-adjust:exact;print-color-adjust:exact}tr{page-break-inside:avoid}\
h2{page-break-after:avoid}}";

fn html(
    files: &[ReportFile<'_>],
    models: &[Option<Model<'_>>],
    rows: &[TokenRow<'_>],
    totals: Totals,
    now: u64,
) -> String {
    let mut o = String::new();
    o.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    o.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
    o.push_str("<title>FortiToken action plan</title>\n");
    o.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n"));
    o.push_str("<h1>FortiToken action plan</h1>\n");
    o.push_str(&format!(
        "<p>Generated by fortilint {} for {}.</p>\n",
        env!("CARGO_PKG_VERSION"),
        esc(&super::args::rfc3339(now))
    ));
    o.push_str("<table class=\"totals\" id=\"totals\"><tbody>\n");
    for (label, n) in [
        ("Tokens to re-issue", totals.tokens_to_reissue),
        ("Tokens to re-provision", totals.tokens_to_reprovision),
        ("Holders to notify", totals.holders_to_notify),
        ("Support tickets to open", totals.tickets_to_open),
    ] {
        o.push_str(&format!("<tr><th>{label}</th><td>{n}</td></tr>\n"));
    }
    o.push_str("</tbody></table>\n");
    for (f, m) in files.iter().zip(models) {
        let Some(m) = m else { continue };
        o.push_str(&format!("<h2>{}</h2>\n", esc(&unit_line(f, m))));
        let mine: Vec<&TokenRow<'_>> = rows.iter().filter(|r| r.path == f.path).collect();
        if mine.is_empty() {
            o.push_str("<p>No FortiTokens.</p>\n");
            continue;
        }
        o.push_str("<table class=\"tokens\"><thead><tr><th>Serial</th><th>Unit</th><th>VDOM</th><th>Kind</th><th>State</th><th>Holders (delivery)</th><th>Findings</th><th>Planned action</th></tr></thead><tbody>\n");
        for r in mine {
            let acts = r.action.starts_with("re-issue") || r.action.starts_with("renew");
            o.push_str(&format!(
                "<tr{}><td class=\"serial\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                if acts { " class=\"act\"" } else { "" },
                esc(r.serial),
                esc(r.unit.unwrap_or("-")),
                esc(r.vdom.unwrap_or("-")),
                esc(&(kind_word(r.kind) + if r.trial { " trial" } else { "" })),
                esc(&state_word(r)),
                esc(&holder_words(r)),
                esc(&if r.findings.is_empty() { "-".to_owned() } else { r.findings.join(", ") }),
                esc(&r.action),
            ));
        }
        o.push_str("</tbody></table>\n");
    }
    o.push_str("</body>\n</html>\n");
    o
}
