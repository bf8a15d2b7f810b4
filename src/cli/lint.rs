//! What `check` and `fix` share: finding the inputs and their configs, running the rules,
//! applying the user's rule settings, and the exit code.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::args::{FailOn, RuleArgs};
use super::inputs::{self, Input};
use super::{EXIT_ERROR, EXIT_FINDINGS, Loaded, load_all};
use crate::config::{self, Config};
use crate::model::Model;
use crate::rules::{self, FileFacts, Finding, registry};

/// The inputs of a run, their configs, and (for commands that hold every file) their sources.
pub struct Session {
    pub inputs: Vec<Input>,
    pub configs: Vec<Config>,
    pub loaded: Vec<Loaded>,
    /// The directory arguments' walks, to say which held no configuration once the files
    /// they found are read (see [`Session::retain_inputs`]).
    pub walks: Vec<inputs::Walk>,
}

impl Session {
    /// Validates the rule options and finds the inputs and their configs; reads nothing yet.
    pub fn discover(paths: &[PathBuf], args: &RuleArgs) -> Result<Session, String> {
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
        let inputs::Discovered { inputs, walks } = inputs::discover(paths);
        let configs = if args.isolated {
            vec![Config::default(); inputs.len()]
        } else {
            configs_for(&inputs, args.config.as_deref())?
        };
        if !args.migration && !configs.iter().any(|c| c.migration) {
            for line in idle_migration_rules(&args.select) {
                eprintln!("{line}");
            }
        }
        Ok(Session {
            inputs,
            configs,
            loaded: Vec::new(),
            walks,
        })
    }

    /// [`Session::discover`], then reads every file (walked files that are not configurations
    /// are left out).
    pub fn open(paths: &[PathBuf], args: &RuleArgs) -> Result<Session, String> {
        let mut s = Session::discover(paths, args)?;
        let loaded = load_all(&s.inputs);
        let keep: Vec<bool> = loaded.iter().map(Option::is_some).collect();
        s.retain_inputs(&keep);
        s.loaded = loaded.into_iter().flatten().collect();
        Ok(s)
    }

    pub fn path(&self, i: usize) -> &Path {
        self.inputs[i].path()
    }

    /// Keeps the inputs for which `keep` holds (it has one entry per input), with their
    /// configs and, if read, their sources: the others are walked files that turned out not
    /// to be configurations. A directory argument left without any input is named on stderr.
    /// Returns where each input went (`None`: dropped), for [`renumber`].
    pub fn retain_inputs(&mut self, keep: &[bool]) -> Vec<Option<usize>> {
        let mut map = Vec::with_capacity(keep.len());
        let mut next = 0;
        for &k in keep {
            map.push(k.then_some(next));
            next += usize::from(k);
        }
        if next == keep.len() {
            return map;
        }
        // Where an old index lands: the number of inputs kept before it.
        let kept_before = |i: usize| map[..i].iter().flatten().count();
        self.walks.retain_mut(|w| {
            if w.inputs.clone().all(|i| map[i].is_none()) {
                eprintln!("fortilint: {}", inputs::nothing_found(&w.dir));
                return false;
            }
            w.inputs = kept_before(w.inputs.start)..kept_before(w.inputs.end);
            true
        });
        retain_by(&mut self.inputs, keep);
        retain_by(&mut self.configs, keep);
        if self.loaded.len() == keep.len() {
            retain_by(&mut self.loaded, keep);
        }
        map
    }

    /// Every rule over models held in memory (indexed like the inputs), settings applied.
    pub fn findings(
        &self,
        models: &[Option<Model<'_>>],
        args: &RuleArgs,
        now: u64,
    ) -> Vec<Finding> {
        let mut all = Vec::new();
        let mut facts = Vec::new();
        for (i, m) in models.iter().enumerate() {
            if let Some(m) = m {
                all.extend(self.file_findings(i, m, args, now));
                facts.push(FileFacts::from_model(i, m));
            }
        }
        let run = self.run_findings(&facts, &all, now);
        all.extend(run);
        all.retain(|f| selected(f, args));
        all
    }

    /// The file rules over one file, config and suppression comments applied (`--select` and
    /// `--ignore` come last, see [`selected`]).
    pub fn file_findings(
        &self,
        i: usize,
        m: &Model<'_>,
        args: &RuleArgs,
        now: u64,
    ) -> Vec<Finding> {
        let cfg = &self.configs[i];
        rules::run_file(i, m, now, args.migration || cfg.migration)
            .into_iter()
            .filter_map(|mut f| {
                (admit(&mut f, cfg, &inputs::effective_path(self.path(i)))
                    && !rules::suppressed_by_comment(m, &f))
                .then_some(f)
            })
            .collect()
    }

    /// The run rules over the facts of every file, settings applied.
    pub fn run_findings(&self, facts: &[FileFacts], prior: &[Finding], now: u64) -> Vec<Finding> {
        rules::run_run(facts, prior, now)
            .into_iter()
            .filter_map(|mut f| {
                let file = f.primary.file;
                let suppressed = facts
                    .iter()
                    .any(|x| x.file == file && x.suppresses(f.code, f.token.as_deref()));
                let path = inputs::effective_path(self.path(file));
                (admit(&mut f, &self.configs[file], &path) && !suppressed).then_some(f)
            })
            .collect()
    }
}

/// Keeps the items of `v` for which `keep` holds (same length).
fn retain_by<T>(v: &mut Vec<T>, keep: &[bool]) {
    let mut k = keep.iter();
    v.retain(|_| k.next().copied().unwrap_or(true));
}

/// Points the findings and facts of a run at the new file indexes after some files left it
/// (`map` from [`Session::retain_inputs`]). Nothing may point into a file that left.
pub fn renumber(map: &[Option<usize>], findings: &mut [Finding], facts: &mut [FileFacts]) {
    let new = |i: usize| {
        debug_assert!(map[i].is_some(), "file {i} left the run but is pointed at");
        map[i].unwrap_or(i)
    };
    for f in findings {
        f.primary.file = new(f.primary.file);
        for l in &mut f.related {
            l.file = new(l.file);
        }
    }
    for f in facts {
        f.file = new(f.file);
    }
}

/// One warning per migration-only rule that a `--select` key names exactly (its code or its
/// name), for runs where migration mode is off: such a rule would silently report nothing.
pub fn idle_migration_rules(select: &[String]) -> Vec<String> {
    registry::RULES
        .iter()
        .map(|r| r.meta())
        .filter(|m| m.migration_only)
        .filter(|m| {
            select
                .iter()
                .any(|k| k.trim().eq_ignore_ascii_case(m.code) || k.trim() == m.name)
        })
        .map(|m| {
            format!(
                "fortilint: warning: {} ({}) runs only with --migration (or `migration = true` in fortilint.toml); it was selected but will not run",
                m.code, m.name
            )
        })
        .collect()
}

/// A warning for each code in a `fortilint: ignore` marker that matches no rule (a typo would
/// otherwise silently suppress nothing).
pub fn marker_warnings(m: &Model<'_>) -> Vec<crate::parse::Warning> {
    let comments = m
        .tokens
        .iter()
        .filter_map(|t| t.comments())
        .chain(m.users.iter().filter_map(|u| u.comments.as_ref()))
        .chain(m.admins.iter().filter_map(|a| a.comments.as_ref()));
    let mut out = Vec::new();
    for c in comments {
        for code in rules::unknown_ignore_codes(&c.value) {
            out.push(crate::parse::Warning {
                span: m.doc.node(c.node).content,
                message: format!(
                    "`fortilint: ignore` names `{code}`, which is no rule (see `fortilint rules`)"
                ),
            });
        }
    }
    out
}

impl Session {
    /// The path of input `i` relative to its repository root: the git top level above it,
    /// else its config file's folder, else the working directory. Baselines and fingerprints
    /// use it, so they match whatever the spelling of the path or the working directory.
    pub fn key_path(&self, i: usize) -> String {
        let path = inputs::effective_path(self.path(i));
        if path.as_os_str() == "-" {
            return "<stdin>".to_owned();
        }
        repo_relative(&path, self.configs[i].path.as_deref())
    }
}

/// See [`Session::key_path`].
pub fn repo_relative(path: &Path, config: Option<&Path>) -> String {
    let abs = |p: &Path| {
        std::fs::canonicalize(p).unwrap_or_else(|_| {
            crate::source::normalized(&std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
        })
    };
    let file = abs(path);
    let root = file
        .ancestors()
        .skip(1)
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
        .or_else(|| config.and_then(Path::parent).map(abs))
        .or_else(|| std::env::current_dir().ok().map(|d| abs(&d)));
    let rel = root
        .as_deref()
        .and_then(|r| file.strip_prefix(r).ok())
        .unwrap_or(&file);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
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
    // Files of one folder share their config: look it up once per folder.
    let mut found_in: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
    let mut out = Vec::with_capacity(inputs.len());
    for input in inputs {
        let path = inputs::effective_path(input.path());
        let found = match path
            .parent()
            .filter(|d| path.as_os_str() != "-" && !d.as_os_str().is_empty())
        {
            Some(dir) => found_in
                .entry(dir.to_path_buf())
                .or_insert_with(|| config::discover(&path))
                .clone(),
            None => config::discover(&path),
        };
        match found {
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

/// The per-rule severity and the `[[ignore]]` entries of the file's config: whether the
/// finding stays (its severity adjusted).
pub fn admit(f: &mut Finding, cfg: &Config, path: &Path) -> bool {
    match cfg.severity(f) {
        None => false,
        Some(s) => {
            f.severity = s;
            !cfg.ignores(f, path)
        }
    }
}

/// `--select` / `--ignore`: whether the finding is reported. Applied last, so that rules
/// that look at other findings (FTK011) see them whatever is selected for display.
pub fn selected(f: &Finding, args: &RuleArgs) -> bool {
    (args.select.is_empty() || args.select.iter().any(|k| matches_rule(k, f.code, f.name)))
        && !args.ignore.iter().any(|k| matches_rule(k, f.code, f.name))
}

/// 2 if any file failed, else 1 if a finding reaches the threshold, else 0.
pub fn exit_code(any_failed: bool, findings: &[Finding], fail_on: FailOn) -> u8 {
    if any_failed {
        return EXIT_ERROR;
    }
    let threshold = fail_on.severity();
    if findings.iter().any(|f| f.severity >= threshold) {
        EXIT_FINDINGS
    } else {
        0
    }
}
