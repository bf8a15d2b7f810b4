//! FTK015: every `super_admin` administrator has two-factor authentication, so losing a token
//! (or a migration that re-issues them) leaves nobody who can log in.

use super::{Context, Finding, FindingBuilder, Fixable, Level, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "FTK015",
    name: "no-break-glass-admin",
    summary: "every super_admin has two-factor: no break-glass account if a token is lost",
    default_severity: Severity::Error,
    fixable: Fixable::No,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/no_break_glass_admin.md"),
};

pub struct NoBreakGlassAdmin;

impl Rule for NoBreakGlassAdmin {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for (file, m) in cx.units() {
            let b = FindingBuilder {
                meta: &META,
                file,
                model: m,
            };
            let supers: Vec<_> = m.admins.iter().filter(|a| a.is_super_admin()).collect();
            // No admin table (a VDOM backup, a fragment) or no super_admin in it: nothing to say.
            if supers.is_empty() {
                continue;
            }
            let with_2fa = |a: &&crate::model::Admin| {
                a.two_factor
                    .as_ref()
                    .is_some_and(|t| !t.value.is_empty() && t.value != "disable")
            };
            if !supers.iter().all(with_2fa) {
                continue;
            }
            let line = |a: &crate::model::Admin| a.two_factor.as_ref().map_or(a.entry, |t| t.node);
            let names: Vec<String> = supers.iter().map(|a| format!("\"{}\"", a.name)).collect();
            let method = |a: &crate::model::Admin| {
                a.two_factor
                    .as_ref()
                    .map_or(String::new(), |t| t.value.to_string())
            };
            let (first, rest) = supers.split_first().expect("not empty");
            let message = if supers.len() == 1 {
                format!(
                    "the only super_admin, {}, uses two-factor {}: if that factor is lost there is no administrator left to log in",
                    names[0],
                    method(first)
                )
            } else {
                let all = if supers.len() == 2 {
                    "both".to_owned()
                } else {
                    format!("all {}", supers.len())
                };
                format!(
                    "{all} super_admin accounts ({}) use two-factor: if their factors are lost there is no administrator left to log in",
                    names.join(", ")
                )
            };
            let mut help = String::from(
                "keep one super_admin without two-factor as a break-glass account (strong password, `trusthost` limited to a management network, stored offline)",
            );
            if cx.migration(file) {
                help.push_str(
                    "; a migration re-issues tokens, so create it before touching any admin's token",
                );
            }
            let mut f = b.at(
                line(first),
                format!(
                    "super_admin \"{}\": two-factor {}",
                    first.name,
                    method(first)
                ),
                message,
                help,
            );
            f.related = rest
                .iter()
                .map(|a| {
                    b.label(
                        line(a),
                        format!("super_admin \"{}\": two-factor {}", a.name, method(a)),
                    )
                })
                .collect();
            f.object = format!("system admin/{}", first.name);
            f.user = Some(first.name.clone());
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Model;
    use crate::parse::parse;
    use crate::rules::run_file;

    fn ftk015(text: &str, migration: bool) -> Vec<crate::rules::Finding> {
        let m = Model::build(parse(text).unwrap());
        run_file(0, &m, 1_700_000_000, migration)
            .into_iter()
            .filter(|f| f.code == "FTK015")
            .collect()
    }

    #[test]
    fn three_super_admins_are_all_labelled() {
        let text = "config system admin
    edit \"a\"
        set accprofile \"super_admin\"
        set two-factor email
        set email-to \"a@example.com\"
    next
    edit \"b\"
        set accprofile \"super_admin\"
        set two-factor sms
        set sms-phone \"+15555550100\"
    next
    edit \"c\"
        set accprofile \"super_admin\"
        set two-factor fortitoken-cloud
    next
end
";
        let found = ftk015(text, false);
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .starts_with("all 3 super_admin accounts (\"a\", \"b\", \"c\")")
        );
        assert_eq!(found[0].related.len(), 2);
        assert!(!found[0].help.contains("migration"));
        assert!(
            ftk015(text, true)[0]
                .help
                .contains("migration re-issues tokens")
        );
        let with_breakglass = text.replace("set two-factor sms", "set two-factor disable");
        assert!(ftk015(&with_breakglass, false).is_empty());
    }

    #[test]
    fn no_super_admin_is_silent() {
        assert!(ftk015("config user local\n    edit \"x\"\n    next\nend\n", false).is_empty());
        let ro = "config system admin\n    edit \"ro\"\n        set accprofile \"prof_admin\"\n        set two-factor email\n    next\nend\n";
        assert!(ftk015(ro, false).is_empty());
    }
}
