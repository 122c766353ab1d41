//! Audit events: what happened, to whom, from where. Append-only, and never a secret.

use crate::domain::PersonId;

/// The kinds of event the audit trail records. Later features add their own codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditCode {
    /// An administrator acted in the console (the detail names them as `admin:<email>`).
    AdminAction,
    /// An active person was created by an administrator.
    PersonCreated,
    /// A placeholder profile was created.
    PlaceholderCreated,
    /// An administrator suspended a person.
    PersonSuspended,
    /// A person's account was deactivated.
    PersonDeactivated,
    /// An administrator made a suspended or deactivated person active again.
    PersonReactivated,
    /// An administrator erased a person's personal data and credentials.
    PersonErased,
    /// A team was created.
    TeamCreated,
    /// A person joined a team.
    TeamMemberAdded,
    /// A contact address was attached to a team.
    TeamAddressAdded,
    /// A person signed in with their password.
    LoginSucceeded,
    /// A sign-in failed (wrong password, unknown address, closed account).
    LoginFailed,
    /// An attempt was refused because of a lockout.
    LoginLockedOut,
    /// A new-account link was emailed.
    NewAccountRequested,
    /// A password-recovery link was emailed.
    RecoveryRequested,
    /// A person finished registering through their emailed link.
    AccountRegistered,
    /// A password was set through a recovery link.
    PasswordReset,
    /// A signed-in person changed their password.
    PasswordChanged,
    /// A person signed out.
    SignedOut,
    /// The site's web-hook token was replaced (`latchkey token create`).
    WebhookTokenReplaced,
    /// A web hook was called without the right token (counted per address and minute).
    AuthFail,
    /// A web hook issued a bug-tracker handshake token.
    HandshakeTokenIssued,
    /// A person created an API key (or auth delegation made one).
    ApiKeyCreated,
    /// A person revoked an API key (or a failed delegation revoked the one it made).
    ApiKeyRevoked,
    /// A person restored a revoked API key.
    ApiKeyRestored,
    /// A request came with an unknown or revoked key (counted per address and minute).
    ApiKeyRefused,
    /// An app received a key through auth delegation.
    DelegationSucceeded,
    /// Auth delegation could not deliver a key to an app.
    DelegationFailed,
    /// A relying party failed to authenticate at `/token`, `/revoke` or `/introspect`: unknown
    /// client or wrong secret (counted per reason, client, address and minute).
    ClientAuthFailed,
    /// A password was right and the sign-in waits for its second step.
    SecondStepStarted,
    /// A second step (passkey, authenticator code or recovery code) failed.
    SecondStepFailed,
    /// A second factor (passkey or authenticator app) was added, or recovery codes were made.
    FactorAdded,
    /// A second factor was removed (or renamed: the detail says which).
    FactorRemoved,
    /// A recovery code was used.
    RecoveryCodeUsed,
    /// An administrator removed every factor of a person.
    FactorsReset,
    /// A person changed their display name.
    DisplayNameChanged,
    /// A person asked to add an address: a link to confirm it was emailed there.
    EmailAddRequested,
    /// A person confirmed an added address, which is now theirs.
    EmailAdded,
    /// A person chose another preferred address.
    EmailPreferred,
    /// A person removed one of their addresses.
    EmailRemoved,
    /// A placeholder profile was merged into the person who confirmed its address.
    PlaceholderMerged,
    /// An administrator removed a member from a team.
    TeamMemberRemoved,
    /// An administrator removed a contact address from a team.
    TeamAddressRemoved,
    /// An administrator changed a team's handle.
    TeamRenamed,
    /// An administrator deleted a team.
    TeamDeleted,
    /// A person allowed a relying party to know who they are.
    ConsentGranted,
    /// A person withdrew a relying party's consent.
    ConsentRevoked,
    /// A used refresh token came back: its whole family was revoked.
    RefreshTokenReused,
    /// An administrator registered a relying party.
    ClientCreated,
    /// An administrator changed a relying party.
    ClientChanged,
    /// An administrator removed a relying party.
    ClientRemoved,
    /// An administrator gave a relying party a new secret.
    ClientSecretRotated,
    /// An administrator made a new signing key.
    KeyRotated,
    /// An administrator retired a signing key.
    KeyRetired,
    /// An administrator ended every session of a person.
    SessionsEnded,
    /// A person signed in to an OpenID 2.0 relying party (realm).
    OpenIdSignIn,
    /// A person's decision to sign in to an OpenID 2.0 realm was remembered (or what it shares changed).
    OpenIdDecisionRemembered,
    /// A person revoked a remembered OpenID 2.0 decision.
    OpenIdDecisionRevoked,
    /// An administrator trusted an OpenID 2.0 realm (its decision page is skipped).
    OpenIdRealmTrusted,
    /// An administrator stopped trusting an OpenID 2.0 realm.
    OpenIdRealmUntrusted,
}

impl AuditCode {
    /// Every code, for listing and parsing.
    pub const ALL: [AuditCode; 60] = [
        Self::PersonCreated,
        Self::PlaceholderCreated,
        Self::PersonSuspended,
        Self::PersonDeactivated,
        Self::PersonReactivated,
        Self::PersonErased,
        Self::TeamCreated,
        Self::TeamMemberAdded,
        Self::TeamAddressAdded,
        Self::LoginSucceeded,
        Self::LoginFailed,
        Self::LoginLockedOut,
        Self::NewAccountRequested,
        Self::RecoveryRequested,
        Self::AccountRegistered,
        Self::PasswordReset,
        Self::PasswordChanged,
        Self::SignedOut,
        Self::WebhookTokenReplaced,
        Self::AuthFail,
        Self::HandshakeTokenIssued,
        Self::ApiKeyCreated,
        Self::ApiKeyRevoked,
        Self::ApiKeyRestored,
        Self::ApiKeyRefused,
        Self::DelegationSucceeded,
        Self::DelegationFailed,
        Self::ClientAuthFailed,
        Self::SecondStepStarted,
        Self::SecondStepFailed,
        Self::FactorAdded,
        Self::FactorRemoved,
        Self::RecoveryCodeUsed,
        Self::FactorsReset,
        Self::DisplayNameChanged,
        Self::EmailAddRequested,
        Self::EmailAdded,
        Self::EmailPreferred,
        Self::EmailRemoved,
        Self::PlaceholderMerged,
        Self::TeamMemberRemoved,
        Self::TeamAddressRemoved,
        Self::TeamRenamed,
        Self::TeamDeleted,
        Self::ConsentGranted,
        Self::ConsentRevoked,
        Self::RefreshTokenReused,
        Self::ClientCreated,
        Self::ClientChanged,
        Self::ClientRemoved,
        Self::ClientSecretRotated,
        Self::KeyRotated,
        Self::KeyRetired,
        Self::AdminAction,
        Self::SessionsEnded,
        Self::OpenIdSignIn,
        Self::OpenIdDecisionRemembered,
        Self::OpenIdDecisionRevoked,
        Self::OpenIdRealmTrusted,
        Self::OpenIdRealmUntrusted,
    ];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PersonCreated => "PersonCreated",
            Self::PlaceholderCreated => "PlaceholderCreated",
            Self::PersonSuspended => "PersonSuspended",
            Self::PersonDeactivated => "PersonDeactivated",
            Self::PersonReactivated => "PersonReactivated",
            Self::PersonErased => "PersonErased",
            Self::TeamCreated => "TeamCreated",
            Self::TeamMemberAdded => "TeamMemberAdded",
            Self::TeamAddressAdded => "TeamAddressAdded",
            Self::LoginSucceeded => "LoginSucceeded",
            Self::LoginFailed => "LoginFailed",
            Self::LoginLockedOut => "LoginLockedOut",
            Self::NewAccountRequested => "NewAccountRequested",
            Self::RecoveryRequested => "RecoveryRequested",
            Self::AccountRegistered => "AccountRegistered",
            Self::PasswordReset => "PasswordReset",
            Self::PasswordChanged => "PasswordChanged",
            Self::SignedOut => "SignedOut",
            Self::WebhookTokenReplaced => "WebhookTokenReplaced",
            Self::AuthFail => "AuthFail",
            Self::HandshakeTokenIssued => "HandshakeTokenIssued",
            Self::ApiKeyCreated => "ApiKeyCreated",
            Self::ApiKeyRevoked => "ApiKeyRevoked",
            Self::ApiKeyRestored => "ApiKeyRestored",
            Self::ApiKeyRefused => "ApiKeyRefused",
            Self::DelegationSucceeded => "DelegationSucceeded",
            Self::DelegationFailed => "DelegationFailed",
            Self::ClientAuthFailed => "ClientAuthFailed",
            Self::SecondStepStarted => "SecondStepStarted",
            Self::SecondStepFailed => "SecondStepFailed",
            Self::FactorAdded => "FactorAdded",
            Self::FactorRemoved => "FactorRemoved",
            Self::RecoveryCodeUsed => "RecoveryCodeUsed",
            Self::FactorsReset => "FactorsReset",
            Self::DisplayNameChanged => "DisplayNameChanged",
            Self::EmailAddRequested => "EmailAddRequested",
            Self::EmailAdded => "EmailAdded",
            Self::EmailPreferred => "EmailPreferred",
            Self::EmailRemoved => "EmailRemoved",
            Self::PlaceholderMerged => "PlaceholderMerged",
            Self::TeamMemberRemoved => "TeamMemberRemoved",
            Self::TeamAddressRemoved => "TeamAddressRemoved",
            Self::TeamRenamed => "TeamRenamed",
            Self::TeamDeleted => "TeamDeleted",
            Self::ConsentGranted => "ConsentGranted",
            Self::ConsentRevoked => "ConsentRevoked",
            Self::RefreshTokenReused => "RefreshTokenReused",
            Self::ClientCreated => "ClientCreated",
            Self::ClientChanged => "ClientChanged",
            Self::ClientRemoved => "ClientRemoved",
            Self::ClientSecretRotated => "ClientSecretRotated",
            Self::KeyRotated => "KeyRotated",
            Self::KeyRetired => "KeyRetired",
            Self::AdminAction => "AdminAction",
            Self::SessionsEnded => "SessionsEnded",
            Self::OpenIdSignIn => "OpenIdSignIn",
            Self::OpenIdDecisionRemembered => "OpenIdDecisionRemembered",
            Self::OpenIdDecisionRevoked => "OpenIdDecisionRevoked",
            Self::OpenIdRealmTrusted => "OpenIdRealmTrusted",
            Self::OpenIdRealmUntrusted => "OpenIdRealmUntrusted",
        }
    }

    /// Parses a code as typed by an operator (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// The part of the system that records events of this code.
    pub fn subsystem(self) -> &'static str {
        match self {
            Self::PersonCreated
            | Self::PlaceholderCreated
            | Self::PersonSuspended
            | Self::PersonDeactivated
            | Self::PersonReactivated
            | Self::PersonErased
            | Self::DisplayNameChanged => "people",
            Self::TeamCreated | Self::TeamMemberAdded | Self::TeamAddressAdded => "teams",
            Self::LoginSucceeded
            | Self::LoginFailed
            | Self::LoginLockedOut
            | Self::NewAccountRequested
            | Self::RecoveryRequested
            | Self::AccountRegistered
            | Self::PasswordReset
            | Self::PasswordChanged
            | Self::SignedOut => "login",
            Self::WebhookTokenReplaced | Self::AuthFail | Self::HandshakeTokenIssued => "hooks",
            Self::ApiKeyCreated
            | Self::ApiKeyRevoked
            | Self::ApiKeyRestored
            | Self::ApiKeyRefused
            | Self::DelegationSucceeded
            | Self::DelegationFailed => "api_keys",
            Self::ClientAuthFailed => "oidc",
            Self::SecondStepStarted | Self::SecondStepFailed | Self::RecoveryCodeUsed => "login",
            Self::FactorAdded | Self::FactorRemoved | Self::FactorsReset => "factors",
            Self::EmailAddRequested
            | Self::EmailAdded
            | Self::EmailPreferred
            | Self::EmailRemoved
            | Self::PlaceholderMerged => "people",
            Self::TeamMemberRemoved
            | Self::TeamAddressRemoved
            | Self::TeamRenamed
            | Self::TeamDeleted => "teams",
            Self::ConsentGranted
            | Self::ConsentRevoked
            | Self::RefreshTokenReused
            | Self::ClientCreated
            | Self::ClientChanged
            | Self::ClientRemoved
            | Self::ClientSecretRotated
            | Self::KeyRotated
            | Self::KeyRetired => "oidc",
            Self::AdminAction => "admin",
            Self::SessionsEnded => "people",
            Self::OpenIdSignIn
            | Self::OpenIdDecisionRemembered
            | Self::OpenIdDecisionRevoked
            | Self::OpenIdRealmTrusted
            | Self::OpenIdRealmUntrusted => "openid",
        }
    }
}

/// One recorded event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// Unix time in seconds.
    pub occurred_at: i64,
    /// The event code as stored (codes from newer versions are kept as text).
    pub code: String,
    /// Which part of the system wrote it.
    pub subsystem: String,
    /// The person (or team) the event is about, if any.
    pub person_id: Option<PersonId>,
    /// Where the request came from (`cli` for the command line).
    pub remote_addr: Option<String>,
    /// The request path, for web events.
    pub request_path: Option<String>,
    /// Free text: never a secret.
    pub detail: String,
    /// How many times it happened: more than one only for events aggregated per address and
    /// minute (a flood of failures).
    pub occurrences: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_case_insensitively() {
        for code in AuditCode::ALL {
            assert_eq!(AuditCode::parse(&code.as_str().to_lowercase()), Some(code));
        }
        assert_eq!(AuditCode::parse("NoSuchEvent"), None);
    }

    #[test]
    fn every_code_belongs_to_a_subsystem() {
        for code in AuditCode::ALL {
            assert!(!code.subsystem().is_empty());
        }
    }
}
