//! FTK024: an FGCP cluster's config in migration mode: what a primary replacement means for
//! tokens, and where the token commands run.

use super::{Context, Finding, FindingBuilder, Fixable, Level, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "FTK024",
    name: "ha-cluster-migration",
    summary: "HA cluster: a primary replacement keeps assigned tokens; run token commands on the primary",
    default_severity: Severity::Info,
    fixable: Fixable::No,
    migration_only: true,
    level: Level::File,
    docs: include_str!("../../docs/rules/ha_cluster_migration.md"),
};

pub struct HaClusterMigration;

impl Rule for HaClusterMigration {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for (file, m) in cx.units().filter(|(f, _)| cx.migration(*f)) {
            let Some(ha) = m.ha.as_ref().filter(|h| h.is_cluster()) else {
                continue;
            };
            let Some(mode) = ha.mode.as_ref() else {
                continue;
            };
            let b = FindingBuilder {
                meta: &META,
                file,
                model: m,
            };
            let group = ha
                .group_name
                .as_ref()
                .map(|g| format!(" \"{}\"", g.value))
                .unwrap_or_default();
            let mut f = b.at(
                mode.node,
                format!("HA mode {}", mode.value),
                format!(
                    "this unit is a member of HA cluster{group} (mode {}): tokens and licences are shared by the cluster, so replacing a member is not a move to a new unit",
                    mode.value
                ),
                "if only the primary is replaced (RMA) and rejoins the cluster, leave assigned tokens alone: users need not activate again; run every `execute fortitoken…` command on the primary",
            );
            for a in [&ha.group_name, &ha.group_id].into_iter().flatten() {
                f.related.push(b.label(a.node, "cluster identity"));
            }
            f.object = "system ha".to_owned();
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
    fn only_in_migration_mode() {
        let m = Model::build(parse("config system ha\n    set mode a-p\nend\n").unwrap());
        let count = |migration| {
            run_file(0, &m, 1_700_000_000, migration)
                .iter()
                .filter(|f| f.code == "FTK024")
                .count()
        };
        assert_eq!((count(false), count(true)), (0, 1));
    }
}
