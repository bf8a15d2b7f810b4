//! FTK105: the unit cannot reach the FortiToken provisioning server (FortiGuard): every
//! activation, provisioning and licence import will fail (a pre-flight failure).

use super::runtime::{anchor, evidence_label};
use super::{Context, Finding, FindingBuilder, Fixable, Level, Rule, RuleMeta, Severity};
use crate::model::evidence::Origin;
use crate::parse::diagnostic::EventKind;

pub static META: RuleMeta = RuleMeta {
    code: "FTK105",
    name: "token-server-unreachable",
    summary: "the unit reports the FortiToken server unreachable: activation and import will fail",
    default_severity: Severity::Error,
    fixable: Fixable::No,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/token_server_unreachable.md"),
};

pub struct TokenServerUnreachable;

impl Rule for TokenServerUnreachable {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for (file, m) in cx.units() {
            let Some(unit) = m.unit_evidence() else {
                continue;
            };
            // The latest server status decides; a refused connection counts when no later
            // `reachable` says otherwise.
            let server = unit.token_server();
            let refused = unit
                .events
                .iter()
                .rev()
                .find(|e| e.kind == EventKind::SendReplyRefused);
            let evidence: (&Origin, String) = match (server, refused) {
                (Some((status, o)), _) if status == "unreachable" => {
                    (o, "`Token server status: unreachable`".to_owned())
                }
                (Some((status, _)), _) if status == "reachable" => continue,
                (_, Some(e)) => (
                    &e.origin,
                    "`fds_send_reply: … Connection refused`".to_owned(),
                ),
                _ => continue,
            };
            let Some((node, object)) = anchor(m) else {
                continue;
            };
            let b = FindingBuilder {
                meta: &META,
                file,
                model: m,
            };
            let mut f = b.at(
                node,
                "tokens of this unit",
                format!(
                    "the unit cannot reach the FortiToken provisioning server: {} (evidence: {})",
                    evidence.1, evidence.0
                ),
                "fix FortiGuard reachability first (DNS, route, firewall, proxy; check with \
                 `diagnose debug application forticldd -1`), then activate, provision or import \
                 tokens (KB 194508)",
            );
            f.object = object;
            f.related
                .extend(evidence_label(file, evidence.0, "reported here"));
            out.push(f);
        }
    }
}
