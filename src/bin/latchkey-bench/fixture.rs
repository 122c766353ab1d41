//! The data every scenario needs, seeded through Latchkey's own library before the server
//! starts: a person with a password, a relying party, the web-hook token, an API key, and as
//! many extra people as the run asks for.

use std::sync::Arc;
use std::time::Duration;

use latchkey::clock::{Clock, SystemClock};
use latchkey::config::Settings;
use latchkey::db::{Db, PoolOptions};
use latchkey::domain::api_key::KeyDescription;
use latchkey::domain::signing_key::SigningAlg;
use latchkey::domain::{DisplayName, EmailAddress, HashingParams, Password, PlainToken, TokenKind};
use latchkey::i18n::Lang;
use latchkey::service::api_keys::{self, Notify};
use latchkey::service::clients::{self, NewClient};
use latchkey::service::{Context, Origin, account, passwords, people};

/// The person every login scenario signs in as.
pub const EMAIL: &str = "bench@example.org";
/// Their password.
pub const PASSWORD: &str = "a benchmark passphrase";
/// Where the relying party's codes go (never contacted: the scenario reads the redirect).
pub const REDIRECT_URI: &str = "http://127.0.0.1:9/callback";

/// What the seeding made.
#[derive(Debug, Clone)]
pub struct Seeded {
    /// The relying party's client id.
    pub client_id: String,
    /// Its secret.
    pub client_secret: String,
    /// The site's web-hook token.
    pub hook_token: String,
    /// An API key of the bench person.
    pub api_key: String,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Migrates the database at `url` and seeds it; `extra_people` more active people are added in
/// bulk (with the same password hash) to measure lookups in a large table.
pub async fn seed(url: &str, hashing: HashingParams, extra_people: i64) -> Result<Seeded, String> {
    let db = Db::connect(
        url,
        PoolOptions {
            max_connections: 2,
            acquire_timeout: Duration::from_secs(30),
        },
    )
    .await
    .map_err(err)?;
    latchkey::db::migrate::run(&db).await.map_err(err)?;
    let settings = Settings {
        password: hashing,
        ..Settings::default()
    };
    let ctx = Context::new(
        &settings,
        db.clone(),
        Arc::new(SystemClock),
        "http://127.0.0.1".to_owned(),
    )
    .map_err(err)?;
    let email = EmailAddress::parse(EMAIL).map_err(err)?;
    let person = people::create_person(
        &ctx,
        &email,
        DisplayName::parse("Bench Person").map_err(err)?,
        Password::parse(PASSWORD).map_err(err)?,
        &Origin::cli(),
    )
    .await
    .map_err(err)?;
    let (client, secret) = clients::add(
        &ctx,
        NewClient {
            name: "Bench relying party".to_owned(),
            redirect_uris: vec![REDIRECT_URI.to_owned()],
            post_logout_redirect_uris: Vec::new(),
            public: false,
            trusted: false,
            introspect_any: false,
            require_second_factor: false,
            alg: SigningAlg::Rs256,
        },
    )
    .await
    .map_err(err)?;
    let hook = PlainToken::generate(TokenKind::Webhook).map_err(err)?;
    latchkey::db::webhooks::replace_webhook_token(db.pool(), &hook.hash(), SystemClock.now())
        .await
        .map_err(err)?;
    let owner = account::load(&ctx, &person.id)
        .await
        .map_err(err)?
        .ok_or("the bench person is not active")?;
    let key = api_keys::create(
        &ctx,
        &owner,
        KeyDescription::parse("benchmark").map_err(err)?,
        None,
        Lang::default_lang(),
        Notify::Later,
        &Origin::cli(),
    )
    .await
    .map_err(err)?;
    if extra_people > 0 {
        let hash = passwords::hash_password(hashing, Password::parse(PASSWORD).map_err(err)?)
            .await
            .map_err(err)?;
        latchkey::db::seed::insert_many_people(
            db.pool(),
            "bench",
            extra_people,
            &hash,
            SystemClock.now(),
        )
        .await
        .map_err(err)?;
    }
    db.close().await;
    Ok(Seeded {
        client_id: client.client_id,
        client_secret: secret
            .ok_or("a confidential client has a secret")?
            .expose()
            .to_owned(),
        hook_token: hook.expose().to_owned(),
        api_key: key.secret.expose().to_owned(),
    })
}
