//! OpenID 2.0 provider use cases: associations, assertions, decisions, discovery and trust.
pub mod rp_discovery;
