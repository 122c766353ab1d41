//! The OpenID Connect provider's use cases.

pub mod authorize;
