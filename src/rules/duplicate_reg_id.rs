//! FTK002: two or more tokens share one non-empty `reg-id` (one phone bound to several tokens).
//! One person with several accounts is normal (info); different people on one phone is an
//! error on every token of the group, never fixed by deleting a token.

use std::collections::{BTreeMap, HashMap};

use super::{Context, Finding, FindingBuilder, Fixable, Intent, Level, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "FTK002",
    name: "duplicate-reg-id",
    summary: "several tokens share one phone registration (reg-id)",
    default_severity: Severity::Error,
    fixable: Fixable::OnRequest,
    migration_only: false,
    level: Level::File,
    docs: include_str!("../../docs/rules/duplicate_reg_id.md"),
};

pub struct DuplicateRegId;

/// Who a holder is, for telling "one person, several accounts" from "several people".
struct Person {
    name: String,
    email: Option<String>,
    phone: Option<String>,
    describe: String,
}

impl Person {
    /// `user "alice" (alice@example.com, +15550100)`.
    fn label(&self) -> String {
        let contact: Vec<&str> = [self.email.as_deref(), self.phone.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if contact.is_empty() {
            self.describe.clone()
        } else {
            format!("{} ({})", self.describe, contact.join(", "))
        }
    }
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Groups people into identities: two are one if they share a name, an address or a phone
/// (transitively). Returns the number of distinct identities. Linear: each key remembers the
/// first person that had it.
fn identities(people: &[Person]) -> usize {
    fn find(root: &mut [usize], mut i: usize) -> usize {
        while root[i] != i {
            root[i] = root[root[i]];
            i = root[i];
        }
        i
    }
    let mut root: Vec<usize> = (0..people.len()).collect();
    let mut first: HashMap<(u8, &str), usize> = HashMap::new();
    for (i, p) in people.iter().enumerate() {
        let keys = [
            Some((0, p.name.as_str())),
            p.email.as_deref().map(|e| (1, e)),
            p.phone.as_deref().map(|d| (2, d)),
        ];
        for key in keys.into_iter().flatten() {
            let j = *first.entry(key).or_insert(i);
            let (a, b) = (find(&mut root, i), find(&mut root, j));
            root[a] = b;
        }
    }
    (0..people.len())
        .filter(|&i| find(&mut root, i) == i)
        .count()
}

impl Rule for DuplicateRegId {
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
            let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for (i, t) in m.tokens.iter().enumerate() {
                if let Some(r) = t.reg_id() {
                    groups.entry(r.value.as_str()).or_default().push(i);
                }
            }
            let mut groups: Vec<Vec<usize>> =
                groups.into_values().filter(|g| g.len() > 1).collect();
            groups.sort_by_key(|g| m.tokens[g[0]].entry);
            for group in groups {
                // Every holder of every token of the group.
                let people: Vec<Person> = group
                    .iter()
                    .flat_map(|&i| m.tokens[i].holders.iter())
                    .map(|h| {
                        let v = m.holder(h);
                        Person {
                            name: v.name.to_ascii_lowercase(),
                            email: v.email_to.map(|a| a.value.trim().to_ascii_lowercase()),
                            phone: v
                                .sms_phone
                                .map(|a| digits(&a.value))
                                .filter(|d| !d.is_empty()),
                            describe: v.describe(),
                        }
                    })
                    .collect();
                let serials: Vec<&str> =
                    group.iter().map(|&i| m.tokens[i].serial.as_str()).collect();
                let related_for = |i: usize| -> Vec<super::Label> {
                    group
                        .iter()
                        .filter(|&&j| j != i)
                        .filter_map(|&j| {
                            let o = &m.tokens[j];
                            o.reg_id().map(|r| {
                                b.label(r.node, format!("same phone registration on {}", o.serial))
                            })
                        })
                        .chain(b.holder_labels(&m.tokens[i]))
                        .collect()
                };
                if identities(&people) <= 1 {
                    // One person with several accounts: normal (FTK005 forbids sharing one token).
                    let first = &m.tokens[group[0]];
                    let Some(reg) = first.reg_id() else { continue };
                    let who = people.first().map_or("nobody".to_owned(), Person::label);
                    let mut f = b.at(
                        reg.node,
                        "one phone, several tokens of one person",
                        format!(
                            "{} tokens ({}) are registered on one phone, all held by one person: {who}",
                            group.len(),
                            serials.join(", ")
                        ),
                        "nothing to do if this is one person with several accounts; if a token was meant for \
                         somebody else, re-provision it to them (`fortilint fix --token SERIAL`)",
                    );
                    f.severity = Severity::Info;
                    f.intent = Intent::ReissueToHolder {
                        token: group[0],
                        holder: first.holders.first().copied(),
                    };
                    f.related = related_for(group[0]);
                    out.push(b.for_token(f, first));
                    continue;
                }
                let who: Vec<String> = people.iter().map(Person::label).collect();
                for &i in &group {
                    let t = &m.tokens[i];
                    let Some(reg) = t.reg_id() else { continue };
                    let mut f = b.at(
                        reg.node,
                        "one phone, several people",
                        format!(
                            "token {} shares its phone registration with {} (different people: {}); that phone passes \
                             the two-factor check of each of them",
                            t.serial,
                            serials.iter().filter(|&&s| s != t.serial).copied().collect::<Vec<_>>().join(", "),
                            who.join("; ")
                        ),
                        format!(
                            "find out whose phone it is; re-provision every other token to its own holder, who activates \
                             it on their own phone (`fortilint fix --token {}` re-provisions this one; tokens are never \
                             deleted for this, KB 241195, KB 194933)",
                            t.serial
                        ),
                    );
                    f.related = related_for(i);
                    f.intent = Intent::ReissueToHolder {
                        token: i,
                        holder: t.holders.first().copied(),
                    };
                    out.push(b.for_token(f, t));
                }
            }
        }
    }
}
