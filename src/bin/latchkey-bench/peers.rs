//! Peer providers measured on the same work, each started by a script in `bench/peers/` on
//! loopback. A peer whose runtime is missing, or that cannot be installed, is skipped and the
//! report says why.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::browser::Browser;
use crate::fixture::{REDIRECT_URI, Seeded};
use crate::load::Budget;
use crate::report::Report;
use crate::scenarios::{self, Target, WorkerTokens};
use crate::server::ServerProcess;

/// The name oidc-provider's rows carry.
pub const OIDC_PROVIDER: &str = "peer: oidc-provider";

fn peers_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/peers")
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

fn available(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The name django-oauth-toolkit's rows carry.
pub const DJANGO_OAUTH_TOOLKIT: &str = "peer: django-oauth-toolkit";

/// The peers' shared client secret (stored in clear by both, as their own tests do).
const PEER_SECRET: &str = "bench-secret-bench-secret-bench-secret";

/// Measures every peer that can be started.
pub async fn run_all(report: &mut Report, budget: Budget) {
    if let Err(why) = oidc_provider(report, budget).await {
        report.skipped.push(format!("{OIDC_PROVIDER}: {why}"));
    }
    if let Err(why) = django_oauth_toolkit(report, budget).await {
        report
            .skipped
            .push(format!("{DJANGO_OAUTH_TOOLKIT}: {why}"));
    }
}

fn peer_target(url: &str, client_id: &str) -> Result<Target, String> {
    Target::new(
        url,
        Seeded {
            client_id: client_id.to_owned(),
            client_secret: PEER_SECRET.to_owned(),
            hook_token: String::new(),
            api_key: String::new(),
        },
    )
}

/// django-oauth-toolkit under gunicorn (one worker per core) on SQLite, with argon2id at
/// Latchkey's cost for its users' passwords.
async fn django_oauth_toolkit(report: &mut Report, budget: Budget) -> Result<(), String> {
    eprintln!("\n== {DJANGO_OAUTH_TOOLKIT}");
    if !available("python3") {
        return Err("Python 3 is not installed".to_owned());
    }
    let port = free_port()?;
    let mut cmd = Command::new("bash");
    cmd.arg("run.sh")
        .arg(port.to_string())
        .current_dir(peers_dir().join("django-oauth-toolkit"));
    let server =
        ServerProcess::start(cmd, "peer listening on ", "/o/.well-known/jwks.json").await?;
    let mut password = peer_target(&server.url, "bench-password")?;
    password.token_path = "/o/token/";
    password.userinfo_path = "/o/userinfo/";
    let mut flows = Vec::new();
    for _ in 0..budget.concurrency {
        flows.push(
            scenarios::token_request(
                &password,
                &[
                    ("grant_type", "password"),
                    ("username", "bench"),
                    ("password", crate::fixture::PASSWORD),
                    ("scope", "openid profile email"),
                ],
            )
            .await?,
        );
    }
    let tokens = WorkerTokens::from_flows(&flows)?;
    let mut credentials = peer_target(&server.url, "bench-cc")?;
    credentials.token_path = "/o/token/";
    let login = {
        let target = password.clone();
        scenarios::op(move |_| {
            let target = target.clone();
            async move {
                scenarios::token_request(
                    &target,
                    &[
                        ("grant_type", "password"),
                        ("username", "bench"),
                        ("password", crate::fixture::PASSWORD),
                    ],
                )
                .await
                .map(drop)
            }
        })
    };
    let flows_budget = Budget {
        concurrency: budget.concurrency.min(8),
        ..budget
    };
    let plan = vec![
        (
            "discovery",
            scenarios::get_ok(&password, "/o/.well-known/openid-configuration"),
            budget,
        ),
        (
            "JWKS",
            scenarios::get_ok(&password, "/o/.well-known/jwks.json"),
            budget,
        ),
        ("password login", login, flows_budget),
        ("userinfo", scenarios::userinfo(&password, &tokens), budget),
        (
            "refresh-token grant",
            scenarios::refresh(&password, &tokens),
            budget,
        ),
        (
            "client-credentials grant",
            scenarios::client_credentials(&credentials),
            budget,
        ),
    ];
    for (scenario, op, b) in plan {
        crate::measure::measure(report, &[&server], DJANGO_OAUTH_TOOLKIT, scenario, op, b).await;
    }
    report.skipped.push(format!(
        "{DJANGO_OAUTH_TOOLKIT}: its password login is the password grant (one argon2id \
         verification at the same cost, no form or session); its CPU and RSS are summed over \
         gunicorn's master and workers"
    ));
    server.stop();
    Ok(())
}

/// Installs oidc-provider from the npm registry (once) and starts it with one client.
async fn start_oidc_provider() -> Result<ServerProcess, String> {
    if !available("node") || !available("npm") {
        return Err("Node.js and npm are not installed".to_owned());
    }
    let dir = peers_dir().join("oidc-provider");
    if !dir.join("node_modules/oidc-provider").exists() {
        eprintln!("installing oidc-provider with npm…");
        let status = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--silent"])
            .current_dir(&dir)
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err("npm install failed".to_owned());
        }
    }
    let port = free_port()?;
    let mut cmd = Command::new("node");
    cmd.arg("server.mjs")
        .arg(port.to_string())
        .current_dir(&dir)
        .env("NODE_ENV", "production");
    ServerProcess::start(
        cmd,
        "peer listening on ",
        "/.well-known/openid-configuration",
    )
    .await
}

/// The code flow through oidc-provider's development interactions (which check no
/// password), with `offline_access` so that a refresh token is issued.
async fn dev_code_flow(target: &Target) -> Result<Value, String> {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "code")
        .append_pair("client_id", &target.seeded.client_id)
        .append_pair("redirect_uri", REDIRECT_URI)
        .append_pair("scope", "openid profile email offline_access")
        .append_pair("prompt", "consent")
        .append_pair("state", "bench-state")
        .finish();
    let mut tab = Browser::new(&target.client, &target.base);
    let mut page = tab.get(&format!("/auth?{query}")).await?;
    for _ in 0..8 {
        if let Some(location) = page.location.clone() {
            if location.starts_with(REDIRECT_URI) {
                let code = scenarios::query_value(&location, "code")
                    .ok_or_else(|| format!("no code in {location}"))?;
                return scenarios::token_request(
                    target,
                    &[
                        ("grant_type", "authorization_code"),
                        ("code", &code),
                        ("redirect_uri", REDIRECT_URI),
                    ],
                )
                .await;
            }
            page = tab.get(&location).await?;
            continue;
        }
        let action = page
            .body
            .split("action=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .ok_or("no form in the interaction page")?
            .to_owned();
        let mut fields = crate::browser::hidden_fields(&page.body);
        if fields.iter().any(|(k, v)| k == "prompt" && v == "login") {
            fields.push(("login".to_owned(), "bench".to_owned()));
            fields.push(("password".to_owned(), "bench".to_owned()));
        }
        let borrowed: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        page = tab.post_form(&action, &borrowed).await?;
    }
    Err("the interaction did not end with a code".to_owned())
}

async fn oidc_provider(report: &mut Report, budget: Budget) -> Result<(), String> {
    eprintln!("\n== {OIDC_PROVIDER}");
    let server = start_oidc_provider().await?;
    let mut target = peer_target(&server.url, "bench")?;
    target.userinfo_path = "/me";
    let mut flows = Vec::new();
    for _ in 0..budget.concurrency {
        flows.push(dev_code_flow(&target).await?);
    }
    let tokens = WorkerTokens::from_flows(&flows)?;
    let plan = vec![
        (
            "discovery",
            scenarios::get_ok(&target, "/.well-known/openid-configuration"),
        ),
        ("JWKS", scenarios::get_ok(&target, "/jwks")),
        ("userinfo", scenarios::userinfo(&target, &tokens)),
        ("refresh-token grant", scenarios::refresh(&target, &tokens)),
        (
            "client-credentials grant",
            scenarios::client_credentials(&target),
        ),
    ];
    for (scenario, op) in plan {
        crate::measure::measure(report, &[&server], OIDC_PROVIDER, scenario, op, budget).await;
    }
    server.stop();
    report.skipped.push(format!(
        "{OIDC_PROVIDER}: password login, authorization-code flow: its development login checks \
         no password, so there is no like-for-like argon2 cost; handshake, whoami and web hooks \
         have no counterpart"
    ));
    Ok(())
}

/// Adds the peer targets for one Latchkey system: discovery and JWKS at least 5×, the token
/// grants and UserInfo at least 2× oidc-provider; and the plain ratios to
/// django-oauth-toolkit.
pub fn check(report: &mut Report, system: &str) {
    for scenario in [
        "discovery",
        "JWKS",
        "password login",
        "userinfo",
        "refresh-token grant",
        "client-credentials grant",
    ] {
        if let (Some(ours), Some(theirs)) = (
            report.per_second(system, scenario),
            report.per_second(DJANGO_OAUTH_TOOLKIT, scenario),
        ) && theirs > 0.0
        {
            report.figures.push((
                format!("{system} {scenario} ÷ django-oauth-toolkit"),
                ours / theirs,
                "×",
            ));
        }
    }
    let targets = [
        ("discovery", 5.0),
        ("JWKS", 5.0),
        ("refresh-token grant", 2.0),
        ("client-credentials grant", 2.0),
        ("userinfo", 2.0),
    ];
    for (scenario, factor) in targets {
        if let (Some(ours), Some(theirs)) = (
            report.per_second(system, scenario),
            report.per_second(OIDC_PROVIDER, scenario),
        ) && theirs > 0.0
        {
            let ratio = ours / theirs;
            report.check(
                &format!("{system} {scenario} ≥ {factor}× oidc-provider"),
                format!("{ratio:.1}×"),
                ratio >= factor,
            );
        }
    }
}
