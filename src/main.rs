//! The `fortilint` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    fortilint::cli::main()
}
