//! Stage 5 of the pipeline: **fix**. One [`plan::Plan`] per unit (per file), built from the
//! typed intents that rules attach to their findings, renders every way: the staged FortiOS
//! CLI script ([`script`]), the markdown runbook ([`runbook`]) and span edits that give the
//! backup as it will be after the script ([`patch`]). [`replay`] is the CLI interpreter that
//! proves script and patch agree and that no stage ordering breaks the safety contract.

pub mod patch;
pub mod plan;
pub mod replay;
pub mod runbook;
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

/// One line per finding whose intent the plan carries out, for the script header.
pub fn addressed(
    model: &Model<'_>,
    file: usize,
    findings: &[Finding],
    plan: &plan::Plan,
) -> Vec<String> {
    use crate::rules::Intent;
    use std::collections::HashSet;
    let grouped: HashSet<usize> = plan.in_group.keys().copied().collect();
    let provisioned: HashSet<usize> = plan.provisions.iter().map(|p| p.token).collect();
    let hardware: HashSet<usize> = plan.hardware.iter().map(|h| h.token).collect();
    findings
        .iter()
        .filter(|f| f.primary.file == file)
        .filter_map(|f| {
            let t = f.intent.token()?;
            let acted = match f.intent {
                Intent::Advice => false,
                Intent::ReimportLicence { .. } | Intent::ReimportTrialPair { .. } => {
                    grouped.contains(&t)
                }
                Intent::Reprovision { .. } | Intent::ReissueToHolder { .. } => {
                    provisioned.contains(&t)
                }
                Intent::HardwareLockCheck { .. }
                | Intent::ActivateHardware { .. }
                | Intent::ImportSeedFile { .. } => hardware.contains(&t),
            };
            acted.then_some((f, t))
        })
        .map(|(f, t)| {
            let t = &model.tokens[t];
            match model.vdom(t.scope) {
                Some(v) => format!("{} {} (vdom {v}): {}", f.code, t.serial, f.intent.name()),
                None => format!("{} {}: {}", f.code, t.serial, f.intent.name()),
            }
        })
        .collect()
}

/// Plans, renders the script and patches the text of one parsed file.
pub fn fix_file(
    model: &Model<'_>,
    file: usize,
    findings: &[Finding],
    opts: &plan::PlanOptions,
    source: &str,
    date: &str,
) -> FileFix {
    // New trial serials: given by the caller, else read from the unit's own output.
    let from_unit;
    let opts = if opts.post_import.trial_serials.is_empty() {
        from_unit = plan::PlanOptions {
            post_import: plan::PostImport::from_evidence(model),
            ..opts.clone()
        };
        &from_unit
    } else {
        opts
    };
    let plan = plan::Plan::build(model, file, findings, opts);
    let info = script::ScriptInfo {
        source,
        date: date.to_owned(),
        findings: addressed(model, file, findings, &plan),
    };
    let script = script::render(model, &plan, &info);
    let edits = patch::edits(model, &plan);
    let patched = patch::apply(model.doc.text, &edits);
    FileFix {
        plan,
        script,
        edits,
        patched,
    }
}
