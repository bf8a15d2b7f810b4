//! The `fortilint` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    tune_allocator();
    fortilint::cli::main()
}

/// glibc's allocator raises its mmap threshold after a large block is freed, so that later
/// large blocks (the parse's per-thread vectors) come from arenas that keep their memory after
/// they are freed. A fixed threshold returns such blocks to the system at once: a backup with a
/// million tokens peaks about 7 % lower (`bench/shapes.py --big`).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn tune_allocator() {
    // SAFETY: `mallopt` only changes allocator parameters; it is called before any thread
    // starts, and a failure (return value 0) leaves the defaults in place.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}
