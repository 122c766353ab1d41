//! The public listener's own middleware, as `from_fn` functions: the request id echoed back,
//! error pages for browsers, and the request counters of `/metrics`.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, web};
use tracing_actix_web::RequestId;

use super::AppState;
use super::error_pages::ErrorContext;

/// Adds `X-Request-Id` (the id the access log and error pages show) to every answer.
pub async fn echo_request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = req.extensions().get::<RequestId>().copied();
    let mut res = next.call(req).await?;
    if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id.to_string()).ok()) {
        res.headers_mut()
            .insert(HeaderName::from_static("x-request-id"), value);
    }
    Ok(res)
}

/// Turns bare answers with an error status, and failures outside the handlers, into error
/// pages for browsers, and lets the pages handlers render quote the request id (see
/// `error_pages`).
pub async fn error_pages(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let context = ErrorContext::of(&req);
    match context.scope(next.call(req)).await {
        Ok(res) => Ok(context.for_answer(res.map_into_boxed_body())),
        Err(e) => Err(context.for_failure(&e)),
    }
}

/// Counts every answer by route pattern, method and status, with its latency.
pub async fn count_answers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = std::time::Instant::now();
    let method = req.method().to_string();
    let metrics = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.metrics.clone());
    let answer = next.call(req).await;
    if let Some(metrics) = metrics {
        let (route, status) = match &answer {
            Ok(res) => (
                res.request()
                    .match_pattern()
                    .unwrap_or_else(|| "unmatched".to_owned()),
                res.status().as_u16(),
            ),
            Err(_) => ("failed".to_owned(), 500),
        };
        metrics.observe(&route, &method, status, started.elapsed());
    }
    answer
}
