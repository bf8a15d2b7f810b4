//! FTK025: a local user synchronised from the Security Fabric root holds a token.

use super::{Context, Finding, FindingBuilder, Fixable, Level, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "FTK025",
    name: "fabric-user-token",
    summary: "a Fabric-synchronised user (fabric-object enable) holds a token; local changes may be overwritten",
    default_severity: Severity::Info,
    fixable: Fixable::No,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/fabric_user_token.md"),
};

pub struct FabricUserToken;

impl Rule for FabricUserToken {
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
            for u in &m.users {
                let (Some(fabric), Some(token)) = (
                    u.fabric_object.as_ref().filter(|a| a.value == "enable"),
                    u.fortitoken.as_ref(),
                ) else {
                    continue;
                };
                let mut f = b.at(
                    fabric.node,
                    "Fabric object",
                    format!(
                        "user \"{}\" is a Security Fabric object and holds token {}: token changes made on this unit may be overwritten from the Fabric root (inferred)",
                        u.name, token.value
                    ),
                    "make token changes for this user on the Fabric root, or set `fabric-object disable` first",
                );
                f.related.push(b.label(token.node, "token assigned"));
                f.vdom = m.vdom(u.scope).map(str::to_owned);
                f.object = format!("user local/{}", u.name);
                f.user = Some(u.name.clone());
                f.token = Some(token.value.to_string());
                out.push(f);
            }
        }
    }
}
