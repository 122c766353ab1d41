//! A small relying party served by the test on its own loopback port, at `http://localhost:PORT`
//! while Latchkey is at `http://127.0.0.1:PORT`: another origin and another site, as a real
//! application is. It records what reaches its redirect URI, redeems codes at `/token`, asks
//! `/userinfo` for the person's name and shows it; it also serves a post-logout page and an
//! auth-delegation callback (the key delivery and the page the browser comes back to).

use std::sync::{Arc, Mutex};

use actix_web::{App, HttpResponse, HttpServer, web};
use latchkey::service::clients::NewClient;
use serde_json::Value;

use crate::helpers::TestApp;
use crate::oidc_helpers::{register, wiki};

/// What the delegation callback answers the key delivery with.
pub const DELEGATION_RESULT: &str = "rp-delegation-7";

/// What reached the relying party's redirect URI.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Arrival {
    /// The query parameters, in order.
    pub params: Vec<(String, String)>,
}

impl Arrival {
    /// One parameter's value.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Log {
    arrivals: Vec<Arrival>,
    logged_out: Vec<Arrival>,
    delivered: Vec<Value>,
    id_tokens: Vec<String>,
}

struct Shared {
    latchkey: String,
    client_id: String,
    secret: String,
    redirect_uri: String,
    log: Mutex<Log>,
    http: reqwest::Client,
}

/// A running relying party, registered as a client of the given Latchkey.
pub struct RelyingParty {
    /// `http://localhost:PORT`
    pub origin: String,
    /// The registered client id.
    pub client_id: String,
    port: u16,
    shared: Arc<Shared>,
    handle: actix_web::dev::ServerHandle,
}

impl RelyingParty {
    /// Starts the relying party and registers it (`trusted` skips the consent page).
    pub async fn start(app: &TestApp, name: &str, trusted: bool) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let origin = format!("http://localhost:{port}");
        let redirect_uri = format!("{origin}/cb");
        let client = register(
            app,
            NewClient {
                name: name.to_owned(),
                redirect_uris: vec![redirect_uri.clone()],
                post_logout_redirect_uris: vec![format!("{origin}/logged-out")],
                ..wiki(false, trusted)
            },
        )
        .await;
        let secret = client.secret.unwrap();
        let shared = Arc::new(Shared {
            latchkey: app.address.clone(),
            client_id: client.id.clone(),
            secret,
            redirect_uri,
            log: Mutex::default(),
            http: crate::helpers::browser(),
        });
        let data = web::Data::from(shared.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .route("/cb", web::get().to(callback))
                .route("/logged-out", web::get().to(logged_out))
                .route("/logout-form", web::get().to(logout_form))
                .route("/delegation", web::post().to(deliver_key))
                .route("/delegation", web::get().to(delegated))
        })
        .workers(1)
        .disable_signals()
        .shutdown_timeout(0)
        .listen(listener)
        .unwrap()
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        Self {
            origin,
            client_id: client.id,
            port,
            shared,
            handle,
        }
    }

    /// The authorization request this relying party sends the browser to.
    pub fn authorize_url(&self, extra: &[(&str, &str)]) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.extend_pairs([
            ("response_type", "code"),
            ("client_id", self.client_id.as_str()),
            ("redirect_uri", self.shared.redirect_uri.as_str()),
            ("scope", "openid profile email"),
            ("state", "rp-state"),
            ("nonce", "rp-nonce"),
        ]);
        query.extend_pairs(extra.iter().copied());
        format!("{}/authorize?{}", self.shared.latchkey, query.finish())
    }

    /// The RP-initiated logout request, with an ID token as hint or without.
    pub fn logout_url(&self, id_token_hint: Option<&str>) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("client_id", &self.client_id);
        query.append_pair(
            "post_logout_redirect_uri",
            &format!("{}/logged-out", self.origin),
        );
        query.append_pair("state", "bye");
        if let Some(hint) = id_token_hint {
            query.append_pair("id_token_hint", hint);
        }
        format!("{}/logout?{}", self.shared.latchkey, query.finish())
    }

    /// The relying party's page that signs out by posting a form to Latchkey's `/logout`.
    pub fn logout_form_url(&self, id_token_hint: &str) -> String {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("hint", id_token_hint)
            .finish();
        format!("{}/logout-form?{query}", self.origin)
    }

    /// The auth-delegation request an application would link to.
    pub fn delegation_url(&self) -> String {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("callback", &self.delegation_callback())
            .append_pair("description", "Browser test tracker")
            .finish();
        format!("{}/auth.cgi?{query}", self.shared.latchkey)
    }

    /// The delegation callback: on `127.0.0.1` rather than `localhost`, which may resolve to
    /// `::1` first for Latchkey's delivery while this server listens on IPv4 (still another
    /// origin than Latchkey's).
    fn delegation_callback(&self) -> String {
        format!("http://127.0.0.1:{}/delegation", self.port)
    }

    /// Whether a page the browser shows is one of this relying party's.
    pub fn serves(&self, url: &url::Url) -> bool {
        matches!(url.host_str(), Some("localhost" | "127.0.0.1")) && url.port() == Some(self.port)
    }

    /// Everything that reached the redirect URI.
    pub fn arrivals(&self) -> Vec<Arrival> {
        self.shared.log.lock().unwrap().arrivals.clone()
    }

    /// Everything that reached the post-logout page.
    pub fn logouts(&self) -> Vec<Arrival> {
        self.shared.log.lock().unwrap().logged_out.clone()
    }

    /// The ID tokens of every code redeemed, in order.
    pub fn id_tokens(&self) -> Vec<String> {
        self.shared.log.lock().unwrap().id_tokens.clone()
    }

    /// Every key delivery received by the delegation callback.
    pub fn deliveries(&self) -> Vec<Value> {
        self.shared.log.lock().unwrap().delivered.clone()
    }
}

impl Drop for RelyingParty {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(title: &str, body: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>{}</title></head>\
             <body>{body}</body></html>",
            escape(title)
        ))
}

fn pairs(query: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

/// Redeems the code and reads the person's name; `Err` says which step failed.
async fn redeem(shared: &Shared, code: &str) -> Result<(String, String), String> {
    let tokens: Value = shared
        .http
        .post(format!("{}/token", shared.latchkey))
        .basic_auth(&shared.client_id, Some(&shared.secret))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", shared.redirect_uri.as_str()),
        ])
        .send()
        .await
        .map_err(|e| format!("token request: {e}"))?
        .json()
        .await
        .map_err(|e| format!("token answer: {e}"))?;
    let access = tokens["access_token"]
        .as_str()
        .ok_or_else(|| format!("no access token: {tokens}"))?;
    let id_token = tokens["id_token"].as_str().unwrap_or_default().to_owned();
    let info: Value = shared
        .http
        .get(format!("{}/userinfo", shared.latchkey))
        .bearer_auth(access)
        .send()
        .await
        .map_err(|e| format!("userinfo request: {e}"))?
        .json()
        .await
        .map_err(|e| format!("userinfo answer: {e}"))?;
    let name = info["name"]
        .as_str()
        .ok_or_else(|| format!("no name: {info}"))?;
    Ok((name.to_owned(), id_token))
}

/// `GET /cb`: the code (or the error) comes back.
async fn callback(shared: web::Data<Shared>, req: actix_web::HttpRequest) -> HttpResponse {
    let arrival = Arrival {
        params: pairs(req.query_string()),
    };
    shared.log.lock().unwrap().arrivals.push(arrival.clone());
    if arrival.get("state") != Some("rp-state") {
        return page(
            "Refused",
            "<h1 id=\"refused\">The state does not match</h1>",
        );
    }
    if let Some(error) = arrival.get("error") {
        return page(
            "Not signed in",
            &format!("<h1 id=\"rp-error\">{}</h1>", escape(error)),
        );
    }
    let Some(code) = arrival.get("code") else {
        return page("Refused", "<h1 id=\"refused\">No code</h1>");
    };
    match redeem(&shared, code).await {
        Ok((name, id_token)) => {
            shared.log.lock().unwrap().id_tokens.push(id_token);
            page(
                "Welcome",
                &format!(
                    "<h1 id=\"welcome\">Hello, <span id=\"name\">{}</span></h1>",
                    escape(&name)
                ),
            )
        }
        Err(why) => page(
            "Failed",
            &format!("<h1 id=\"failed\">{}</h1>", escape(&why)),
        ),
    }
}

/// `GET /logged-out`: where RP-initiated logout ends.
async fn logged_out(shared: web::Data<Shared>, req: actix_web::HttpRequest) -> HttpResponse {
    let arrival = Arrival {
        params: pairs(req.query_string()),
    };
    shared.log.lock().unwrap().logged_out.push(arrival);
    page(
        "Signed out",
        "<h1 id=\"logged-out\">You are signed out</h1>",
    )
}

/// `POST /delegation`: Latchkey delivers the key, server to server.
async fn deliver_key(shared: web::Data<Shared>, body: web::Json<Value>) -> HttpResponse {
    shared.log.lock().unwrap().delivered.push(body.into_inner());
    HttpResponse::Ok().json(serde_json::json!({"result": DELEGATION_RESULT}))
}

/// `GET /delegation`: the browser comes back after the person gave access.
async fn delegated(req: actix_web::HttpRequest) -> HttpResponse {
    let params = pairs(req.query_string());
    let result = params
        .iter()
        .find(|(k, _)| k == "callback_result")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    page(
        "Access given",
        &format!(
            "<h1 id=\"delegated\">Access given</h1><p id=\"result\">{}</p>",
            escape(&result)
        ),
    )
}

/// `GET /logout-form?hint=ID_TOKEN`: a page whose button posts the logout to Latchkey, as an
/// application may do instead of linking to it.
async fn logout_form(shared: web::Data<Shared>, req: actix_web::HttpRequest) -> HttpResponse {
    let hint = pairs(req.query_string())
        .into_iter()
        .find(|(k, _)| k == "hint")
        .map(|(_, v)| v)
        .unwrap_or_default();
    let origin = shared.redirect_uri.trim_end_matches("/cb");
    let field = |name: &str, value: &str| {
        format!(
            "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
            escape(value)
        )
    };
    page(
        "Sign out",
        &format!(
            "<form method=\"post\" action=\"{}/logout\">{}{}{}{}\
             <button id=\"sign-out\" type=\"submit\">Sign out</button></form>",
            shared.latchkey,
            field("client_id", &shared.client_id),
            field("post_logout_redirect_uri", &format!("{origin}/logged-out")),
            field("state", "bye"),
            field("id_token_hint", &hint),
        ),
    )
}
