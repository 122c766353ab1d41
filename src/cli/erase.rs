//! `person erase EMAIL [--yes]`: asks for the address again on standard input (a terminal or a
//! pipe), unless `--yes`, then erases the person.

use std::io::{BufRead, IsTerminal, Write};

use super::CliError;
use crate::domain::EmailAddress;
use crate::service::Context;
use crate::service::admin::Actor;
use crate::service::admin::erase::erase_person;

/// `person erase`.
pub(super) async fn erase(ctx: &Context, email: &str, yes: bool) -> Result<(), CliError> {
    let email = EmailAddress::parse(email).map_err(CliError::refused)?;
    if !yes {
        confirm(&email)?;
    }
    let erased = erase_person(ctx, &Actor::cli(), &email).await?;
    println!(
        "erased <{email}>: {} addresses freed, {} audit rows now name {}",
        erased.addresses, erased.audit_rows, erased.pseudonym
    );
    Ok(())
}

/// Reads one line and accepts it only if it is the address again (in any case).
fn confirm(email: &EmailAddress) -> Result<(), CliError> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Erasing <{email}> cannot be undone. Type the address again to confirm: ");
        // The prompt is a courtesy: a failure to show it changes nothing.
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::Refused(format!("cannot read the confirmation: {e}")))?;
    let typed = line.trim();
    match EmailAddress::parse(typed) {
        Ok(again) if again.key() == email.key() => Ok(()),
        _ => Err(CliError::Refused(format!(
            "not confirmed: type <{email}> again on standard input, or pass --yes; nothing changed"
        ))),
    }
}
