//! `fortilint check`: lint backups and report findings.

use codespan_reporting::term::termcolor::{Buffer, WriteColor};

use super::args::{CheckArgs, CheckFormat, FailOn};
use super::{EXIT_ERROR, EXIT_FINDINGS, analyse, inputs, load_all, now, print, use_color};
use crate::report::{self, Report};
use crate::rules::{self, Severity};

pub fn run(args: &CheckArgs) -> u8 {
    let inputs = inputs::discover(&args.input.paths);
    let loaded = load_all(&inputs);
    let (files, models) = analyse(&loaded);
    let ctx = rules::Context { now: args.input.now.unwrap_or_else(now) };
    let findings = rules::run(&models, &ctx);
    let mut report = Report {
        files,
        findings,
        show_secrets: args.show_secrets,
    };
    report.sort();
    if args.format == CheckFormat::Human {
        // Only files that show a snippet pay for finding their secrets.
        let mut shown = vec![false; report.files.len()];
        for f in &report.findings {
            shown[f.primary.file] = true;
            for l in &f.related {
                shown[l.file] = true;
            }
        }
        for (i, file) in report.files.iter_mut().enumerate() {
            if (shown[i] || !file.warnings.is_empty())
                && let Some(m) = &models[i]
            {
                file.secrets = m.secret_spans();
            }
        }
    }
    let out = match args.format {
        CheckFormat::Human => {
            let mut buf = if use_color(args.input.color) { Buffer::ansi() } else { Buffer::no_color() };
            let _ = report::human::render(&report, &mut buf);
            if !args.quiet {
                let _ = buf.set_color(&Default::default());
                let line = report::human::summary_line(&report);
                let _ = std::io::Write::write_all(&mut buf, format!("{line}\n").as_bytes());
            }
            String::from_utf8_lossy(buf.as_slice()).into_owned()
        }
        CheckFormat::Concise => report::human::render_concise(&report),
        CheckFormat::Json => report::json::render(&report),
        CheckFormat::Github => report::github::render(&report),
    };
    print(&out);
    exit_code(&report, args.fail_on)
}

/// 2 if any file failed, else 1 if a finding reaches the threshold, else 0.
pub fn exit_code(report: &Report<'_>, fail_on: FailOn) -> u8 {
    if report.files.iter().any(|f| f.error.is_some()) {
        return EXIT_ERROR;
    }
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    if report.findings.iter().any(|f| f.severity >= threshold) {
        EXIT_FINDINGS
    } else {
        0
    }
}
