//! The blocks the model reads: the one list that decides which `config` blocks the two-level
//! parse ([`super::Mode::ModelBlocks`]) hands to pest, and which it keeps as one raw
//! [`super::Kind::Body`] node.
//!
//! Matching rule (it mirrors how `crate::model` finds blocks): a `config` block is *in scope*
//! when it is at top level, directly inside a top-level `config global`, or directly inside an
//! `edit <vdom>` of a top-level `config vdom`. An in-scope block whose path (the path words,
//! decoded and joined by one space, as `Document::config_path` gives it) is in
//! [`MODEL_BLOCKS`] is parsed by pest, except the bodies of the blocks nested in it (an
//! administrator's `config gui-dashboard`, an interface's `config ipv6`): the model reads only
//! the `set`/`unset` lines and the `edit` entries of a block, never a nested block. The
//! containers [`CONTAINERS`] themselves (and the `edit <vdom>` headers inside `config vdom`) are
//! parsed statement by statement so that their in-scope children can be told apart. Every
//! other block's body is skipped.

/// The block paths the model and the rules read (`Model::blocks`). A unit test checks that
/// every path the model and the rules look up is in this list.
pub const MODEL_BLOCKS: &[&str] = &[
    USER_FORTITOKEN,
    USER_LOCAL,
    SYSTEM_ADMIN,
    SYSTEM_GLOBAL,
    SYSTEM_CENTRAL_MANAGEMENT,
    SYSTEM_EMAIL_SERVER,
    SYSTEM_FTM_PUSH,
    SYSTEM_HA,
    SYSTEM_SMS_SERVER,
    SYSTEM_INTERFACE,
];

/// `config user fortitoken`: the tokens.
pub const USER_FORTITOKEN: &str = "user fortitoken";
/// `config user local`: local users and their tokens.
pub const USER_LOCAL: &str = "user local";
/// `config system admin`: administrators and their tokens.
pub const SYSTEM_ADMIN: &str = "system admin";
/// `config system global`: host name, two-factor expiry, private-data encryption.
pub const SYSTEM_GLOBAL: &str = "system global";
/// `config system central-management`: FortiManager management.
pub const SYSTEM_CENTRAL_MANAGEMENT: &str = "system central-management";
/// `config system email-server`: e-mail activation delivery.
pub const SYSTEM_EMAIL_SERVER: &str = "system email-server";
/// `config system ftm-push`: FortiToken Mobile push.
pub const SYSTEM_FTM_PUSH: &str = "system ftm-push";
/// `config system ha`: cluster mode.
pub const SYSTEM_HA: &str = "system ha";
/// `config system sms-server`: custom SMS servers.
pub const SYSTEM_SMS_SERVER: &str = "system sms-server";
/// `config system interface`: interfaces with `allowaccess ftm`.
pub const SYSTEM_INTERFACE: &str = "system interface";

/// Top-level blocks that hold scoped blocks: `config vdom` (`edit <vdom>` … `next`) and
/// `config global`.
pub const CONTAINERS: &[&str] = &["vdom", "global"];

/// Whether pest must parse the block with this path when it is in scope.
pub fn is_model_block(path: &str) -> bool {
    MODEL_BLOCKS.contains(&path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `blocks("…")` lookup in the model and the rules names a block in
    /// [`MODEL_BLOCKS`]: a new lookup of a block the two-level parse skips fails here.
    #[test]
    fn every_block_the_model_looks_up_is_parsed() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        for dir in ["model", "rules", "cli", "fix", "report"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            for e in entries.flatten() {
                if e.path().extension().is_some_and(|x| x == "rs") {
                    files.push(e.path());
                }
            }
        }
        assert!(files.len() > 20, "source files not found");
        let mut seen = 0;
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for (at, _) in text.match_indices("blocks(") {
                let rest = &text[at + "blocks(".len()..];
                let arg = rest.split(')').next().unwrap_or("").trim();
                if let Some(lit) = arg.strip_prefix('"').and_then(|a| a.strip_suffix('"')) {
                    seen += 1;
                    assert!(
                        is_model_block(lit),
                        "{} looks up `config {lit}`, which is not in MODEL_BLOCKS",
                        f.display()
                    );
                } else if arg.starts_with("blocks::") || arg.starts_with("crate::parse::blocks") {
                    seen += 1;
                }
            }
        }
        assert!(seen >= 10, "only {seen} block lookups found");
    }

    #[test]
    fn containers_are_not_model_blocks() {
        for c in CONTAINERS {
            assert!(!is_model_block(c));
        }
        assert!(is_model_block("user fortitoken"));
        assert!(!is_model_block("firewall policy"));
    }
}
