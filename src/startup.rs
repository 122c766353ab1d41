//! The `Application`: connects storage, migrates, binds the public listener and serves until
//! SIGTERM or ctrl-c (then finishes in-flight requests).

use std::net::TcpListener;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use secrecy::ExposeSecret;
use tracing_actix_web::TracingLogger;

use actix_session::SessionMiddleware;
use actix_session::config::{CookieContentSecurity, PersistentSession, TtlExtensionPolicy};
use actix_web::cookie::{Key, SameSite};
use base64::Engine;

use crate::clock::SharedClock;
use crate::config::Settings;
use crate::db::redis_conn::RedisConn;
use crate::db::secrets::get_or_create_secret;
use crate::db::sessions::delete_expired_sessions;
use crate::db::{CounterStore, Db, DbError, PoolOptions, SessionStore, migrate};
use crate::domain::proxy::TrustedProxies;
use crate::mail::{self, MailError, Mailer};
use crate::service::Context;
use crate::service::keys::{self, KeysError};
use crate::templates::RenderError;
use crate::web::access_log::AccessLog;
use crate::web::oidc::discovery::{DiscoveryError, discovery_document};
use crate::web::session_store::SharedSessionStore;
use crate::web::{self as routes_mod, AppState, errors, headers, middleware};

/// Largest request body accepted anywhere (forms and JSON are small).
const MAX_BODY_BYTES: usize = 16 * 1024;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The database could not be opened or migrated.
    #[error(transparent)]
    Database(#[from] DbError),
    /// The listener could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The configured address.
        addr: String,
        /// Why.
        source: std::io::Error,
    },
    /// The embedded templates are broken.
    #[error(transparent)]
    Templates(#[from] RenderError),
    /// The mail transport cannot be set up.
    #[error("mail: {0}")]
    Mail(#[source] MailError),
    /// Signing keys could not be made or read.
    #[error("signing keys: {0}")]
    Keys(#[from] KeysError),
    /// The discovery document cannot be built for the public URL.
    #[error(transparent)]
    Discovery(#[from] DiscoveryError),
    /// The random source failed.
    #[error("secret: {0}")]
    Random(#[source] getrandom::Error),
    /// The stored session cookie key is not base64.
    #[error("secret: stored cookie key is corrupt: {0}")]
    CorruptCookieKey(#[source] base64::DecodeError),
    /// The stored session cookie key is too short.
    #[error("secret: stored cookie key is unusable: {0}")]
    UnusableCookieKey(#[source] actix_web::cookie::KeyError),
}

/// A built, bound, not yet running server: the public listener and the private one.
pub struct Application {
    port: u16,
    private_port: u16,
    server: Server,
    private: Server,
    state: AppState,
}

/// Opens the database named in the settings and applies pending migrations.
pub async fn open_database(settings: &Settings) -> Result<Db, DbError> {
    let db = Db::connect(
        settings.database.url.expose_secret(),
        PoolOptions {
            max_connections: settings.database.max_connections,
            acquire_timeout: Duration::from_secs(settings.database.acquire_timeout_secs),
        },
    )
    .await?;
    migrate::run(&db).await?;
    Ok(db)
}

impl Application {
    /// Opens storage, migrates and binds `server.public_addr` (port 0 picks a free port).
    pub async fn build(settings: &Settings, clock: SharedClock) -> Result<Self, StartupError> {
        crate::tls::install_default_provider();
        let db = open_database(settings).await?;
        let addr = settings.server.public_addr.clone();
        let listener =
            TcpListener::bind(&addr).map_err(|source| StartupError::Bind { addr, source })?;
        let port = listener.local_addr().map_or(0, |a| a.port());
        let public_url = match &settings.server.public_url {
            Some(_) => settings.server.public_url(),
            None => format!("http://{}:{port}", listener_host(&listener)),
        };
        let mut ctx = Context::new(settings, db, clock, public_url)?;
        if let Err(why) = crate::domain::passkey::RelyingParty::of(&ctx.public_url) {
            tracing::info!(public_url = %ctx.public_url, %why, "passkeys are off");
        }
        (ctx.counters, ctx.sessions) = shared_stores(settings, &ctx.db).await?;
        let mailer = Mailer::from_settings(&settings.mail).map_err(StartupError::Mail)?;
        mail::worker::spawn(
            ctx.db.clone(),
            ctx.clock.clone(),
            mailer,
            Duration::from_millis(settings.mail.poll_interval_ms.max(10)),
            mail::worker::Schedule::of(&settings.mail),
        );
        spawn_session_cleanup(ctx.db.clone(), ctx.clock.clone());
        spawn_key_usage_flush(ctx.clone());
        let cookie_key = cookie_key(&ctx).await?;
        keys::ensure_keys(&ctx).await?;
        let discovery = discovery_document(&ctx.public_url)?;
        let state = AppState {
            ctx,
            discovery,
            jwks: std::sync::Arc::default(),
            // Checked when the settings were loaded; an unparseable list trusts nobody.
            proxies: TrustedProxies::parse(&settings.server.trusted_proxies).unwrap_or_default(),
            metrics: std::sync::Arc::default(),
            cookie_key: crate::web::device::CookieKey(cookie_key.clone()),
        };
        let https = state.ctx.public_url.starts_with("https://");
        let idle = settings.lifetimes.session_idle;
        let data = web::Data::new(state.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                // Inside the session middleware, which it reads.
                .wrap(from_fn(crate::web::me::remember_signed_in))
                .wrap(session_middleware(
                    &data.ctx,
                    cookie_key.clone(),
                    https,
                    idle,
                ))
                .wrap(from_fn(middleware::error_pages))
                .app_data(web::PayloadConfig::new(MAX_BODY_BYTES))
                .app_data(web::FormConfig::default().limit(MAX_BODY_BYTES))
                .app_data(web::JsonConfig::default().limit(MAX_BODY_BYTES))
                .wrap(headers::security_headers(https))
                .wrap(from_fn(middleware::echo_request_id))
                .wrap(from_fn(middleware::count_answers))
                .wrap(TracingLogger::<AccessLog>::new())
                .configure(routes_mod::routes)
                .default_service(web::to(errors::not_found))
        })
        .client_request_timeout(Duration::from_secs(10))
        .client_disconnect_timeout(Duration::from_secs(2))
        .shutdown_timeout(settings.server.shutdown_timeout_secs)
        .listen(listener)
        .map_err(|source| StartupError::Bind {
            addr: settings.server.public_addr.clone(),
            source,
        })?
        .run();
        let private = private_server(settings, &state)?;
        Ok(Self {
            port,
            private_port: private.1,
            server,
            private: private.0,
            state,
        })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The bound port of the private (XML-RPC) listener.
    pub fn private_port(&self) -> u16 {
        self.private_port
    }

    /// The URL the server answers on.
    pub fn public_url(&self) -> &str {
        &self.state.ctx.public_url
    }

    /// The storage the server uses.
    pub fn db(&self) -> &Db {
        &self.state.ctx.db
    }

    /// Serves until SIGTERM or ctrl-c, then lets in-flight requests finish and writes the
    /// API-key uses noted since the last periodic write.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let (public, private) = tokio::join!(self.server, self.private);
        let ctx = &self.state.ctx;
        if let Err(e) = ctx.key_usage.flush(&ctx.db).await {
            tracing::warn!(error = %e, "recording API-key use at shutdown failed");
        }
        public.and(private)
    }
}

/// Where the lockout counters and the sessions live: in the database, or in Redis as the
/// settings say (both then share one connection, and every key starts with `redis.key_prefix`).
async fn shared_stores(
    settings: &Settings,
    db: &Db,
) -> Result<(CounterStore, SessionStore), DbError> {
    let redis = &settings.redis;
    let conn = match redis
        .url
        .as_ref()
        .filter(|_| redis.rate_limits || redis.sessions)
    {
        Some(url) => Some(RedisConn::connect(url.expose_secret(), &redis.key_prefix).await?),
        None => None,
    };
    let counters = match conn.clone().filter(|_| redis.rate_limits) {
        Some(conn) => {
            let keep = settings.throttle.reset_after + settings.throttle.max_wait;
            CounterStore::redis(conn, i64::try_from(keep.as_secs()).unwrap_or(i64::MAX))
        }
        None => CounterStore::database(db.clone()),
    };
    let sessions = match conn.filter(|_| redis.sessions) {
        Some(conn) => SessionStore::redis(conn),
        None => SessionStore::database(db.clone()),
    };
    Ok((counters, sessions))
}

/// The session middleware: sessions in the database or Redis, an idle timeout renewed on every request,
/// and the cookie flags of SPEC §3 (`__Host-` and Secure over https).
fn session_middleware(
    ctx: &Context,
    key: Key,
    https: bool,
    idle: Duration,
) -> SessionMiddleware<SharedSessionStore> {
    let store = SharedSessionStore::new(ctx.clone());
    let ttl =
        actix_web::cookie::time::Duration::seconds(i64::try_from(idle.as_secs()).unwrap_or(7200));
    SessionMiddleware::builder(store, key)
        .cookie_name(
            if https {
                "__Host-lk_session"
            } else {
                "lk_session"
            }
            .to_owned(),
        )
        .cookie_secure(https)
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Lax)
        .cookie_path("/".to_owned())
        .cookie_content_security(CookieContentSecurity::Private)
        .session_lifecycle(
            PersistentSession::default()
                .session_ttl(ttl)
                .session_ttl_extension_policy(TtlExtensionPolicy::OnEveryRequest),
        )
        .build()
}

/// The key that encrypts session cookies: made by the first node to start, shared by all.
async fn cookie_key(ctx: &Context) -> Result<Key, StartupError> {
    let mut candidate = [0u8; 64];
    getrandom::fill(&mut candidate).map_err(StartupError::Random)?;
    let encoded = base64::engine::general_purpose::STANDARD.encode(candidate);
    let stored = get_or_create_secret(
        ctx.db.pool(),
        "session_cookie_key",
        &encoded,
        ctx.clock.now(),
    )
    .await?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(stored)
        .map_err(StartupError::CorruptCookieKey)?;
    Key::try_from(bytes.as_slice()).map_err(StartupError::UnusableCookieKey)
}

/// Deletes expired sessions, codes, tokens and authorization requests every minute (on every
/// node; the deletes are idempotent).
fn spawn_session_cleanup(db: Db, clock: SharedClock) {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(Duration::from_secs(60));
        loop {
            ticker.tick().await;
            match delete_expired_sessions(db.pool(), clock.now()).await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(removed = n, "expired sessions removed"),
                Err(e) => tracing::warn!(error = %e, "session cleanup failed"),
            }
            if let Err(e) =
                crate::db::oauth_grants::delete_expired_grants(db.pool(), clock.now()).await
            {
                tracing::warn!(error = %e, "grant cleanup failed");
            }
            if let Err(e) =
                crate::db::authorization_requests::delete_expired_authorization_requests(
                    db.pool(),
                    clock.now(),
                )
                .await
            {
                tracing::warn!(error = %e, "authorization request cleanup failed");
            }
            if let Err(e) =
                crate::db::openid_requests::delete_expired_openid_requests(db.pool(), clock.now())
                    .await
            {
                tracing::warn!(error = %e, "OpenID request cleanup failed");
            }
            let now = clock.now();
            if let Err(e) =
                crate::db::openid_associations::delete_expired_associations(db.pool(), now).await
            {
                tracing::warn!(error = %e, "OpenID association cleanup failed");
            }
            if let Err(e) = crate::db::openid_nonces::delete_expired_nonces(db.pool(), now).await {
                tracing::warn!(error = %e, "OpenID nonce cleanup failed");
            }
        }
    });
}

/// Writes noted API-key uses every 30 seconds (the keys tab also writes them before listing).
fn spawn_key_usage_flush(ctx: Context) {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(Duration::from_secs(30));
        loop {
            ticker.tick().await;
            if let Err(e) = ctx.key_usage.flush(&ctx.db).await {
                tracing::warn!(error = %e, "recording API-key use failed");
            }
            let now = ctx.clock.now();
            if let Err(e) =
                crate::db::api_keys::delete_expired_delegation_requests(ctx.db.pool(), now).await
            {
                tracing::warn!(error = %e, "delegation cleanup failed");
            }
        }
    });
}

/// The private listener: `POST /bugs` (XML-RPC) and nothing else.
fn private_server(settings: &Settings, state: &AppState) -> Result<(Server, u16), StartupError> {
    let addr = settings.server.private_addr.clone();
    let listener = TcpListener::bind(&addr).map_err(|source| StartupError::Bind {
        addr: addr.clone(),
        source,
    })?;
    let port = listener.local_addr().map_or(0, |a| a.port());
    let handlers = web::Data::new(crate::web::xmlrpc::handlers(state.ctx.clone()));
    let state = web::Data::new(state.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(handlers.clone())
            .app_data(state.clone())
            .app_data(web::PayloadConfig::new(MAX_BODY_BYTES))
            .wrap(TracingLogger::<AccessLog>::new())
            .route("/bugs", web::post().to(crate::web::xmlrpc::bugs))
            .route("/metrics", web::get().to(crate::web::metrics::serve))
            .default_service(web::to(crate::web::xmlrpc::nothing_here))
    })
    .workers(1)
    .shutdown_timeout(settings.server.shutdown_timeout_secs)
    .listen(listener)
    .map_err(|source| StartupError::Bind { addr, source })?
    .run();
    Ok((server, port))
}

fn listener_host(listener: &TcpListener) -> String {
    match listener.local_addr() {
        Ok(addr) if addr.is_ipv6() => format!("[{}]", addr.ip()),
        Ok(addr) => addr.ip().to_string(),
        Err(_) => "127.0.0.1".to_owned(),
    }
}
