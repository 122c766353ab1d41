//! The `latchkey` binary: parse the command line and run it.

fn main() -> std::process::ExitCode {
    latchkey::cli::main()
}
