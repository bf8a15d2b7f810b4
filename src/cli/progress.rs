//! The progress bar of long directory runs: on stderr, only when stderr is a terminal, only
//! for runs large enough to be worth it, and never with `--no-progress`.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Loaded;

/// Runs with fewer files and fewer bytes than these finish too fast for a bar.
const MIN_FILES: usize = 200;
const MIN_BYTES: usize = 64 << 20;

static DISABLED: AtomicBool = AtomicBool::new(false);

/// `--no-progress`.
pub fn disable() {
    DISABLED.store(true, Ordering::Relaxed);
}

/// Whether this run shows a bar: enabled, stderr is a terminal, and the run is long.
pub fn wanted(files: usize, bytes: usize) -> bool {
    !DISABLED.load(Ordering::Relaxed)
        && std::io::stderr().is_terminal()
        && (files >= MIN_FILES || bytes >= MIN_BYTES)
}

/// A bar over the files of a run, if [`wanted`].
pub fn bar(loaded: &[Loaded]) -> Option<ProgressBar> {
    let bytes = loaded
        .iter()
        .filter_map(|l| l.source.as_ref().ok())
        .map(|s| s.text.len())
        .sum();
    if !wanted(loaded.len(), bytes) {
        return None;
    }
    let bar =
        ProgressBar::with_draw_target(Some(loaded.len() as u64), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} linting {pos}/{len} files {wide_bar} {eta}")
    {
        bar.set_style(style);
    }
    Some(bar)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_bar_when_disabled_or_small() {
        assert!(!wanted(1, 10));
        disable();
        assert!(!wanted(10_000, 1 << 30));
    }
}
