//! The OpenID Connect provider's endpoints.

pub mod discovery;
