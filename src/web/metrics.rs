//! `GET /metrics` on the private listener: the Prometheus text of the public listener's
//! counters, the mail queue and the process.

use actix_web::{HttpResponse, web};

use super::AppState;
use super::errors::internal_error;
use crate::metrics::text::{CONTENT_TYPE, Gauges, render};

/// Answers a scrape.
pub async fn serve(state: web::Data<AppState>) -> HttpResponse {
    let outbox = match crate::db::outbox::counts(state.ctx.db.pool()).await {
        Ok(counts) => counts,
        Err(e) => return internal_error(&e),
    };
    let gauges = Gauges {
        outbox,
        process: crate::metrics::process::read(),
        version: env!("CARGO_PKG_VERSION"),
        password_checks: state
            .ctx
            .password_checks
            .load(std::sync::atomic::Ordering::Relaxed),
    };
    HttpResponse::Ok()
        .content_type(CONTENT_TYPE)
        .insert_header(("Cache-Control", "no-store"))
        .body(render(&state.metrics.snapshot(), &gauges))
}
