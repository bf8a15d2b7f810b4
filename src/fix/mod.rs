//! Stage 5 of the pipeline: **fix**. One [`plan::Plan`] per file, from the FTK001, FTK002
//! and FTK003 findings, renders two ways: a FortiOS CLI remediation script
//! ([`script`]) and span edits that give the backup as it will be after the script
//! ([`patch`]). [`replay`] is the CLI interpreter that proves the two agree.

pub mod patch;
pub mod plan;
pub mod replay;
pub mod script;

use crate::model::Model;
use crate::rules::Finding;

/// Everything `fortilint fix` produces for one file.
#[derive(Debug)]
pub struct FileFix {
    pub plan: plan::Plan,
    pub script: script::Script,
    pub edits: Vec<patch::Edit>,
    pub patched: String,
}

/// Plans, renders the script and patches the text of one parsed file.
pub fn fix_file(
    model: &Model<'_>,
    file: usize,
    findings: &[Finding],
    only: &[String],
    info: &script::ScriptInfo<'_>,
) -> FileFix {
    let plan = plan::Plan::build(model, file, findings, only);
    let addressed: Vec<String> = findings
        .iter()
        .filter(|f| f.primary.file == file && plan::FIXED_CODES.contains(&f.code))
        .filter(|f| {
            f.token
                .as_ref()
                .is_some_and(|t| only.is_empty() || only.contains(t))
        })
        .map(|f| {
            format!(
                "{} {} {}",
                f.code,
                f.token.as_deref().unwrap_or(""),
                f.vdom
                    .as_deref()
                    .map_or(String::new(), |v| format!("(vdom {v})"))
            )
            .trim_end()
            .to_owned()
        })
        .collect();
    let script = script::render(model, &plan, &addressed, info);
    let edits = patch::edits(model, &plan);
    let patched = patch::apply(model.doc.text, &edits);
    FileFix {
        plan,
        script,
        edits,
        patched,
    }
}
