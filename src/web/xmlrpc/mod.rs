//! The private listener's XML-RPC endpoint `/bugs`, for bug trackers run by the operator.
//! It is served only on `server.private_addr`, never on the public listener.

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use dxr::{Fault, Value};
use dxr_server::{Handler, HandlerMap, HandlerResult, async_trait};

use crate::service::Context;
use crate::service::handshake::new_bugtracker_token;
use crate::web::error::cause_chain;

/// XML-RPC fault code for wrong arguments (the common "invalid method parameters" code).
const INVALID_PARAMS: i32 = -32602;
/// XML-RPC fault code for a server error.
const SERVER_ERROR: i32 = -32500;

/// `newBugTrackerToken()`: a new BugTracker login token, as a string.
struct NewBugTrackerToken {
    ctx: Context,
}

#[async_trait]
impl Handler for NewBugTrackerToken {
    async fn handle(&self, params: &[Value], _headers: http::HeaderMap) -> HandlerResult {
        if !params.is_empty() {
            return Err(Fault::new(
                INVALID_PARAMS,
                "newBugTrackerToken takes no arguments".to_owned(),
            ));
        }
        match new_bugtracker_token(&self.ctx).await {
            Ok(token) => Ok(Value::String(token.expose().to_owned())),
            Err(e) => {
                tracing::error!(error = %cause_chain(&e), "newBugTrackerToken failed");
                Err(Fault::new(
                    SERVER_ERROR,
                    "the token could not be made".to_owned(),
                ))
            }
        }
    }
}

/// The methods of `/bugs`.
pub fn handlers(ctx: Context) -> HandlerMap {
    let mut map: HashMap<&'static str, Box<dyn Handler>> = HashMap::new();
    map.insert("newBugTrackerToken", Box::new(NewBugTrackerToken { ctx }));
    Arc::new(map)
}

/// `POST /bugs`
pub async fn bugs(
    handlers: web::Data<HandlerMap>,
    req: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    let Ok(text) = std::str::from_utf8(&body) else {
        return HttpResponse::BadRequest()
            .content_type("text/plain; charset=utf-8")
            .body("The request body is not UTF-8.");
    };
    let mut headers = http::HeaderMap::new();
    headers.insert(
        http::header::CONTENT_LENGTH,
        http::HeaderValue::from(body.len()),
    );
    if let Some(ct) = req
        .headers()
        .get("content-type")
        .and_then(|v| http::HeaderValue::from_bytes(v.as_bytes()).ok())
    {
        headers.insert(http::header::CONTENT_TYPE, ct);
    }
    let (status, _, answer) = dxr_server::server(handlers.get_ref().clone(), text, headers).await;
    HttpResponse::build(StatusCode::from_u16(status.as_u16()).unwrap_or(StatusCode::OK))
        .content_type("text/xml")
        .body(answer)
}

/// Everything else on the private listener. Its answers are short text: the private listener
/// has no pages (nor the `error_pages` middleware that would render a `WebError` as one).
pub async fn nothing_here() -> HttpResponse {
    HttpResponse::NotFound()
        .content_type("text/plain; charset=utf-8")
        .body("Not found")
}
