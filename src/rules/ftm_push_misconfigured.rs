//! FTK019: `config system ftm-push` settings that stop FortiToken Mobile push notifications.

use super::{Context, Finding, FindingBuilder, Fixable, Level, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "FTK019",
    name: "ftm-push-misconfigured",
    summary: "FortiToken Mobile push cannot work as configured in config system ftm-push",
    default_severity: Severity::Warning,
    fixable: Fixable::No,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/ftm_push_misconfigured.md"),
};

pub struct FtmPushMisconfigured;

impl Rule for FtmPushMisconfigured {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for (file, m) in cx.units() {
            let Some(push) = m.ftm_push.as_ref() else {
                continue;
            };
            let b = FindingBuilder {
                meta: &META,
                file,
                model: m,
            };
            let mut found = Vec::new();
            let attrs = m.attrs(push.node);
            let fw = m.firmware_version();
            let firmware = m.header.firmware.as_deref().unwrap_or("");
            // `server-ip` (0.0.0.0 is the printed default) without `server`, from 6.4.10 on.
            if let Some(ip) = push
                .server_ip
                .as_ref()
                .filter(|a| !a.value.is_empty() && a.value != "0.0.0.0")
                && push.server.is_none()
                && fw.is_some_and(|v| v >= (6, 4, 10))
            {
                let f = b.at(
                    ip.node,
                    "server-ip without server",
                    format!(
                        "FortiOS {firmware} takes the push server address from `server`, not `server-ip` (6.4.10 and later): without `server` it fails with `Missing server address. object check operator error, -56`"
                    ),
                    format!("move the address to `set server \"{}\"` (an IP address or FQDN)", ip.value),
                );
                found.push(("server-ip", f));
            }
            if let (Some(server), Some(iface)) = (&push.server, &push.interface) {
                let mut f = b.at(
                    iface.node,
                    "interface",
                    format!(
                        "both `server` (\"{}\") and `interface` (\"{}\") are set: only one of them should give the address the app answers to (which one FortiOS uses is unverified)",
                        server.value, iface.value
                    ),
                    "keep `set server` for a public FQDN or address, or `set interface` to use that interface's address, not both",
                );
                f.severity = Severity::Info;
                f.related.push(b.label(server.node, "server"));
                found.push(("interface", f));
            }
            let enabled = push.status.as_ref().filter(|_| push.is_enabled());
            if let Some(status) = enabled {
                if let Some(cert) = attrs.get("server-cert").filter(|c| c.value.is_empty()) {
                    let mut f = b.at(
                        cert.node,
                        "empty server-cert",
                        "FortiToken Mobile push is enabled with an empty `server-cert`: the app rejects the unit (`invalid server certificate`)".to_owned(),
                        "set `server-cert` to a certificate the app trusts, e.g. one signed by a public CA for the `server` name",
                    );
                    f.related.push(b.label(status.node, "push enabled"));
                    found.push(("server-cert", f));
                }
                // Only a backup with an interface table can show that no interface allows it.
                let has_interfaces = !m.blocks("system interface").is_empty();
                if has_interfaces && m.ftm_interfaces.is_empty() {
                    found.push(("status", b.at(
                        status.node,
                        "push enabled",
                        "FortiToken Mobile push is enabled but no interface has `allowaccess ftm`: the answers from the app are not accepted".to_owned(),
                        "add `ftm` to `set allowaccess` of the interface that `server` resolves to",
                    )));
                }
            }
            if cx.migration(file)
                && let Some(server) = &push.server
            {
                let mut f = b.at(
                    server.node,
                    "push server address",
                    format!(
                        "the push server \"{}\" most likely points at the old unit (inferred): after the move the app sends its answers there",
                        server.value
                    ),
                    "set `server` to the new unit's public address or FQDN after the move, unless the name moves with it",
                );
                f.severity = Severity::Info;
                found.push(("server", f));
            }
            // One object per attribute, so that SARIF fingerprints stay distinct.
            for (attr, mut f) in found {
                f.object = format!("system ftm-push/{attr}");
                out.push(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Model;
    use crate::parse::parse;
    use crate::rules::{Severity, run_file};

    const PUSH: &str = "#config-version=FGT60F-7.2.8-FW-build1639-240313:opmode=0:vdom=0:user=admin
config system interface
    edit \"wan1\"
        set allowaccess ping https ftm
    next
end
config system ftm-push
    set server \"fgt.example.com\"
    set status enable
end
";

    fn ftk019(text: &str, migration: bool) -> Vec<(Severity, String)> {
        let m = Model::build(parse(text).unwrap());
        run_file(0, &m, 1_700_000_000, migration)
            .into_iter()
            .filter(|f| f.code == "FTK019")
            .map(|f| (f.severity, f.message))
            .collect()
    }

    #[test]
    fn push_server_after_a_move_is_an_inferred_info() {
        assert!(ftk019(PUSH, false).is_empty());
        let found = ftk019(PUSH, true);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, Severity::Info);
        assert!(found[0].1.contains("\"fgt.example.com\"") && found[0].1.contains("inferred"));
    }

    #[test]
    fn server_ip_needs_a_known_firmware_of_6_4_10_or_later() {
        let with_ip = |header: &str| {
            PUSH.replacen(
                "#config-version=FGT60F-7.2.8-FW-build1639-240313",
                header,
                1,
            )
            .replace(
                "set server \"fgt.example.com\"",
                "set server-ip 203.0.113.10",
            )
        };
        assert_eq!(
            ftk019(
                &with_ip("#config-version=FGT60F-7.2.8-FW-build1639-240313"),
                false
            )
            .len(),
            1
        );
        assert!(
            ftk019(
                &with_ip("#config-version=FGT60F-6.4.9-FW-build1966-220321"),
                false
            )
            .is_empty()
        );
        assert!(ftk019(&with_ip("#x"), false).is_empty(), "unknown firmware");
    }

    #[test]
    fn every_problem_has_its_own_object() {
        let text = "#config-version=FGT60F-7.4.4-FW-build2662-240514:opmode=0:vdom=0:user=admin
config system interface
    edit \"wan1\"
        set allowaccess ping https
    next
end
config system ftm-push
    set server-cert \"\"
    set server \"fgt.example.com\"
    set interface \"wan1\"
    set status enable
end
";
        let m = Model::build(parse(text).unwrap());
        let objects: Vec<String> = run_file(0, &m, 1_700_000_000, true)
            .into_iter()
            .filter(|f| f.code == "FTK019")
            .map(|f| f.object)
            .collect();
        assert_eq!(
            objects,
            [
                "system ftm-push/interface",
                "system ftm-push/server-cert",
                "system ftm-push/status",
                "system ftm-push/server"
            ]
        );
    }

    #[test]
    fn a_fragment_without_interfaces_is_not_blamed_for_allowaccess() {
        let fragment = "config system ftm-push\n    set server \"fgt.example.com\"\n    set status enable\nend\n";
        assert!(ftk019(fragment, false).is_empty());
    }
}
