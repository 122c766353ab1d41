//! OpenID 2.0 (the protocol of the Launchpad login service): its messages, keys, realms and extensions, without I/O.
pub mod xrds;
