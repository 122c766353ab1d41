//! The OpenID Connect provider's use cases.

pub mod authorize;
pub mod claims;
pub mod logout;
pub mod revocation;
pub mod token;
