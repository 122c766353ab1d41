//! Pure types and decisions of the identity model: no web framework, no database, no I/O.

pub mod api_key;
pub mod application;
pub mod audit;
pub mod authorization_params;
pub mod authorization_request;
pub mod callback;
pub mod client;
pub mod client_redirect;
pub mod content_policy;
pub mod device;
pub mod email;
pub mod factor_seal;
pub mod form;
pub mod grant;
pub mod hash_memory;
pub mod login_form;
pub mod openid;
pub mod passkey;
pub mod password;
pub mod person;
pub mod pkce;
pub mod proxy;
pub mod recovery_code;
pub mod redirect;
pub mod request_site;
pub mod rs256;
pub mod scope;
pub mod second_factor;
pub mod session_info;
pub mod signing_key;
pub mod team;
pub mod throttle;
pub mod token;
pub mod token_request;
pub mod totp;
pub mod user_agent;

pub use audit::{AuditCode, AuditEvent};
pub use email::{EmailAddress, EmailError, EmailStatus, StoredEmail};
pub use password::{
    HashingParams, MAX_BYTES as MAX_PASSWORD_BYTES, Password, PasswordError, PasswordHash,
};
pub use person::{
    DisplayName, DisplayNameError, Person, PersonId, PersonKind, PersonStatus, StatusChange,
};
pub use team::{TeamName, TeamNameError};
pub use token::{PlainToken, TokenHash, TokenKind};
