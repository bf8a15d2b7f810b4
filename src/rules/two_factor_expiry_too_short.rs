//! FTK021: two-factor timers in `config system global` set so short that users miss them.

use super::{Context, Finding, FindingBuilder, Fixable, Level, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "FTK021",
    name: "two-factor-expiry-too-short",
    summary: "two-factor-ftm-expiry of 1-2 hours, or an SMS/email code expiry at the 30 s minimum",
    default_severity: Severity::Warning,
    fixable: Fixable::No,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/two_factor_expiry_too_short.md"),
};

pub struct TwoFactorExpiryTooShort;

impl Rule for TwoFactorExpiryTooShort {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for (file, m) in cx.units() {
            let Some(g) = m.system_global.as_ref() else {
                continue;
            };
            let b = FindingBuilder {
                meta: &META,
                file,
                model: m,
            };
            let num = |a: &crate::model::Attr| a.value.trim().parse::<u32>().ok();
            let mut found = Vec::new();
            if let Some(a) = g.two_factor_ftm_expiry.as_ref()
                && let Some(h @ 1..=2) = num(a)
            {
                found.push((a.node, b.at(
                    a.node,
                    format!("{h} hour{}", if h == 1 { "" } else { "s" }),
                    format!(
                        "a FortiToken Mobile activation code expires {h} hour{} after it is sent: users who do not activate at once get `provision timeout`",
                        if h == 1 { "" } else { "s" }
                    ),
                    "raise `two-factor-ftm-expiry` (1-168 hours, default 72) so users can activate the next working day",
                )));
            }
            for (attr, what) in [
                (g.two_factor_sms_expiry.as_ref(), "an SMS code"),
                (g.two_factor_email_expiry.as_ref(), "an email code"),
            ] {
                if let Some(a) = attr
                    && num(a) == Some(30)
                {
                    let name = m.doc.name(a.node).into_owned();
                    found.push((a.node, b.at(
                        a.node,
                        "30 seconds",
                        format!(
                            "{what} expires 30 seconds after it is sent (the minimum): a late message or a slow user cannot log in"
                        ),
                        format!("raise `{name}` (30-300 seconds, default 60)"),
                    )));
                }
            }
            // One object per attribute, so that SARIF fingerprints stay distinct.
            for (node, mut f) in found {
                f.object = format!("system global/{}", m.doc.name(node));
                out.push(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Model;
    use crate::parse::parse;
    use crate::rules::run_file;

    #[test]
    fn one_finding_and_object_per_timer() {
        let text = "config system global
    set two-factor-ftm-expiry 1
    set two-factor-sms-expiry 30
    set two-factor-email-expiry 30
    set two-factor-ftk-expiry 60
end
";
        let m = Model::build(parse(text).unwrap());
        let objects: Vec<String> = run_file(0, &m, 1_700_000_000, false)
            .into_iter()
            .filter(|f| f.code == "FTK021")
            .map(|f| f.object)
            .collect();
        assert_eq!(
            objects,
            [
                "system global/two-factor-ftm-expiry",
                "system global/two-factor-sms-expiry",
                "system global/two-factor-email-expiry"
            ]
        );
        let fine = text
            .replace("ftm-expiry 1", "ftm-expiry 3")
            .replace(" 30", " 31");
        let m = Model::build(parse(&fine).unwrap());
        assert!(run_file(0, &m, 1_700_000_000, false).is_empty());
    }
}
