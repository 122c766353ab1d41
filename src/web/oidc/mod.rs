//! The OpenID Connect provider's endpoints.

pub mod authorize;
mod consent;
pub mod discovery;
pub mod logout;
pub mod oauth;
pub mod revocation;
pub(crate) mod step;
pub mod token;
pub mod userinfo;
