//! `/healthz` (the process is up) and `/readyz` (the database, and Redis when used, answer).

use actix_web::{HttpResponse, web};
use serde_json::json;

use super::AppState;

/// 200 while the process runs.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(json!({"status": "ok"}))
}

/// 200 when the database (and Redis, when sessions or lockout counters live there) answers,
/// 503 when one does not.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let ctx = &state.ctx;
    let database = ctx.db.ping().await;
    let redis = ctx.redis_reachable().await;
    let mut body = json!({"status": "ready", "database": "ok"});
    let mut ready = true;
    if let Err(e) = &database {
        tracing::warn!(error = %e, "readiness check failed: database unreachable");
        body["database"] = json!("unreachable");
        ready = false;
    }
    match &redis {
        Some(Ok(())) => body["redis"] = json!("ok"),
        Some(Err(e)) => {
            tracing::warn!(error = %e, "readiness check failed: redis unreachable");
            body["redis"] = json!("unreachable");
            ready = false;
        }
        None => {}
    }
    let mut answer = if ready {
        HttpResponse::Ok()
    } else {
        body["status"] = json!("unavailable");
        HttpResponse::ServiceUnavailable()
    };
    answer
        .insert_header(("Cache-Control", "no-store"))
        .json(body)
}
