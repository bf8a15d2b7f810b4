//! Which files a run reads: files named on the command line always; in directories, files
//! that look like FortiOS configurations by extension and by content. VCS folders are
//! skipped, `.gitignore` (and `.ignore`) files are honoured, symbolic links are not followed
//! (no loops), and the order is stable (sorted by name).

use std::io::Read;
use std::path::{Path, PathBuf};

/// Extensions a configuration file may have inside a directory (or none at all).
const EXTENSIONS: &[&str] = &["conf", "cfg", "txt", "log"];

/// Folders never entered.
const SKIP_DIRS: &[&str] = &[".git", ".hg", ".svn", ".bzr", "_darcs", "CVS"];

/// A file to read, or a path that could not be walked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    /// A directory entry that could not be read (permission, vanished file, …).
    Unreadable(PathBuf, String),
}

/// Expands the command-line paths into the files to lint, in a stable order.
pub fn discover(paths: &[PathBuf]) -> Vec<Input> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" || !path.is_dir() {
            out.push(Input::File(path.clone()));
            continue;
        }
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
                    if has_config_extension(e.path()) && looks_like_config(e.path()) {
                        out.push(Input::File(e.into_path()));
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
    }
    out
}

fn has_config_extension(path: &Path) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        None => true,
        Some(ext) => EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(ext)),
    }
}

/// Content sniffing: a `#config-version=` header, or a `config <word>` line near the top.
pub fn looks_like_config(path: &Path) -> bool {
    let mut buf = Vec::with_capacity(64 * 1024);
    let Ok(f) = std::fs::File::open(path) else {
        // Let the loader report why it cannot be read.
        return true;
    };
    if f.take(64 * 1024).read_to_end(&mut buf).is_err() {
        return true;
    }
    sniff(&buf)
}

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
        let found: Vec<_> = discover(&[d.to_path_buf()])
            .into_iter()
            .map(|i| match i {
                Input::File(p) => p.strip_prefix(d).unwrap().to_string_lossy().into_owned(),
                Input::Unreadable(p, e) => panic!("{p:?} {e}"),
            })
            .collect();
        assert_eq!(found, ["FW2", "site/a.conf", "site/b/fw1.conf"]);
        // .gitignore is honoured, even outside a git repository.
        std::fs::write(d.join(".gitignore"), "site/b/\n").unwrap();
        let found: Vec<_> = discover(&[d.to_path_buf()])
            .into_iter()
            .filter_map(|i| match i {
                Input::File(p) => Some(p.strip_prefix(d).unwrap().to_string_lossy().into_owned()),
                Input::Unreadable(..) => None,
            })
            .collect();
        assert_eq!(found, ["FW2", "site/a.conf"]);
        // A symlink loop does not hang the walk.
        #[cfg(unix)]
        std::os::unix::fs::symlink(d, d.join("site/loop")).unwrap();
        assert_eq!(discover(&[d.to_path_buf()]).len(), 2);
        // Named explicitly, a file is always linted.
        assert_eq!(
            discover(&[d.join("site/notes.txt")]),
            [Input::File(d.join("site/notes.txt"))]
        );
    }
}
