//! The `fortilint` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    tune_allocator();
    fortilint::cli::main()
}

/// glibc's allocator raises its mmap threshold after a large block is freed, so that later
/// large blocks (the parse's per-thread vectors) come from arenas that keep their memory after
/// they are freed. A fixed threshold returns such blocks to the system at once: a backup with a
/// million tokens peaks about 7 % lower (`bench/shapes.py --big`).
///
/// Below that threshold, glibc gives the free top of an arena back to the system as soon as it
/// exceeds 128 KiB, so a directory run returned and re-faulted the pages of nearly every file
/// it read (`madvise` and page faults were a tenth of its time). Arenas now keep up to 64 MiB
/// free; blocks of 1 MiB and more (a large backup's text and trees) are still mapped and
/// returned one by one, so the peak memory of a large backup does not change.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn tune_allocator() {
    // SAFETY: `mallopt` only changes allocator parameters; it is called before any thread
    // starts, and a failure (return value 0) leaves the defaults in place.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}
