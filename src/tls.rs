//! TLS for outgoing connections uses rustls with ring, installed as the process-wide provider
//! so that every client in the process (Latchkey's own and any a test or embedder builds)
//! agrees on it.

/// Installs ring as rustls' default provider; calling it again does nothing.
pub fn install_default_provider() {
    // Already installed (by an earlier call or by the embedding program): keep that one.
    drop(rustls::crypto::ring::default_provider().install_default());
}
