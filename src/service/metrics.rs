//! What `/metrics` reads beyond the request counters: the mail queue from storage, the
//! process's figures and the count of password checks.

use std::sync::atomic::Ordering;

use super::Context;
use crate::db::DbError;
use crate::db::outbox::counts;
use crate::metrics::text::Gauges;

/// The gauges of one scrape.
pub async fn gauges(ctx: &Context) -> Result<Gauges, DbError> {
    Ok(Gauges {
        outbox: counts(ctx.db.pool()).await?,
        process: crate::metrics::process::read(),
        version: env!("CARGO_PKG_VERSION"),
        password_checks: ctx.password_checks.load(Ordering::Relaxed),
    })
}
