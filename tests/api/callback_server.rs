//! An app's auth-delegation callback on loopback: it records what it receives and answers as
//! told (well, or in one of the ways an app can fail).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpResponse, HttpServer, web};
use serde_json::Value;

/// How the callback answers the key delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// 200 with `{"result": "txn-42"}`.
    Accept,
    /// Waits far longer than Latchkey's timeout.
    Stall,
    /// 500.
    Fail,
    /// 200 with a body that is not JSON.
    NotJson,
    /// 200 with JSON lacking `result`.
    NoResult,
    /// 302 to a local service, which must not be followed.
    Redirect,
    /// 200 with 200 KiB of JSON.
    Huge,
}

/// The result an accepting callback answers.
pub const RESULT: &str = "txn-42&client_api_key=leak";

/// A running callback server.
pub struct CallbackServer {
    /// `http://127.0.0.1:PORT/cb`
    pub url: String,
    received: Arc<Mutex<Vec<Value>>>,
    handle: actix_web::dev::ServerHandle,
}

impl CallbackServer {
    /// Starts a callback answering as `behaviour`.
    pub fn start(behaviour: Behaviour) -> Self {
        let received: Arc<Mutex<Vec<Value>>> = Arc::default();
        let state = web::Data::new((behaviour, received.clone()));
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .route("/cb", web::post().to(answer))
                .route("/elsewhere", web::post().to(answer))
        })
        .workers(1)
        .disable_signals()
        .shutdown_timeout(0)
        .bind(("127.0.0.1", 0))
        .unwrap();
        let port = server.addrs()[0].port();
        let server = server.run();
        let handle = server.handle();
        tokio::spawn(server);
        Self {
            url: format!("http://127.0.0.1:{port}/cb"),
            received,
            handle,
        }
    }

    /// Every JSON body received, in order.
    pub fn received(&self) -> Vec<Value> {
        self.received.lock().unwrap().clone()
    }
}

impl Drop for CallbackServer {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

async fn answer(
    state: web::Data<(Behaviour, Arc<Mutex<Vec<Value>>>)>,
    body: web::Json<Value>,
) -> HttpResponse {
    let (behaviour, received) = state.get_ref();
    received.lock().unwrap().push(body.into_inner());
    match behaviour {
        Behaviour::Accept => HttpResponse::Ok().json(serde_json::json!({"result": RESULT})),
        Behaviour::Stall => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            HttpResponse::Ok().json(serde_json::json!({"result": "late"}))
        }
        Behaviour::Fail => HttpResponse::InternalServerError().finish(),
        Behaviour::NotJson => HttpResponse::Ok().body("thanks!"),
        Behaviour::NoResult => HttpResponse::Ok().json(serde_json::json!({"ok": true})),
        Behaviour::Redirect => HttpResponse::Found()
            .insert_header(("Location", "http://127.0.0.1:6379/"))
            .finish(),
        Behaviour::Huge => {
            let filler = "x".repeat(200 * 1024);
            HttpResponse::Ok().json(serde_json::json!({"result": "big", "filler": filler}))
        }
    }
}

/// A loopback URL where nothing listens.
pub fn refusing_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}/cb")
}
