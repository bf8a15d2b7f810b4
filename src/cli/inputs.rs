//! Which files a run reads. In directories: files that look like FortiOS configurations by
//! extension, then by content; the content is judged when the file is read, in the parallel
//! load (see [`Input::Found`]), so that each file is opened once. Files named on the command
//! line go through the same content sniffing here: one that is clearly not FortiOS text (readable text without a single `config`
//! line or `#config-version=` header, such as a `NOTES.txt` a pre-commit hook passes along)
//! is skipped with a note on stderr; binary, encrypted, empty or YAML files are still read,
//! so that the loader names the problem. With `--force-exclude`, named files also pass the
//! directory filters (extension, `.gitignore`/`.ignore`), as ruff's flag of that name does.
//! VCS folders are skipped, symbolic links are not followed (no loops), and the order is
//! stable (sorted by name). A path that does not exist is an input error.

use std::borrow::Cow;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Extensions a configuration file may have inside a directory (or none at all).
const EXTENSIONS: &[&str] = &["conf", "cfg", "txt", "log"];

/// Folders never entered.
const SKIP_DIRS: &[&str] = &[".git", ".hg", ".svn", ".bzr", "_darcs", "CVS"];

/// A file to read, or a path that could not be walked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A file named on the command line (or `-`): read whatever it holds.
    File(PathBuf),
    /// A file a directory walk found by its extension: read only if its head [`sniff`]s as a
    /// configuration, else skipped silently (even if it is binary); one that cannot be opened
    /// is kept, for the loader to report.
    Found(PathBuf),
    /// A directory entry that could not be read (permission, vanished file, …).
    Unreadable(PathBuf, String),
}

impl Input {
    pub fn path(&self) -> &Path {
        match self {
            Input::File(p) | Input::Found(p) | Input::Unreadable(p, _) => p,
        }
    }
}

/// The inputs of a run, and the directory walks that found some of them.
#[derive(Clone, Debug, Default)]
pub struct Discovered {
    pub inputs: Vec<Input>,
    pub walks: Vec<Walk>,
}

/// A directory argument whose walk found some inputs: `inputs` are their indexes in
/// [`Discovered::inputs`]. When every one of them is skipped on loading, the folder held no
/// configuration, and [`nothing_found`] says so then. (A walk that finds nothing at all is
/// said at once.)
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Walk {
    pub dir: PathBuf,
    pub inputs: Range<usize>,
}

/// The note for a directory argument that holds no configuration.
pub fn nothing_found(dir: &Path) -> String {
    format!(
        "warning: no FortiOS configuration found in {}",
        dir.display()
    )
}

/// How named inputs are treated; set once from the command line (see [`set_options`]).
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--stdin-filename`: the path standard input stands for (config discovery, ignores,
    /// display).
    pub stdin_filename: Option<PathBuf>,
    /// `--force-exclude`: named files also pass the directory filters.
    pub force_exclude: bool,
}

static OPTIONS: OnceLock<Options> = OnceLock::new();

/// Records the input options of this run (first call wins).
pub fn set_options(o: Options) {
    let _ = OPTIONS.set(o);
}

fn options() -> &'static Options {
    OPTIONS.get_or_init(Options::default)
}

/// The path an input stands for: the `--stdin-filename` for `-`, else the path itself.
pub fn effective_path(path: &Path) -> Cow<'_, Path> {
    match &options().stdin_filename {
        Some(name) if path.as_os_str() == "-" => Cow::Owned(name.clone()),
        _ => Cow::Borrowed(path),
    }
}

/// Expands the command-line paths into the files to lint, in a stable order.
pub fn discover(paths: &[PathBuf]) -> Discovered {
    discover_with(paths, options(), &mut |msg| eprintln!("fortilint: {msg}"))
}

/// [`discover`] with explicit options; notes (skipped files, empty folders) go to `note`.
pub fn discover_with(paths: &[PathBuf], opts: &Options, note: &mut dyn FnMut(&str)) -> Discovered {
    let mut out = Vec::new();
    let mut walks = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Input::File(path.clone()));
            continue;
        }
        if path.as_os_str().is_empty() || std::fs::symlink_metadata(path).is_err() {
            out.push(Input::Unreadable(
                path.clone(),
                "no such file or directory".to_owned(),
            ));
            continue;
        }
        if !path.is_dir() {
            if opts.force_exclude && excluded(path) {
                note(&format!(
                    "note: skipping {}: excluded (extension or .gitignore, --force-exclude)",
                    path.display()
                ));
            } else if clearly_not_config(path) {
                note(&format!(
                    "note: skipping {}: not a FortiOS configuration (no `config` line or \
                     `#config-version=` header)",
                    path.display()
                ));
            } else {
                out.push(Input::File(path.clone()));
            }
            continue;
        }
        let before = out.len();
        // Files the walk finds are sniffed when they are read (see `Input::Found`).
        let mut walk = ignore::WalkBuilder::new(path);
        walk.hidden(false)
            .git_ignore(true)
            .git_exclude(true)
            .git_global(false)
            .require_git(false)
            .follow_links(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .filter_entry(|e| {
                e.depth() == 0
                    || !(e.file_type().is_some_and(|t| t.is_dir())
                        && e.file_name()
                            .to_str()
                            .is_some_and(|n| SKIP_DIRS.contains(&n)))
            });
        for entry in walk.build() {
            match entry {
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                    if has_config_extension(e.path()) {
                        out.push(Input::Found(e.into_path()));
                    }
                }
                Ok(_) => {}
                Err(err) => {
                    let p = match &err {
                        ignore::Error::WithPath { path: p, .. } => p.clone(),
                        _ => path.clone(),
                    };
                    out.push(Input::Unreadable(p, err.to_string()));
                }
            }
        }
        if out.len() == before {
            note(&nothing_found(path));
        } else {
            walks.push(Walk {
                dir: path.clone(),
                inputs: before..out.len(),
            });
        }
    }
    Discovered { inputs: out, walks }
}

/// Whether the directory walk would leave out this file: wrong extension, or ignored by a
/// `.gitignore`/`.ignore` file of its folder or a parent.
fn excluded(path: &Path) -> bool {
    if !has_config_extension(path) {
        return true;
    }
    let Ok(abs) = std::fs::canonicalize(path) else {
        return false;
    };
    // The nearest ignore file that has a say wins (`.ignore` before `.gitignore`), up to the
    // top of the repository.
    for dir in abs.ancestors().skip(1) {
        for name in [".ignore", ".gitignore"] {
            let f = dir.join(name);
            if !f.is_file() {
                continue;
            }
            let (gi, _) = ignore::gitignore::Gitignore::new(&f);
            match gi.matched_path_or_any_parents(&abs, false) {
                ignore::Match::Ignore(_) => return true,
                ignore::Match::Whitelist(_) => return false,
                ignore::Match::None => {}
            }
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    false
}

/// A named file that is readable text but has no sign of FortiOS configuration. Binary,
/// empty, unreadable or encrypted files are not "clearly" anything: the loader names them.
pub fn clearly_not_config(path: &Path) -> bool {
    let Some(buf) = read_head(path) else {
        return false;
    };
    let text_ok = match std::str::from_utf8(&buf) {
        Ok(_) => true,
        // A character cut at the 64 KiB boundary is still text.
        Err(e) => e.error_len().is_none(),
    };
    text_ok
        && !buf.contains(&0)
        && !buf.iter().all(u8::is_ascii_whitespace)
        && !sniff(&buf)
        && !has_statement(&buf)
}

/// A line that is a FortiOS statement (`set …`, `edit …`, `next`, `end`, …): a pasted
/// fragment without its `config` line (one that starts inside a block) is still a
/// configuration, to be parsed leniently or refused with a located error.
fn has_statement(head: &[u8]) -> bool {
    head.split(|&b| b == b'\n' || b == b'\r').any(|line| {
        let t = line.trim_ascii();
        matches!(t, b"next" | b"end")
            || [&b"set "[..], b"unset ", b"edit ", b"config "]
                .iter()
                .any(|p| t.starts_with(p) && t.len() > p.len())
    })
}

fn has_config_extension(path: &Path) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        None => true,
        Some(ext) => EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(ext)),
    }
}

/// Content sniffing of a file (its first 64 KiB), without loading it: see [`sniff`].
pub fn looks_like_config(path: &Path) -> bool {
    // One that cannot be read is kept: the loader reports why.
    read_head(path).is_none_or(|head| sniff(&head))
}

/// The first 64 KiB of a file, or `None` when it cannot be read.
fn read_head(path: &Path) -> Option<Vec<u8>> {
    let mut buf = Vec::with_capacity(64 * 1024);
    let f = std::fs::File::open(path).ok()?;
    f.take(64 * 1024).read_to_end(&mut buf).ok()?;
    Some(buf)
}

/// Content sniffing: a `#config-version=` header, a `config <word>` line or a `# Version:
/// FortiGate` line in the head of a file. A sign found in a head is found in any longer one.
pub fn sniff(head: &[u8]) -> bool {
    head.split(|&b| b == b'\n' || b == b'\r').any(|line| {
        let t = line.trim_ascii_start();
        t.starts_with(b"#config-version=")
            || (t.starts_with(b"config ") && t.len() > 7)
            || t.starts_with(b"# Version: FortiGate")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_configs() {
        assert!(sniff(b"#config-version=FGT60F-7.2.5\n"));
        assert!(sniff(b"some prompt $ show\nconfig system global\n"));
        assert!(!sniff(b"hello world\nconfiguration notes\n"));
    }

    #[test]
    fn walks_directories_skipping_vcs_and_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join(".git")).unwrap();
        std::fs::create_dir_all(d.join("site/b")).unwrap();
        std::fs::write(d.join(".git/config"), "config core\n").unwrap();
        std::fs::write(d.join("site/b/fw1.conf"), "config system global\nend\n").unwrap();
        std::fs::write(d.join("site/a.conf"), "config system global\nend\n").unwrap();
        std::fs::write(d.join("site/notes.txt"), "nothing here\n").unwrap();
        std::fs::write(d.join("site/x.json"), "config system global\n").unwrap();
        std::fs::write(d.join("FW2"), "#config-version=FGT60F\n").unwrap();
        // Files are chosen by extension here; their content is judged when they are read.
        let all = discover(&[d.to_path_buf()]);
        let rel = |i: &Input| match i {
            Input::Found(p) => p.strip_prefix(d).unwrap().to_string_lossy().into_owned(),
            other => panic!("{other:?}"),
        };
        let found: Vec<_> = all.inputs.iter().map(rel).collect();
        assert_eq!(
            found,
            ["FW2", "site/a.conf", "site/b/fw1.conf", "site/notes.txt"]
        );
        assert_eq!(
            all.walks,
            [Walk {
                dir: d.to_path_buf(),
                inputs: 0..4
            }]
        );
        let configs: Vec<_> = all
            .inputs
            .iter()
            .filter(|i| looks_like_config(i.path()))
            .map(rel)
            .collect();
        assert_eq!(configs, ["FW2", "site/a.conf", "site/b/fw1.conf"]);
        // .gitignore is honoured, even outside a git repository.
        std::fs::write(d.join(".gitignore"), "site/b/\n").unwrap();
        let found: Vec<_> = discover(&[d.to_path_buf()])
            .inputs
            .iter()
            .map(rel)
            .collect();
        // (A file without an extension may be a configuration: `.gitignore` is sniffed too.)
        assert_eq!(
            found,
            [".gitignore", "FW2", "site/a.conf", "site/notes.txt"]
        );
        // A symlink loop does not hang the walk.
        #[cfg(unix)]
        std::os::unix::fs::symlink(d, d.join("site/loop")).unwrap();
        assert_eq!(discover(&[d.to_path_buf()]).inputs.len(), 4);
        // Named explicitly, a file is sniffed too: plain notes are skipped with a note.
        let mut notes = Vec::new();
        let opts = Options::default();
        assert!(
            discover_with(&[d.join("site/notes.txt")], &opts, &mut |m| notes
                .push(m.to_owned()))
            .inputs
            .is_empty()
        );
        assert!(notes[0].contains("notes.txt"), "{notes:?}");
        // ... but a config named explicitly is read whatever its extension.
        assert_eq!(
            discover_with(&[d.join("site/x.json")], &opts, &mut |_| ()).inputs,
            [Input::File(d.join("site/x.json"))]
        );
        // --force-exclude applies the directory filters to it.
        let force = Options {
            force_exclude: true,
            ..Options::default()
        };
        let named = |p: &str, o: &Options| discover_with(&[d.join(p)], o, &mut |_| ()).inputs;
        assert!(named("site/x.json", &force).is_empty());
        assert!(named("site/b/fw1.conf", &force).is_empty());
        assert_eq!(named("site/a.conf", &force).len(), 1);
        // A path that does not exist is an input error, an empty folder a warning.
        assert!(matches!(
            &named("nope.conf", &opts)[..],
            [Input::Unreadable(_, why)] if why.contains("no such file")
        ));
        std::fs::create_dir_all(d.join("empty")).unwrap();
        let mut notes = Vec::new();
        let empty = discover_with(&[d.join("empty")], &opts, &mut |m| notes.push(m.to_owned()));
        assert!(empty.inputs.is_empty() && empty.walks.is_empty());
        assert!(notes[0].contains("no FortiOS configuration"), "{notes:?}");
    }

    #[test]
    fn binary_or_empty_named_files_are_left_to_the_loader() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("a.conf");
        std::fs::write(&bin, b"\x8f\x00\x13").unwrap();
        assert!(!clearly_not_config(&bin));
        std::fs::write(&bin, b"").unwrap();
        assert!(!clearly_not_config(&bin));
        std::fs::write(&bin, b"just some notes\n").unwrap();
        assert!(clearly_not_config(&bin));
    }
}
