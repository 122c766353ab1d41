//! OpenID 2.0 (the protocol of the Launchpad login service): its messages, keys, realms and extensions, without I/O.
pub mod association;
pub mod dh;
pub mod kv;
pub mod response_nonce;
