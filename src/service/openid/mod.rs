//! OpenID 2.0 provider use cases: associations, assertions, decisions, discovery and trust.
pub mod assoc_store;
pub mod associate;
pub mod check_authentication;
pub mod error;
pub mod signing;
