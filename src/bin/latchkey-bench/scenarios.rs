//! The scenarios: each is one operation a real client performs, end to end over HTTP.

use std::future::Future;
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::browser::{Browser, hidden};
use crate::fixture::{EMAIL, PASSWORD, REDIRECT_URI, Seeded};
use crate::load::Op;

/// Everything an operation needs: the server, a shared connection pool, the seeded data.
#[derive(Clone)]
pub struct Target {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// A pooled client that follows no redirects.
    pub client: reqwest::Client,
    /// The seeded data.
    pub seeded: Seeded,
    /// Where UserInfo is (`/userinfo` on Latchkey).
    pub userinfo_path: &'static str,
    /// Where the token endpoint is (`/token` on Latchkey).
    pub token_path: &'static str,
}

impl Target {
    /// A target with its own connection pool.
    pub fn new(base: &str, seeded: Seeded) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(256)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            base: base.to_owned(),
            client,
            seeded,
            userinfo_path: "/userinfo",
            token_path: "/token",
        })
    }
}

fn expect(status: u16, want: u16, what: &str) -> Result<(), String> {
    if status == want {
        Ok(())
    } else {
        Err(format!("{what}: status {status}, expected {want}"))
    }
}

/// Sends a request, expects a status, and returns the body.
async fn send(req: reqwest::RequestBuilder, want: u16, what: &str) -> Result<Vec<u8>, String> {
    let res = req.send().await.map_err(|e| e.to_string())?;
    expect(res.status().as_u16(), want, what)?;
    Ok(res.bytes().await.map_err(|e| e.to_string())?.to_vec())
}

pub fn op<F, Fut>(f: F) -> Op
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    Arc::new(move |n| Box::pin(f(n)))
}

/// Spreads the workers over several operations (one per node): worker n runs `ops[n % len]`.
pub fn round_robin(ops: Vec<Op>) -> Op {
    let ops = Arc::new(ops);
    Arc::new(move |n| {
        let op = ops[n % ops.len()].clone();
        op(n)
    })
}

/// `GET` a path and expect 200.
pub fn get_ok(target: &Target, path: &'static str) -> Op {
    let target = target.clone();
    op(move |_| {
        let target = target.clone();
        async move {
            send(
                target.client.get(format!("{}{path}", target.base)),
                200,
                path,
            )
            .await
            .map(drop)
        }
    })
}

/// Loads the login form and signs in: a new session each time.
pub async fn password_login(target: &Target) -> Result<(), String> {
    let mut tab = Browser::new(&target.client, &target.base);
    let form = tab.get("/+login").await?;
    expect(form.status, 200, "login form")?;
    let csrf = hidden(&form.body, "csrf_token")?;
    let done = tab
        .post_form(
            "/+login",
            &[
                ("email", EMAIL),
                ("password", PASSWORD),
                ("action", "login"),
                ("csrf_token", &csrf),
            ],
        )
        .await?;
    expect(done.status, 303, "login")
}

/// The login scenario.
pub fn login(target: &Target) -> Op {
    let target = target.clone();
    op(move |_| {
        let target = target.clone();
        async move { password_login(&target).await }
    })
}

fn pkce_pair() -> Result<(String, String), String> {
    let mut raw = [0u8; 32];
    getrandom::fill(&mut raw).map_err(|e| e.to_string())?;
    let verifier = URL_SAFE_NO_PAD.encode(raw);
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    Ok((verifier, challenge))
}

/// The fields of the form posting to `action` in a page.
fn form_fields(page: &str, action: &str) -> Result<Vec<(String, String)>, String> {
    let start = page
        .find(&format!("action=\"{action}\""))
        .ok_or_else(|| format!("no form posting to {action}"))?;
    let form = &page[start
        ..page[start..]
            .find("</form>")
            .map_or(page.len(), |e| start + e)];
    Ok(crate::browser::hidden_fields(form))
}

/// The value of a query parameter of an absolute URL.
pub fn query_value(url: &str, name: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    parsed
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

pub async fn token_request(target: &Target, form: &[(&str, &str)]) -> Result<Value, String> {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let req = target
        .client
        .post(format!("{}{}", target.base, target.token_path))
        .basic_auth(&target.seeded.client_id, Some(&target.seeded.client_secret))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body);
    let answer = send(req, 200, "token").await?;
    serde_json::from_slice(&answer).map_err(|e| e.to_string())
}

async fn userinfo_with(target: &Target, access_token: &str) -> Result<(), String> {
    let req = target
        .client
        .get(format!("{}{}", target.base, target.userinfo_path))
        .bearer_auth(access_token);
    send(req, 200, "userinfo").await.map(drop)
}

/// authorize → login → consent (when asked) → token → userinfo. Returns the token answer.
pub async fn code_flow(target: &Target, scope: &str) -> Result<Value, String> {
    let (verifier, challenge) = pkce_pair()?;
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "code")
        .append_pair("client_id", &target.seeded.client_id)
        .append_pair("redirect_uri", REDIRECT_URI)
        .append_pair("scope", scope)
        .append_pair("state", "bench-state")
        .append_pair("nonce", "bench-nonce")
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256")
        .finish();
    let mut tab = Browser::new(&target.client, &target.base);
    let start = tab.get(&format!("/authorize?{query}")).await?;
    expect(start.status, 303, "authorize")?;
    let login_path = start.location.ok_or("authorize: no redirect")?;
    let form = tab.get(&login_path).await?;
    expect(form.status, 200, "login form")?;
    let signed_in = tab
        .post_form(
            "/+login",
            &[
                ("email", EMAIL),
                ("password", PASSWORD),
                ("action", "login"),
                ("csrf_token", &hidden(&form.body, "csrf_token")?),
                ("next", &hidden(&form.body, "next")?),
            ],
        )
        .await?;
    expect(signed_in.status, 303, "login")?;
    let back = signed_in.location.ok_or("login: no redirect")?;
    let mut answer = tab.get(&back).await?;
    if answer.status == 200 {
        let mut fields = form_fields(&answer.body, "/authorize")?;
        fields.push(("decision".to_owned(), "allow".to_owned()));
        let borrowed: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        answer = tab.post_form("/authorize", &borrowed).await?;
    }
    expect(answer.status, 303, "consent")?;
    let redirect = answer.location.ok_or("consent: no redirect")?;
    let code = query_value(&redirect, "code").ok_or_else(|| format!("no code in {redirect}"))?;
    let tokens = token_request(
        target,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", &verifier),
        ],
    )
    .await?;
    let access = tokens["access_token"].as_str().ok_or("no access token")?;
    userinfo_with(target, access).await?;
    Ok(tokens)
}

/// The authorization-code scenario.
pub fn authorization_code(target: &Target) -> Op {
    let target = target.clone();
    op(move |_| {
        let target = target.clone();
        async move { code_flow(&target, "openid profile email").await.map(drop) }
    })
}

/// Per-worker tokens from one code flow each, for the grants that need them.
pub struct WorkerTokens {
    /// Each worker's current refresh token.
    pub refresh: Vec<Mutex<String>>,
    /// Each worker's access token.
    pub access: Vec<String>,
}

/// Runs a code flow (with `offline_access`) for each of `workers`.
pub async fn worker_tokens(target: &Target, workers: usize) -> Result<Arc<WorkerTokens>, String> {
    let mut flows = Vec::new();
    for _ in 0..workers {
        flows.push(code_flow(target, "openid profile email offline_access").await?);
    }
    WorkerTokens::from_flows(&flows)
}

impl WorkerTokens {
    /// One worker's tokens from each code flow's token answer.
    pub fn from_flows(flows: &[Value]) -> Result<Arc<Self>, String> {
        let mut refresh = Vec::new();
        let mut access = Vec::new();
        for tokens in flows {
            refresh.push(Mutex::new(
                tokens["refresh_token"]
                    .as_str()
                    .ok_or("no refresh token")?
                    .to_owned(),
            ));
            access.push(
                tokens["access_token"]
                    .as_str()
                    .ok_or("no access token")?
                    .to_owned(),
            );
        }
        Ok(Arc::new(Self { refresh, access }))
    }
}

/// The refresh-token grant, each worker rotating its own token.
pub fn refresh(target: &Target, tokens: &Arc<WorkerTokens>) -> Op {
    let target = target.clone();
    let tokens = tokens.clone();
    op(move |n| {
        let target = target.clone();
        let tokens = tokens.clone();
        async move {
            let current = tokens.refresh[n].lock().map_err(|e| e.to_string())?.clone();
            let answer = token_request(
                &target,
                &[("grant_type", "refresh_token"), ("refresh_token", &current)],
            )
            .await?;
            let next = answer["refresh_token"]
                .as_str()
                .ok_or("no rotated refresh token")?;
            *tokens.refresh[n].lock().map_err(|e| e.to_string())? = next.to_owned();
            Ok(())
        }
    })
}

/// The client-credentials grant.
pub fn client_credentials(target: &Target) -> Op {
    let target = target.clone();
    op(move |_| {
        let target = target.clone();
        async move {
            token_request(&target, &[("grant_type", "client_credentials")])
                .await
                .map(drop)
        }
    })
}

/// UserInfo with each worker's access token.
pub fn userinfo(target: &Target, tokens: &Arc<WorkerTokens>) -> Op {
    let target = target.clone();
    let tokens = tokens.clone();
    op(move |n| {
        let target = target.clone();
        let tokens = tokens.clone();
        async move { userinfo_with(&target, &tokens.access[n]).await }
    })
}

/// A handshake token made by the web hook, then consumed by the tracker's POST.
pub fn handshake(target: &Target) -> Op {
    let target = target.clone();
    op(move |_| {
        let target = target.clone();
        async move {
            let res = target
                .client
                .post(format!("{}/hooks/bugtracker-token", target.base))
                .header("X-Webhook-Token", &target.seeded.hook_token)
                .send()
                .await
                .map_err(|e| e.to_string())?;
            expect(res.status().as_u16(), 201, "bugtracker-token hook")?;
            let issued: Value = res.json().await.map_err(|e| e.to_string())?;
            let token = issued["token"].as_str().ok_or("no handshake token")?;
            let res = target
                .client
                .post(format!(
                    "{}/token/{token}/+bugtracker-handshake",
                    target.base
                ))
                .send()
                .await
                .map_err(|e| e.to_string())?;
            expect(res.status().as_u16(), 200, "handshake")?;
            res.bytes().await.map_err(|e| e.to_string())?;
            Ok(())
        }
    })
}

/// `GET /rest/whoami` with the API key.
pub fn whoami(target: &Target) -> Op {
    let target = target.clone();
    op(move |_| {
        let target = target.clone();
        async move {
            let req = target
                .client
                .get(format!("{}/rest/whoami", target.base))
                .header("X-API-Key", &target.seeded.api_key);
            send(req, 200, "whoami").await.map(drop)
        }
    })
}

/// The placeholder web hook, a new address each time.
pub fn web_hook(target: &Target) -> Op {
    let target = target.clone();
    let counter = Arc::new(std::sync::atomic::AtomicU64::new(0));
    op(move |_| {
        let target = target.clone();
        let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        async move {
            let req = target
                .client
                .post(format!("{}/hooks/placeholder", target.base))
                .header("X-Webhook-Token", &target.seeded.hook_token)
                .json(&serde_json::json!({"email": format!("hooked-{n}@bench.example")}));
            send(req, 201, "placeholder hook").await.map(drop)
        }
    })
}
