//! `GET /metrics` on the private listener: the Prometheus text of the public listener's
//! counters, the mail queue and the process.

use actix_web::http::header::CACHE_CONTROL;
use actix_web::{HttpResponse, web};

use super::AppState;
use super::error::WebError;
use crate::metrics::text::{CONTENT_TYPE, render};
use crate::service::metrics::gauges;

/// Answers a scrape.
pub async fn serve(state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let gauges = gauges(&state.ctx).await?;
    Ok(HttpResponse::Ok()
        .content_type(CONTENT_TYPE)
        .insert_header((CACHE_CONTROL, "no-store"))
        .body(render(&state.metrics.snapshot(), &gauges)))
}
