//! The OpenID Connect provider's endpoints.

pub mod authorize;
pub mod discovery;
pub mod logout;
pub mod token;
