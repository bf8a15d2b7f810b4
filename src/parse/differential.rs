//! The oracle of the two-level parse, shared by `tests/properties.rs` and the `two_level` fuzz
//! target: [`Mode::Full`] and [`Mode::ModelBlocks`] must give the same result. Not part of the
//! tool's behaviour.

use super::{Document, Kind, Mode, NodeId, parse_with, tree::NONE};

/// Parses `text` both ways and compares. For a refused input the errors must be equal (kind,
/// span, message, label, hint). For an accepted input the warnings must be equal, every node
/// outside a [`Kind::Body`] must have its counterpart (kind, span, content, arguments, parent),
/// and each `Body` must tile exactly the full parse's nodes at its place, all inside the block
/// that holds the `Body`. The scanner's plan must also be the same whether its first pass runs
/// in one part or several. Returns the number of `Body` nodes.
pub fn compare(text: &str) -> Result<usize, String> {
    // The scanner's plan must not depend on how its first pass is cut (large files cut it
    // in one part per thread).
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let one = format!("{:?}", super::scan::plan_in_pieces(text, start, 1));
    for parts in [2, 3, 7] {
        let cut = format!("{:?}", super::scan::plan_in_pieces(text, start, parts));
        if cut != one {
            return Err(format!(
                "the plan in {parts} parts differs:\n{cut}\nin one:\n{one}"
            ));
        }
    }
    let full = parse_with(text, Mode::Full);
    let two = parse_with(text, Mode::ModelBlocks);
    match (full, two) {
        (Err(a), Err(b)) if a == b => Ok(0),
        (Err(a), Err(b)) => Err(format!("different errors:\nfull: {a:?}\ntwo-level: {b:?}")),
        (Err(a), Ok(_)) => Err(format!("only the full parse refuses: {a:?}")),
        (Ok(_), Err(b)) => Err(format!("only the two-level parse refuses: {b:?}")),
        (Ok(f), Ok(t)) => same_tree(&f, &t),
    }
}

fn same_tree(f: &Document<'_>, t: &Document<'_>) -> Result<usize, String> {
    if f.warnings != t.warnings {
        return Err(format!(
            "different warnings:\nfull: {:?}\ntwo-level: {:?}",
            f.warnings, t.warnings
        ));
    }
    let (fp, tp) = (parents(f), parents(t));
    // Full node id -> two-level node id, for the parents.
    let mut map = vec![NONE; f.len()];
    // And back.
    let mut rev = vec![NONE; t.len()];
    let mut i = 0usize;
    let mut bodies = 0;
    for (j, tn) in t.tree.nodes.iter().enumerate() {
        if tn.kind == Kind::Body {
            bodies += 1;
            let holder = tp[j];
            if holder == NONE || t.node(holder).kind != Kind::Config {
                return Err(format!("Body node {j} is not inside a config block"));
            }
            let (start, end) = (tn.span.start, tn.span.end);
            if f.tree.nodes.get(i).map(|n| n.span.start) != Some(start) {
                return Err(format!("Body node {j} does not start at a full-parse node"));
            }
            let full_holder = rev[holder as usize] as usize;
            while i < f.len() && f.tree.nodes[i].span.end <= end {
                // Every node of the body lies inside the block that holds it.
                let mut p = fp[i];
                while p != NONE && p as usize != full_holder {
                    p = fp[p as usize];
                }
                if p == NONE {
                    return Err(format!("node {i} of Body {j} is outside its block"));
                }
                i += 1;
            }
            if i == 0 || f.tree.nodes[i - 1].span.end != end {
                return Err(format!("Body node {j} does not end at a full-parse node"));
            }
            continue;
        }
        let Some(fnode) = f.tree.nodes.get(i) else {
            return Err(format!("two-level node {j} has no full-parse counterpart"));
        };
        if (fnode.kind, fnode.span, fnode.content) != (tn.kind, tn.span, tn.content) {
            return Err(format!("node {j}: full {fnode:?}, two-level {tn:?}"));
        }
        let (fa, ta) = (f.args(i as NodeId), t.args(j as NodeId));
        if fa != ta {
            return Err(format!("node {j}: arguments {fa:?} vs {ta:?}"));
        }
        let parent = if fp[i] == NONE {
            NONE
        } else {
            map[fp[i] as usize]
        };
        if parent != tp[j] {
            return Err(format!("node {j}: different parent"));
        }
        map[i] = j as NodeId;
        rev[j] = i as NodeId;
        i += 1;
    }
    if i != f.len() {
        return Err(format!("{} full-parse nodes left over", f.len() - i));
    }
    Ok(bodies)
}

/// The enclosing block of every node ([`NONE`] at top level), from the subtree ranges.
fn parents(d: &Document<'_>) -> Vec<NodeId> {
    let mut out = Vec::with_capacity(d.len());
    let mut open: Vec<usize> = Vec::new();
    for (i, n) in d.tree.nodes.iter().enumerate() {
        while open
            .last()
            .is_some_and(|&o| d.tree.nodes[o].subtree_end as usize <= i)
        {
            open.pop();
        }
        out.push(open.last().map_or(NONE, |&o| o as NodeId));
        if n.subtree_end as usize > i + 1 {
            open.push(i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_on_a_backup_with_skipped_blocks() {
        let text = "#config-version=FGT60F-7.2.8-FW-build1639-240313:opmode=0:vdom=0:user=admin\n\
                    config firewall address\n    edit \"a\"\n        set comment \"x\ny\"\n    next\nend\n\
                    config user local\n    edit \"u\"\n        set two-factor fortitoken\n    next\nend\n";
        assert_eq!(compare(text), Ok(1));
        assert_eq!(compare("config a\n set b \"c\nend\n"), Ok(0));
        assert_eq!(compare("config a\nset x y\nend\nnext\n"), Ok(0));
    }
}
