//! The progress bar of long directory runs: on stderr, only when stderr is a terminal, only
//! for runs large enough to be worth it, and never with `--no-progress`.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Loaded;
use super::inputs::Input;

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

/// A bar over the loaded files of a run, if [`wanted`].
pub fn bar(loaded: &[Loaded]) -> Option<ProgressBar> {
    let bytes = loaded
        .iter()
        .filter_map(|l| l.source.as_ref().ok())
        .map(|s| s.text.len())
        .sum();
    bar_for(loaded.len(), bytes)
}

/// A bar over inputs not read yet (sizes from the file system), if [`wanted`].
pub fn bar_for_inputs(inputs: &[Input]) -> Option<ProgressBar> {
    let bytes = inputs
        .iter()
        .filter_map(|i| match i {
            Input::File(p) | Input::Found(p) => std::fs::metadata(p).ok().map(|m| m.len() as usize),
            Input::Unreadable(..) => None,
        })
        .sum();
    bar_for(inputs.len(), bytes)
}

fn bar_for(files: usize, bytes: usize) -> Option<ProgressBar> {
    if !wanted(files, bytes) {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
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
