//! `completions bash|zsh|fish`: a shell completion script generated from the grammar.

use clap::CommandFactory;
use clap_complete::Shell;

use super::args::{Cli, CompletionShell};

/// Writes the completion script for a shell.
pub fn print(shell: CompletionShell, out: &mut dyn std::io::Write) {
    let shell = match shell {
        CompletionShell::Bash => Shell::Bash,
        CompletionShell::Zsh => Shell::Zsh,
        CompletionShell::Fish => Shell::Fish,
    };
    clap_complete::generate(shell, &mut Cli::command(), "latchkey", out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shell_gets_a_script_naming_the_commands() {
        for shell in [
            CompletionShell::Bash,
            CompletionShell::Zsh,
            CompletionShell::Fish,
        ] {
            let mut out = Vec::new();
            print(shell, &mut out);
            let script = String::from_utf8(out).unwrap();
            assert!(script.contains("latchkey"), "{shell:?}");
            assert!(script.contains("completions"), "{shell:?}");
        }
    }
}
