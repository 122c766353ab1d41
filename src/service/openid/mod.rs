//! OpenID 2.0 provider use cases: associations, assertions, decisions, discovery and trust.
pub mod assertion;
pub mod assoc_store;
pub mod associate;
pub mod check_authentication;
pub mod checkid;
pub mod decisions;
pub mod error;
pub mod identity;
pub mod pending;
pub mod rp_discovery;
pub mod signing;
pub mod trust;
