//! `/healthz` (the process is up) and `/readyz` (the database answers).

use actix_web::{HttpResponse, web};
use serde_json::json;

use super::AppState;

/// 200 while the process runs.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(json!({"status": "ok"}))
}

/// 200 when the database answers a query, 503 when it does not.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    match state.ctx.db.ping().await {
        Ok(()) => HttpResponse::Ok()
            .insert_header(("Cache-Control", "no-store"))
            .json(json!({"status": "ready", "database": "ok"})),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed: database unreachable");
            HttpResponse::ServiceUnavailable()
                .insert_header(("Cache-Control", "no-store"))
                .json(json!({"status": "unavailable", "database": "unreachable"}))
        }
    }
}
