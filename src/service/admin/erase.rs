//! Erasing a person (`person erase`, and later the console): their personal data and every
//! credential go, the audit trail stays under a pseudonym. The person's row is deleted, not
//! kept as a tombstone: `audit_events.person_id` has no foreign key (the trail outlives what it
//! talks about) and every other table that refers to `people` cascades, so nothing needs the
//! row, and a deleted row leaves no name, status or time behind.

use super::Actor;
use super::people::{AdminPeopleError, individual};
use crate::db::DbError;
use crate::db::erase::{
    Removed, addresses_of, audit_rows_naming, claim_person, delete_person, rewrite_audit_row,
};
use crate::domain::{AuditCode, EmailAddress, PersonId, TokenHash};
use crate::service::{Context, audit, sessions};

/// What an erasure did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erased {
    /// The name the audit trail gives the person from now on.
    pub pseudonym: String,
    /// How many addresses went.
    pub addresses: usize,
    /// How many audit rows were rewritten.
    pub audit_rows: usize,
    /// Mail and links that went with the addresses.
    pub removed: Removed,
}

/// The stable pseudonym of a person id: `erased-` and the first 12 hex digits of its SHA-256.
/// The same id always gives the same pseudonym, so rows about one erased person stay
/// recognisable as one person's.
pub fn pseudonym(id: &PersonId) -> String {
    let hash = TokenHash::of(id.as_str());
    format!("erased-{}", &hash.as_str()[..12])
}

/// Erases the individual with `email`: their row and what cascades with it (addresses, which
/// become free to register again, password, second factors, sessions, API keys, consents,
/// OIDC grants, links they asked for, team memberships), mail and links sent to their
/// addresses, lockout counters; then rewrites the audit rows about them or naming one of their
/// addresses to the pseudonym, and records `PersonErased`. One transaction: all of it, or
/// nothing. An unknown address or a team's is refused.
pub async fn erase_person(
    ctx: &Context,
    actor: &Actor,
    email: &EmailAddress,
) -> Result<Erased, AdminPeopleError> {
    let person = individual(ctx, email).await?;
    let alias = pseudonym(&person.id);
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    if !claim_person(&mut tx, &person.id, now).await? {
        return Err(AdminPeopleError::UnknownPerson(email.to_string()));
    }
    let addresses = addresses_of(&mut tx, &person.id).await?;
    let mut known: Vec<String> = addresses
        .iter()
        .flat_map(|(address, key)| [address.to_lowercase(), key.to_lowercase()])
        .collect();
    known.sort();
    known.dedup();
    sessions::end_sessions_of(ctx, &mut tx, &person.id).await?;
    let rows = audit_rows_naming(&mut tx, &person.id, &known).await?;
    let name = person.display_name.as_str();
    for row in &rows {
        let own = row.about_person;
        let detail = scrub(&row.detail, &known, name, &alias, own, &row.code);
        let id = own.then_some(alias.as_str());
        rewrite_audit_row(&mut *tx, row.id, id, &detail).await?;
    }
    let Some(removed) = delete_person(&mut tx, &person.id, &addresses).await? else {
        return Err(AdminPeopleError::UnknownPerson(email.to_string()));
    };
    let what = format!(
        "{alias}: personal data and every credential erased; {} addresses freed",
        addresses.len()
    );
    let (origin, code) = (actor.origin(), AuditCode::PersonErased);
    let erased = PersonId::from_stored(alias.clone());
    audit::record(
        &mut *tx,
        now,
        code,
        Some(&erased),
        origin,
        &actor.detail(&what),
    )
    .await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(Erased {
        pseudonym: alias,
        addresses: addresses.len(),
        audit_rows: rows.len(),
        removed,
    })
}

/// An audit detail without the person in it: each of their `addresses` (lower case) becomes
/// the pseudonym; in a row about them (`own`), so does every other address except an
/// administrator's (`admin:<email>` names who acted) and every quoted name of a
/// `DisplayNameChanged` row (earlier names are not known otherwise); their display name goes
/// wherever it stands as a word of its own.
fn scrub(
    detail: &str,
    addresses: &[String],
    name: &str,
    alias: &str,
    own: bool,
    code: &str,
) -> String {
    let mut text = detail.to_owned();
    for address in addresses.iter().filter(|a| !a.is_empty()) {
        text = replace_ignoring_case(&text, address, alias);
    }
    if own {
        text = replace_addresses(&text, alias);
        if code == AuditCode::DisplayNameChanged.as_str() {
            text = replace_quoted(&text, alias);
        }
    }
    replace_word(&text, name.trim(), alias)
}

/// `text` with every case-insensitive occurrence of `needle` (lower case) replaced.
fn replace_ignoring_case(text: &str, needle: &str, with: &str) -> String {
    let lower = text.to_lowercase();
    // Lower-casing may change byte lengths outside ASCII: then fall back to exact matches.
    if lower.len() != text.len() {
        return text.replace(needle, with);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    for (at, _) in lower.match_indices(needle) {
        if at < rest {
            continue;
        }
        out.push_str(&text[rest..at]);
        out.push_str(with);
        rest = at + needle.len();
    }
    out.push_str(&text[rest..]);
    out
}

fn is_local_char(c: char) -> bool {
    c.is_alphanumeric() || "._%+-!#$&'*/=?^`{|}~".contains(c)
}

fn is_domain_char(c: char) -> bool {
    c.is_alphanumeric() || c == '.' || c == '-'
}

/// `text` with every email address in it replaced, except one written `admin:<address>`.
fn replace_addresses(text: &str, with: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let Some(at) = chars[i..].iter().position(|&c| c == '@').map(|p| p + i) else {
            out.extend(&chars[i..]);
            break;
        };
        let mut start = at;
        while start > i && is_local_char(chars[start - 1]) {
            start -= 1;
        }
        let mut end = at + 1;
        while end < chars.len() && is_domain_char(chars[end]) {
            end += 1;
        }
        while end > at + 1 && chars[end - 1] == '.' {
            end -= 1;
        }
        let before: String = chars[..start].iter().collect();
        if start == at || end == at + 1 || before.ends_with("admin:") {
            out.extend(&chars[i..=at]);
            i = at + 1;
            continue;
        }
        out.extend(&chars[i..start]);
        out.push_str(with);
        i = end;
    }
    out
}

/// `text` with the inside of every pair of double quotes replaced.
fn replace_quoted(text: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (n, part) in text.split('"').enumerate() {
        if n > 0 {
            out.push('"');
        }
        // Odd parts stand between quotes; a last, unclosed one is left as it is.
        let closed = n % 2 == 1 && text.split('"').count() > n + 1;
        out.push_str(if closed { with } else { part });
    }
    out
}

/// `text` with `word` replaced wherever neither neighbour is a letter or digit.
fn replace_word(text: &str, word: &str, with: &str) -> String {
    if word.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    for (at, _) in text.match_indices(word) {
        if at < rest {
            continue;
        }
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric) {
            continue;
        }
        out.push_str(&text[rest..at]);
        out.push_str(with);
        rest = at + word.len();
    }
    out.push_str(&text[rest..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALIAS: &str = "erased-0123456789ab";

    fn own(detail: &str, code: &str) -> String {
        let known = ["ada@example.org".to_owned()];
        scrub(detail, &known, "Ada Lovelace", ALIAS, true, code)
    }

    #[test]
    fn a_pseudonym_is_stable_and_short() {
        let id = PersonId::from_stored("0f8e".to_owned());
        assert_eq!(pseudonym(&id), pseudonym(&id));
        assert_eq!(pseudonym(&id).len(), "erased-".len() + 12);
        assert_ne!(
            pseudonym(&id),
            pseudonym(&PersonId::from_stored("x".into()))
        );
    }

    #[test]
    fn the_persons_addresses_go_in_any_case() {
        let known = ["ada@example.org".to_owned()];
        let out = scrub(
            "ADA@Example.org joined analysts",
            &known,
            "Ada",
            ALIAS,
            false,
            "X",
        );
        assert_eq!(out, format!("{ALIAS} joined analysts"));
    }

    #[test]
    fn every_address_of_their_own_rows_goes_but_an_administrators() {
        let out = own(
            "old@example.net removed (by admin:root@example.org)",
            "EmailRemoved",
        );
        assert_eq!(out, format!("{ALIAS} removed (by admin:root@example.org)"));
    }

    #[test]
    fn earlier_names_of_a_rename_go() {
        let out = own(
            "ada@example.org: \"Countess\" renamed \"Ada Lovelace\" by cli:op",
            "DisplayNameChanged",
        );
        assert_eq!(
            out,
            format!("{ALIAS}: \"{ALIAS}\" renamed \"{ALIAS}\" by cli:op")
        );
    }

    #[test]
    fn the_name_goes_only_as_a_word_of_its_own() {
        assert_eq!(replace_word("Al and Alice", "Al", "X"), "X and Alice");
        assert_eq!(replace_word("passkey Al", "", "X"), "passkey Al");
    }

    #[test]
    fn text_without_addresses_stays() {
        assert_eq!(replace_addresses("a @ b, x@", ALIAS), "a @ b, x@");
        assert_eq!(replace_quoted("say \"hi", ALIAS), "say \"hi");
    }
}
