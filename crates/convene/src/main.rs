//! The `convene` command line: a thin layer over the libraries.
//!
//! Exit codes: 0 success; 1 the record does not verify (or the receipt does not check);
//! 2 bad usage or unreadable input.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
