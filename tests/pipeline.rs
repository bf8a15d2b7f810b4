//! The whole pipeline on arbitrary input (the oracles of `fortilint::testing`, also run by the
//! `pipeline` fuzz target): no secret in a secret position reaches any output, no script line
//! is a command the plan does not write, every script replays, and `fix` settles. Inputs: the
//! fuzz seed corpus, mutated seeds, and backups with the canary secret and hostile values
//! placed by the generator in every field that reaches a script.

use std::path::PathBuf;

use fortilint::testing::{CANARY, check_pipeline};
use proptest::prelude::*;

fn seeds() -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/pipeline");
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v.into_iter().map(|p| std::fs::read(p).unwrap()).collect()
}

#[test]
fn seed_corpus_passes_every_oracle() {
    let seeds = seeds();
    assert!(seeds.len() >= 10);
    for s in seeds {
        check_pipeline(&s).unwrap();
    }
}

#[test]
fn the_leak_oracle_can_fail() {
    // The oracle must notice a canary that is *not* in a secret position being printed
    // (a comment is shown), and stay quiet when it is a secret.
    let visible = format!(
        "#config-version=FGT60F-7.2.8-FW-build1639-240313:opmode=0:vdom=0:user=admin\n\
         config user fortitoken\n    edit \"FTKMOB0000000001\"\n        set comments \"{CANARY}\"\n        set reg-id \"r\"\n    next\nend\n"
    );
    assert!(
        check_pipeline(visible.as_bytes()).is_ok(),
        "not a secret: may be shown"
    );
    let text = format!("set passwd ENC {CANARY}\n");
    let at = text.find(CANARY).unwrap();
    let secret = [fortilint::source::Span::new(at, at + CANARY.len())];
    assert!(fortilint::testing::leak_check(&text, &secret, &[format!("x {CANARY}")]).is_err());
    assert!(fortilint::testing::leak_check(&text, &secret, &["x ****".to_owned()]).is_ok());
    assert!(
        fortilint::testing::injection_check("config user local\nexecute factoryreset\n").is_err()
    );
}

/// One field that reaches a script or a report.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\nexecute factoryreset".to_owned()),
        Just("\rexecute factoryreset".to_owned()),
        Just("\u{2028}execute factoryreset".to_owned()),
        Just("\u{85}execute formatlogdisk".to_owned()),
        Just("\\\"\nexecute reboot\n#".to_owned()),
        Just(format!(" ENC {CANARY}")),
        "[a-zA-Z0-9 ._-]{0,12}",
    ]
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn backup(f: [String; 7], secret_at: u8, migration_tokens: u8) -> String {
    let [host, admin, user, serial_tail, licence, tf, comment] = f.map(|x| escape(&x));
    let secret = |n: u8| {
        if secret_at == n {
            format!("ENC {CANARY}")
        } else {
            "ENC c2VlZA==".to_owned()
        }
    };
    let mut s = format!(
        "#config-version=FGT60F-7.4.7-FW-build2731-250120:opmode=0:vdom=0:user=admin\n\
         config system global\n    set hostname \"fw{host}\"\nend\n\
         config system admin\n    edit \"admin\"\n        set accprofile \"super_admin\"\n        set password {}\n    next\n\
             edit \"a{admin}\"\n        set accprofile \"super_admin\"\n        set two-factor fortitoken\n        set fortitoken \"FTKMOB0000000002\"\n    next\nend\n\
         config user fortitoken\n",
        secret(0)
    );
    for k in 0..migration_tokens.max(2) {
        let sn = if k == 0 {
            format!("FTKMOB00000000{k:02}{serial_tail}")
        } else {
            format!("FTKMOB00000000{k:02}")
        };
        s.push_str(&format!(
            "    edit \"{sn}\"\n        set seed {}\n        set license \"{}\"\n        set activation-code {}\n        set activation-expire 1600000000\n        set reg-id \"r{k}\"\n        set comments \"{comment}\"\n    next\n",
            secret(1),
            if k % 2 == 0 { format!("EFTM1{licence}") } else { "FTMTRIAL0401A296".to_owned() },
            secret(2)
        ));
    }
    s.push_str(&format!(
        "end\nconfig user local\n    edit \"u{user}\"\n        set two-factor \"fortitoken{tf}\"\n        set fortitoken \"FTKMOB0000000000{serial_tail}\"\n        set passwd {}\n    next\n\
             edit \"v\"\n        set two-factor fortitoken\n        set fortitoken \"FTKMOB0000000001\"\n        set passwd {}\n    next\nend\n",
        secret(3),
        secret(4)
    ));
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn hostile_backups_pass_every_oracle(
        fields in proptest::array::uniform7(hostile()),
        secret_at in 0u8..6,
        tokens in 2u8..5,
    ) {
        let b = backup(fields, secret_at, tokens);
        prop_assert!(check_pipeline(b.as_bytes()).is_ok(), "{:?}\n{b}", check_pipeline(b.as_bytes()));
    }

    #[test]
    fn mutated_seeds_pass_every_oracle(
        pick in 0usize..64,
        cuts in proptest::collection::vec((0usize..20_000, 0usize..64, prop_oneof![
            Just(String::new()), Just(format!(" ENC {CANARY}")), Just("\nend\n".to_owned()),
            Just("\n    next\n".to_owned()), Just("\"".to_owned()), Just("\r".to_owned()),
            "[a-z \\n\"]{0,8}",
        ]), 1..4),
    ) {
        let seeds = seeds();
        let mut b = seeds[pick % seeds.len()].clone();
        for (at, len, with) in cuts {
            let at = at.min(b.len());
            let end = (at + len).min(b.len());
            b.splice(at..end, with.into_bytes());
        }
        prop_assert!(check_pipeline(&b).is_ok(), "{:?}", check_pipeline(&b));
    }
}
