//! The limits of this machine for the work Latchkey does: argon2id verification at the
//! configured cost on every core (what caps logins), and a bare actix-web handler answering a
//! fixed JSON body (what caps discovery and JWKS).
//! `run_floor` measures both into the report.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use latchkey::config::Settings;
use latchkey::domain::hash_memory::HashMemory;
use latchkey::domain::{HashingParams, Password};

use crate::load::Budget;
use crate::measure::measure;
use crate::report::Report;
use crate::server::ServerProcess;
use crate::{fixture, scenarios};

/// argon2id verifications per second on all cores for `duration`, each thread reusing its
/// working memory as Latchkey's hashing threads do.
pub fn argon2_verify_per_second(params: HashingParams, duration: Duration) -> Result<f64, String> {
    let password = Password::parse("a benchmark passphrase").map_err(|e| e.to_string())?;
    let hash = params.hash(&password).map_err(|e| e.to_string())?;
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let done = done.clone();
            let hash = hash.clone();
            std::thread::spawn(move || {
                let Ok(password) = Password::parse("a benchmark passphrase") else {
                    return;
                };
                let mut memory = HashMemory::default();
                while started.elapsed() < duration {
                    if hash.verify_in(&password, &mut memory).unwrap_or(false) {
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
    Ok(done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64())
}

/// The body the bare handler answers: the size of a discovery document.
const BODY: &str = r#"{"issuer":"http://127.0.0.1","authorization_endpoint":"http://127.0.0.1/authorize","token_endpoint":"http://127.0.0.1/token","userinfo_endpoint":"http://127.0.0.1/userinfo","jwks_uri":"http://127.0.0.1/jwks.json","response_types_supported":["code"],"subject_types_supported":["public"],"id_token_signing_alg_values_supported":["RS256","EdDSA"],"scopes_supported":["openid","profile","email","groups","offline_access"],"token_endpoint_auth_methods_supported":["client_secret_basic","client_secret_post","none"],"claims_supported":["sub","name","email","email_verified","groups"],"code_challenge_methods_supported":["S256"],"grant_types_supported":["authorization_code","refresh_token","client_credentials"]}"#;

/// Serves the bare handler until killed (run as `latchkey-bench floor-server`, a process of
/// its own so that it is measured like Latchkey).
pub fn serve_bare_handler() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let server = actix_web::HttpServer::new(|| {
            actix_web::App::new().route(
                "/fixed",
                actix_web::web::get().to(|| async {
                    actix_web::HttpResponse::Ok()
                        .content_type("application/json")
                        .body(BODY)
                }),
            )
        })
        .bind(("127.0.0.1", 0))?;
        let port = server.addrs().first().map_or(0, std::net::SocketAddr::port);
        println!("floor listening on http://127.0.0.1:{port}");
        server.run().await
    })
}

pub async fn run_floor(report: &mut Report, budget: Budget) -> Result<(), String> {
    eprintln!("\n== floor");
    let params = Settings::default().password;
    let per_second = tokio::task::spawn_blocking(move || {
        argon2_verify_per_second(params, Duration::from_secs(5))
    })
    .await
    .map_err(|e| e.to_string())??;
    report.figures.push((
        format!(
            "floor: argon2id verify on all cores (m={} KiB, t={}, p={})",
            params.memory_kib, params.iterations, params.parallelism
        ),
        per_second,
        "per s",
    ));
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut cmd = std::process::Command::new(me);
    cmd.arg("floor-server");
    let server = ServerProcess::start(cmd, "floor listening on ", "/fixed").await?;
    let target = scenarios::Target::new(&server.url, empty_seeded())?;
    measure(
        report,
        &[&server],
        "floor: bare actix-web",
        "fixed JSON",
        scenarios::get_ok(&target, "/fixed"),
        budget,
    )
    .await;
    server.stop();
    Ok(())
}

fn empty_seeded() -> fixture::Seeded {
    fixture::Seeded {
        client_id: String::new(),
        client_secret: String::new(),
        hook_token: String::new(),
        api_key: String::new(),
    }
}
