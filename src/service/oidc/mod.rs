//! The OpenID Connect provider's use cases.

pub mod authorize;
pub mod claims;
pub mod client_auth;
pub mod consent;
pub mod consents;
pub mod issue;
pub mod logout;
pub mod mint;
pub mod pending;
pub mod revocation;
pub mod step_up;
pub mod token;
pub mod token_error;
pub mod userinfo;
