//! The OpenID Connect provider's endpoints.

pub mod authorize;
mod consent;
pub mod discovery;
pub mod logout;
mod step;
pub mod token;
