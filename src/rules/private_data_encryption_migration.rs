//! FTK020: `private-data-encryption enable` in a config that moves to another unit.

use super::{Context, Finding, FindingBuilder, Fixable, Level, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "FTK020",
    name: "private-data-encryption-migration",
    summary: "private-data-encryption is on: the new unit needs the same key to read the secrets",
    default_severity: Severity::Warning,
    fixable: Fixable::No,
    migration_only: true,
    level: Level::File,
    docs: include_str!("../../docs/rules/private_data_encryption_migration.md"),
};

pub struct PrivateDataEncryptionMigration;

impl Rule for PrivateDataEncryptionMigration {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for (file, m) in cx.units().filter(|(f, _)| cx.migration(*f)) {
            let Some(pde) = m
                .system_global
                .as_ref()
                .and_then(|g| g.private_data_encryption.as_ref())
                .filter(|a| a.value == "enable")
            else {
                continue;
            };
            let b = FindingBuilder {
                meta: &META,
                file,
                model: m,
            };
            let seeded = m.tokens.iter().filter(|t| t.seed().is_some()).count();
            let mut message = String::from(
                "private-data-encryption is enabled: the `ENC` secrets of this backup are encrypted with this unit's private key and cannot be decrypted on other hardware without it",
            );
            if seeded > 0 {
                message.push_str(&format!(
                    " ({seeded} token seed{} among them)",
                    if seeded == 1 { "" } else { "s" }
                ));
            }
            let mut f = b.at(
                pde.node,
                "private-data-encryption",
                message,
                "enable private-data-encryption on the new unit with the same 32-digit key before restoring; without the key, passwords and token seeds must be entered again",
            );
            f.object = "system global".to_owned();
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Model;
    use crate::parse::parse;
    use crate::rules::run_file;

    #[test]
    fn counts_seeds_and_needs_migration_mode() {
        let text = "config system global
    set private-data-encryption enable
end
config user fortitoken
    edit \"FTKMOB0000000001\"
        set seed ENC c2VlZA==
    next
    edit \"FTKMOB0000000002\"
        set seed ENC c2VlZA==
    next
end
";
        let m = Model::build(parse(text).unwrap());
        let found = |migration| -> Vec<String> {
            run_file(0, &m, 1_700_000_000, migration)
                .into_iter()
                .filter(|f| f.code == "FTK020")
                .map(|f| f.message)
                .collect()
        };
        assert!(found(false).is_empty());
        let msgs = found(true);
        assert_eq!(msgs.len(), 1);
        assert!(
            msgs[0].ends_with("(2 token seeds among them)"),
            "{}",
            msgs[0]
        );
    }
}
