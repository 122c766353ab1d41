//! The `latchkey` binary: parse the command line and run it.

fn main() -> std::process::ExitCode {
    latchkey::tls::install_default_provider();
    latchkey::cli::main()
}
