//! The command-line grammar (clap derive).

use std::path::PathBuf;

pub use super::people_args::{PersonCommand, PersonEmailCommand, PersonListArgs};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Latchkey, a single sign-on identity provider.
#[derive(Debug, Parser)]
#[command(name = "latchkey", version, about, propagate_version = true)]
pub struct Cli {
    /// Settings file (default: ./latchkey.toml when it exists).
    #[arg(
        long,
        short = 'c',
        global = true,
        env = "LATCHKEY_CONFIG",
        value_name = "FILE"
    )]
    pub config: Option<PathBuf>,
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage people.
    #[command(subcommand)]
    Person(PersonCommand),
    /// Manage teams.
    #[command(subcommand)]
    Team(TeamCommand),
    /// Read the audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Manage the site's web-hook token.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Manage OpenID Connect signing keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Manage OpenID Connect relying parties.
    #[command(subcommand)]
    Client(ClientCommand),
    /// Manage OpenID 2.0 realms an administrator trusts (their decision page is skipped).
    #[command(subcommand)]
    Openid(OpenidCommand),
    /// Print a shell completion script on standard output, e.g.
    /// `latchkey completions bash > /etc/bash_completion.d/latchkey`. Reads no settings.
    /// Exit codes: 0 printed; 2 unknown shell.
    Completions {
        /// The shell: bash, zsh or fish.
        shell: CompletionShell,
    },
}

/// The shells `completions` writes scripts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    /// GNU Bash.
    Bash,
    /// Z shell.
    Zsh,
    /// fish.
    Fish,
}

/// `token …`
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Replace the site's web-hook token and print the new one. Exit codes: 0 done; 1 the DSN
    /// cannot make a connection pool; 2 connecting failed; 3 no Latchkey schema; 4 not stored.
    Create {
        /// The database: postgres://USER:PASSWORD@HOST:PORT/DB or sqlite://PATH.
        dsn: String,
    },
}

/// `keys …`
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Make a new signing key; the old one's public key stays published until the tokens it
    /// signed have expired.
    Rotate {
        /// Only this algorithm (RS256 or EdDSA); default: both.
        #[arg(long)]
        alg: Option<String>,
    },
    /// List the signing keys, newest first: kid, algorithm, created, retired, and whether it
    /// is in use. A key is in use while it signs new tokens (the newest unretired key of its
    /// algorithm) or while its public half is still published in the JWKS so that tokens it
    /// signed can be verified (until they have all expired). Exit codes: 0 listed.
    List {
        /// One JSON array on standard output: `[{"kid", "alg", "created_at", "retired_at",
        /// "publish_until" (Unix seconds or null), "signing", "published", "in_use"}]`.
        #[arg(long)]
        json: bool,
    },
    /// Retire a signing key: it stops signing at once, and its public half leaves the JWKS
    /// once the tokens it signed have expired (as after `keys rotate`). Audited. Exit codes:
    /// 0 retired; 1 no such key, already retired, or the only active key of its algorithm
    /// (use `keys rotate` to replace that one).
    Retire {
        /// The key id (`kid`), as `keys list` prints it (it may begin with `-`).
        #[arg(allow_hyphen_values = true)]
        kid: String,
    },
}

/// `client …`
#[derive(Debug, Subcommand)]
pub enum ClientCommand {
    /// Register a relying party; prints its client id and (unless public) its secret, once.
    Add {
        /// Its name, shown on the consent page.
        #[arg(long)]
        name: String,
        /// An exact redirect URI (repeat for several).
        #[arg(long = "redirect-uri", required = true)]
        redirect_uris: Vec<String>,
        /// An exact post-logout redirect URI (repeat for several).
        #[arg(long = "post-logout-redirect-uri")]
        post_logout_redirect_uris: Vec<String>,
        /// A public client (no secret; PKCE required).
        #[arg(long)]
        public: bool,
        /// Trusted: people are not asked for consent.
        #[arg(long)]
        trusted: bool,
        /// A resource server: may introspect tokens issued to any client (confidential only).
        #[arg(long)]
        introspect_any: bool,
        /// Codes only for sign-ins with two factors: a person who signed in with a password
        /// alone completes a second step first; one without a second factor is refused.
        #[arg(long)]
        require_second_factor: bool,
        /// ID-token signing algorithm: RS256 (default) or EdDSA.
        #[arg(long, default_value = "RS256")]
        alg: String,
    },
    /// List relying parties.
    List {
        /// One JSON array on standard output, each as `client show --json` prints it.
        #[arg(long)]
        json: bool,
    },
    /// Show a relying party (never its secret). Exit codes: 0 shown; 1 no such client.
    Show {
        /// Its client id.
        client_id: String,
        /// One JSON object: `{"client_id", "name", "confidential", "redirect_uris",
        /// "post_logout_redirect_uris", "scopes", "trusted", "introspect_any",
        /// "require_second_factor", "alg", "created_at"}`.
        #[arg(long)]
        json: bool,
    },
    /// Remove a relying party and every consent given to it.
    Remove {
        /// Its client id.
        client_id: String,
    },
    /// Give a confidential client a new secret; the old one stops working at once.
    RotateSecret {
        /// Its client id.
        client_id: String,
    },
    /// Change a relying party's settings: each option given replaces the stored setting, and
    /// is checked as `client add` checks it. Audited (`ClientChanged`, naming what changed).
    /// Exit codes: 0 changed; 1 no such client or a refused value (nothing is changed then);
    /// 2 no option given.
    Update(ClientUpdateArgs),
}

/// `client update CLIENT_ID …`
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("changes").required(true).multiple(true)))]
pub struct ClientUpdateArgs {
    /// Its client id.
    pub client_id: String,
    /// A new name, shown on the consent page.
    #[arg(long, group = "changes")]
    pub name: Option<String>,
    /// An exact redirect URI; repeat for several. Replaces every redirect URI.
    #[arg(long = "redirect-uri", group = "changes")]
    pub redirect_uris: Vec<String>,
    /// An exact post-logout redirect URI; repeat for several. Replaces every one.
    #[arg(
        long = "post-logout-redirect-uri",
        group = "changes",
        conflicts_with = "no_post_logout_redirect_uris"
    )]
    pub post_logout_redirect_uris: Vec<String>,
    /// Remove every post-logout redirect URI.
    #[arg(long, group = "changes")]
    pub no_post_logout_redirect_uris: bool,
    /// The scopes it may ask for, among openid, profile, email, groups, offline_access;
    /// repeat or separate with spaces or commas. openid is required.
    #[arg(long = "scope", group = "changes", value_name = "SCOPE")]
    pub scopes: Vec<String>,
    /// Trusted (people are not asked for consent): on or off.
    #[arg(long, group = "changes", value_name = "on|off", value_parser = parse_on_off)]
    pub trusted: Option<bool>,
    /// ID-token signing algorithm: RS256 or EdDSA.
    #[arg(long, group = "changes")]
    pub alg: Option<String>,
    /// Print the updated client as one JSON object, as `client show --json` prints it.
    #[arg(long)]
    pub json: bool,
}

/// `on` or `off` (also `true`/`false`, `yes`/`no`).
fn parse_on_off(value: &str) -> Result<bool, String> {
    match value.to_ascii_lowercase().as_str() {
        "on" | "true" | "yes" => Ok(true),
        "off" | "false" | "no" => Ok(false),
        _ => Err(format!("`{value}` is neither on nor off")),
    }
}

/// `team …`
#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Create a team with a contact address.
    Create {
        /// The team's handle: lower-case letters, digits, `-`, `.`, `+`.
        name: String,
        /// The team's contact address.
        #[arg(long)]
        email: String,
        /// A display name (default: the handle).
        #[arg(long)]
        display_name: Option<String>,
    },
    /// Make a person a member of a team.
    AddMember {
        /// The team's handle.
        team: String,
        /// The person's email address.
        email: String,
    },
    /// Attach another contact address to a team.
    AddAddress {
        /// The team's handle.
        team: String,
        /// The address.
        email: String,
    },
    /// List teams with their number of members.
    List {
        /// One JSON array on standard output: `[{"name", "display_name", "members"}]`.
        #[arg(long)]
        json: bool,
    },
    /// Show a team's members and addresses. Exit codes: 0 shown; 1 no such team.
    Show {
        /// The team's handle.
        team: String,
        /// One JSON object: `{"name", "display_name", "addresses", "members": [{"display_name",
        /// "email"}]}`.
        #[arg(long)]
        json: bool,
    },
    /// End a person's membership. Exit codes: 0 removed; 1 no such team, person or
    /// membership (nothing changed).
    RemoveMember {
        /// The team's handle.
        team: String,
        /// The person's email address.
        email: String,
    },
    /// Remove one of a team's contact addresses. Exit codes: 0 removed; 1 no such team, not
    /// its address, or its last one (nothing changed).
    RemoveAddress {
        /// The team's handle.
        team: String,
        /// The address.
        address: String,
    },
    /// Give a team a new handle. Exit codes: 0 renamed; 1 no such team, or the new handle is
    /// invalid or taken (nothing changed).
    Rename {
        /// The team's handle.
        team: String,
        /// The new handle.
        new_name: String,
    },
    /// Delete a team with its addresses and memberships. Exit codes: 0 deleted; 1 no such
    /// team, or it still has members and `--force` was not given (nothing changed).
    Delete {
        /// The team's handle.
        team: String,
        /// Delete it even though it has members.
        #[arg(long)]
        force: bool,
    },
}

/// `audit …`
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// List audit events, oldest first. Exit codes: 0 listed; 1 a filter is invalid or names
    /// no one (unknown code, time or address).
    List(AuditListArgs),
}

/// Filters for `audit list`.
#[derive(Debug, Args)]
pub struct AuditListArgs {
    /// Only events since a time (RFC 3339, e.g. 2026-01-31T12:00:00Z) or for a duration
    /// back from now (e.g. 1h, 7days).
    #[arg(long)]
    pub since: Option<String>,
    /// Only events with this code (e.g. PersonCreated).
    #[arg(long)]
    pub code: Option<String>,
    /// Only events about the person (or team) with this address.
    #[arg(long, value_name = "EMAIL")]
    pub person: Option<String>,
    /// Only events naming this relying party (`client <ID>` in their detail).
    #[arg(long, value_name = "ID")]
    pub client: Option<String>,
    /// One JSON array on standard output: `[{"occurred_at" (Unix seconds), "time" (RFC 3339),
    /// "code", "subsystem", "person_id", "remote_addr", "request_path", "detail",
    /// "occurrences"}]`.
    #[arg(long)]
    pub json: bool,
    /// At most this many of the newest events.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(i64).range(1..=100_000))]
    pub limit: i64,
}

/// `openid …`
#[derive(Debug, Subcommand)]
pub enum OpenidCommand {
    /// Trust a realm: people signing in to it skip the decision page. Audited
    /// (`OpenIdRealmTrusted`). Exit codes: 0 trusted (or trusted already); 1 not a realm.
    Trust {
        /// The realm: an absolute http or https URL, e.g. https://*.example.org/.
        realm: String,
    },
    /// Stop trusting a realm. Audited (`OpenIdRealmUntrusted`). Exit codes: 0 untrusted; 1 the
    /// realm was not trusted (nothing changed).
    Untrust {
        /// The realm, as `openid list` prints it.
        realm: String,
    },
    /// List trusted realms. Exit codes: 0 listed.
    List {
        /// One JSON array on standard output: `[{"realm", "trusted_by", "trusted_at" (Unix
        /// seconds)}]`.
        #[arg(long)]
        json: bool,
    },
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[test]
    fn a_key_id_that_begins_with_a_hyphen_is_taken_as_the_key_id() {
        let cli = Cli::try_parse_from(["latchkey", "keys", "retire", "-Tq3x"]).unwrap();
        let rendered = format!("{cli:?}");
        assert!(rendered.contains("\"-Tq3x\""), "{rendered}");
    }
}
