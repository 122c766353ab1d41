//! Sending a key to an app's callback: one POST of JSON to an address resolved once, no
//! redirects followed, a short timeout, and an answer read up to 64 KiB.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde_json::json;

use crate::domain::callback::{CallbackError, CallbackUrl};

/// The most of a callback's answer that is read.
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Why a callback did not take the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// The name could not be resolved, or only to addresses a key may not go to.
    #[error(transparent)]
    Address(#[from] CallbackError),
    /// Nothing answered (refused, reset, TLS failure).
    #[error("the application's callback could not be reached")]
    Unreachable,
    /// No answer in time.
    #[error("the application's callback did not answer in time")]
    Timeout,
    /// A redirect, which is never followed.
    #[error("the application's callback answered with a redirect ({0})")]
    Redirect(u16),
    /// Any status but 200.
    #[error("the application's callback answered with status {0}")]
    Status(u16),
    /// More than `MAX_ANSWER_BYTES`.
    #[error("the application's callback answered with too much data")]
    TooLarge,
    /// Not JSON, or no `result` string in it.
    #[error("the application's callback did not answer with a JSON result")]
    BadAnswer,
}

/// The TLS settings of every delivery: ring, the Web PKI roots, nothing from the host.
pub(crate) fn tls_config() -> Option<rustls::ClientConfig> {
    static CONFIG: OnceLock<Option<rustls::ClientConfig>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let roots = rustls::RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .ok()
                .map(|b| b.with_root_certificates(roots).with_no_client_auth())
        })
        .clone()
}

/// Resolves the callback's host once and picks the address the key will be sent to.
pub async fn resolve(callback: &CallbackUrl, timeout: Duration) -> Result<IpAddr, DeliveryError> {
    let (host, port) = callback.host_and_port();
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(callback.pick_address(&[ip])?);
    }
    let found = tokio::time::timeout(timeout, tokio::net::lookup_host((host.as_str(), port)))
        .await
        .map_err(|_| DeliveryError::Address(CallbackError::Unresolvable))?
        .map_err(|_| DeliveryError::Address(CallbackError::Unresolvable))?;
    let addresses: Vec<IpAddr> = found.map(|a| a.ip()).collect();
    Ok(callback.pick_address(&addresses)?)
}

/// POSTs `{"client_api_key", "client_api_login"}` to the callback at `address` and returns
/// the `result` it answers.
pub async fn deliver(
    callback: &CallbackUrl,
    address: IpAddr,
    key: &str,
    login: &str,
    timeout: Duration,
) -> Result<String, DeliveryError> {
    let (host, port) = callback.host_and_port();
    let tls = tls_config().ok_or(DeliveryError::Unreachable)?;
    let client = reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(timeout)
        .connect_timeout(timeout)
        .resolve(&host, SocketAddr::new(address, port))
        .build()
        .map_err(|_| DeliveryError::Unreachable)?;
    let mut res = client
        .post(callback.url().clone())
        .json(&json!({"client_api_key": key, "client_api_login": login}))
        .send()
        .await
        .map_err(|e| {
            if e.is_timeout() {
                DeliveryError::Timeout
            } else {
                DeliveryError::Unreachable
            }
        })?;
    let status = res.status();
    if status.is_redirection() {
        return Err(DeliveryError::Redirect(status.as_u16()));
    }
    if status.as_u16() != 200 {
        return Err(DeliveryError::Status(status.as_u16()));
    }
    let mut body = Vec::new();
    loop {
        let chunk = res.chunk().await.map_err(|e| {
            if e.is_timeout() {
                DeliveryError::Timeout
            } else {
                DeliveryError::Unreachable
            }
        })?;
        let Some(chunk) = chunk else { break };
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(DeliveryError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    let answer: serde_json::Value =
        serde_json::from_slice(&body).map_err(|_| DeliveryError::BadAnswer)?;
    match answer.get("result").and_then(serde_json::Value::as_str) {
        Some(result) if !result.is_empty() => Ok(result.to_owned()),
        _ => Err(DeliveryError::BadAnswer),
    }
}
