//! OpenID 2.0 (the protocol of the Launchpad login service): its messages, keys, realms and extensions, without I/O.
pub mod association;
pub mod ax;
pub mod dh;
pub mod extension;
pub mod extensions;
pub mod kv;
pub mod pape;
pub mod realm;
pub mod request;
pub mod response_nonce;
pub mod rp_xrds;
pub mod shared_field;
pub mod sreg;
pub mod teams;
pub mod xrds;
