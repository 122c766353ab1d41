//! Relying-party discovery (§13 of OpenID Authentication 2.0): fetching a realm's XRDS
//! document with the outbound protections of delegation callbacks (one resolution, no
//! internal addresses unless allow-listed, a short timeout, a capped answer, no redirects but
//! one `X-XRDS-Location`) and checking `return_to` against the endpoints it lists.

use std::net::SocketAddr;
use std::time::Duration;

use crate::domain::callback::{CallbackPolicy, CallbackUrl};
use crate::domain::openid::realm::Realm;
use crate::domain::openid::rp_xrds::return_to_uris;
use crate::service::Context;
use crate::service::delegation::delivery::{resolve, tls_config};

/// How long one fetch may take.
pub const DISCOVERY_TIMEOUT: Duration = Duration::from_secs(5);
/// The most of a document that is read.
pub const MAX_DOCUMENT_BYTES: usize = 64 * 1024;

/// What relying-party discovery found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RpDiscovery {
    /// The realm lists a return_to endpoint that `return_to` matches.
    Verified,
    /// The realm lists return_to endpoints, and `return_to` matches none of them.
    Mismatch,
    /// Discovery could not be done (why, for the decision page and the log).
    Failed(String),
}

/// The policy discovery fetches follow: the operator's auth-delegation callback rules.
pub fn discovery_policy(ctx: &Context) -> CallbackPolicy {
    CallbackPolicy {
        allow_http: ctx.delegation.allow_http,
        allowed_hosts: ctx.delegation.allowed_hosts.clone(),
    }
}

/// Fetches the realm's XRDS and checks `return_to` against its return_to endpoints.
pub async fn verify_return_to(
    realm: &Realm,
    return_to: &str,
    policy: &CallbackPolicy,
) -> RpDiscovery {
    let endpoints = match discover(realm, policy).await {
        Ok(endpoints) => endpoints,
        Err(reason) => return RpDiscovery::Failed(reason),
    };
    if endpoints.is_empty() {
        return RpDiscovery::Failed("the realm lists no return_to endpoints".to_owned());
    }
    let matched = endpoints
        .iter()
        .filter_map(|uri| Realm::parse(uri).ok())
        .any(|endpoint| endpoint.matches(return_to));
    if matched {
        RpDiscovery::Verified
    } else {
        RpDiscovery::Mismatch
    }
}

async fn discover(realm: &Realm, policy: &CallbackPolicy) -> Result<Vec<String>, String> {
    let first = realm.discovery_url();
    let page = fetch(first.as_str(), policy).await?;
    if page.is_xrds {
        return return_to_uris(&page.body).map_err(|e| e.to_string());
    }
    let Some(location) = page.xrds_location else {
        return Err("the realm serves no XRDS document".to_owned());
    };
    let next = first
        .join(&location)
        .map_err(|_| "the X-XRDS-Location is not a URL".to_owned())?;
    let page = fetch(next.as_str(), policy).await?;
    // A second X-XRDS-Location is not followed: the answer must be the document.
    return_to_uris(&page.body).map_err(|e| e.to_string())
}

struct Page {
    body: String,
    is_xrds: bool,
    xrds_location: Option<String>,
}

async fn fetch(url: &str, policy: &CallbackPolicy) -> Result<Page, String> {
    let target = CallbackUrl::parse(url, policy).map_err(|e| e.to_string())?;
    let address = resolve(&target, DISCOVERY_TIMEOUT)
        .await
        .map_err(|e| e.to_string())?;
    let (host, port) = target.host_and_port();
    let tls = tls_config().ok_or("no TLS configuration")?;
    let client = reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(DISCOVERY_TIMEOUT)
        .connect_timeout(DISCOVERY_TIMEOUT)
        .resolve(&host, SocketAddr::new(address, port))
        .build()
        .map_err(|_| "no HTTP client".to_owned())?;
    let mut res = client
        .get(target.url().clone())
        .header("Accept", "application/xrds+xml")
        .send()
        .await
        .map_err(|_| "the realm could not be reached".to_owned())?;
    let status = res.status().as_u16();
    if status != 200 {
        return Err(format!("the realm answered with status {status}"));
    }
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let is_xrds = header("content-type")
        .is_some_and(|t| t.to_ascii_lowercase().starts_with("application/xrds+xml"));
    let xrds_location = header("x-xrds-location");
    let mut body = Vec::new();
    while let Some(chunk) = res
        .chunk()
        .await
        .map_err(|_| "the realm's answer was cut off".to_owned())?
    {
        if body.len() + chunk.len() > MAX_DOCUMENT_BYTES {
            return Err("the realm's answer is too large".to_owned());
        }
        body.extend_from_slice(&chunk);
    }
    let body = String::from_utf8(body).map_err(|_| "the realm's answer is not UTF-8".to_owned())?;
    Ok(Page {
        body,
        is_xrds,
        xrds_location,
    })
}
