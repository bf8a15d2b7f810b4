//! What `check` and `fix` share: finding the inputs and their configs, running the rules,
//! applying the user's rule settings, and the exit code.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::args::{FailOn, RuleArgs};
use super::inputs::{self, Input};
use super::{EXIT_ERROR, EXIT_FINDINGS, Loaded, load_all};
use crate::config::{self, Config};
use crate::model::Model;
use crate::rules::{self, Finding, Severity, registry};

/// The inputs of a run, their configs, and their loaded sources.
pub struct Session {
    pub inputs: Vec<Input>,
    pub configs: Vec<Config>,
    pub loaded: Vec<Loaded>,
}

impl Session {
    /// Validates the rule options, finds the inputs and their configs, reads the files.
    pub fn open(paths: &[PathBuf], args: &RuleArgs) -> Result<Session, String> {
        for key in args.select.iter().chain(&args.ignore) {
            if !registry::RULES
                .iter()
                .any(|r| matches_rule(key, r.meta().code, r.meta().name))
            {
                return Err(format!(
                    "`{key}` matches no rule code or name (see `fortilint rules`)"
                ));
            }
        }
        let inputs = inputs::discover(paths);
        let configs = configs_for(&inputs, args.config.as_deref())?;
        let loaded = load_all(&inputs);
        Ok(Session {
            inputs,
            configs,
            loaded,
        })
    }

    pub fn path(&self, i: usize) -> &Path {
        match &self.inputs[i] {
            Input::File(p) | Input::Unreadable(p, _) => p,
        }
    }

    /// Runs the rules over `models` (indexed like the inputs) and applies the settings.
    pub fn findings(
        &self,
        models: &[Option<Model<'_>>],
        args: &RuleArgs,
        now: u64,
    ) -> Vec<Finding> {
        let migration = self
            .configs
            .iter()
            .map(|c| args.migration || c.migration)
            .collect();
        let raw = rules::run(models, now, migration);
        let paths: Vec<&Path> = (0..self.inputs.len()).map(|i| self.path(i)).collect();
        apply_settings(raw, args, &self.configs, models, &paths)
    }
}

/// `--select`/`--ignore` keys: a code prefix (any case) or an exact rule name.
pub fn matches_rule(key: &str, code: &str, name: &str) -> bool {
    let k = key.trim();
    !k.is_empty() && (code.starts_with(&k.to_ascii_uppercase()) || name == k)
}

/// The config for each input: `--config`, or the nearest `fortilint.toml` above it.
pub fn configs_for(inputs: &[Input], explicit: Option<&Path>) -> Result<Vec<Config>, String> {
    if let Some(p) = explicit {
        let c = Config::load(p)?;
        return Ok(vec![c; inputs.len()]);
    }
    let mut cache: HashMap<PathBuf, Config> = HashMap::new();
    let mut out = Vec::with_capacity(inputs.len());
    for input in inputs {
        let path = match input {
            Input::File(p) | Input::Unreadable(p, _) => p,
        };
        match config::discover(path) {
            None => out.push(Config::default()),
            Some(found) => {
                if !cache.contains_key(&found) {
                    let c = Config::load(&found)?;
                    cache.insert(found.clone(), c);
                }
                out.push(cache[&found].clone());
            }
        }
    }
    Ok(out)
}

/// Applies `--select`/`--ignore`, per-rule severities, `[[ignore]]` entries and
/// `fortilint: ignore` comments.
pub fn apply_settings(
    findings: Vec<Finding>,
    args: &RuleArgs,
    configs: &[Config],
    models: &[Option<Model<'_>>],
    paths: &[&Path],
) -> Vec<Finding> {
    findings
        .into_iter()
        .filter_map(|mut f| {
            let file = f.primary.file;
            if !args.select.is_empty()
                && !args.select.iter().any(|k| matches_rule(k, f.code, f.name))
            {
                return None;
            }
            if args.ignore.iter().any(|k| matches_rule(k, f.code, f.name)) {
                return None;
            }
            let cfg = &configs[file];
            f.severity = cfg.severity(&f)?;
            if cfg.ignores(&f, paths[file]) {
                return None;
            }
            if models[file]
                .as_ref()
                .is_some_and(|m| rules::suppressed_by_comment(m, &f))
            {
                return None;
            }
            Some(f)
        })
        .collect()
}

/// 2 if any file failed, else 1 if a finding reaches the threshold, else 0.
pub fn exit_code(any_failed: bool, findings: &[Finding], fail_on: FailOn) -> u8 {
    if any_failed {
        return EXIT_ERROR;
    }
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    if findings.iter().any(|f| f.severity >= threshold) {
        EXIT_FINDINGS
    } else {
        0
    }
}
