//! The console's teams pages: the list, a team's members and addresses, adding and removing.

use actix_web::web;

/// Registers the console's teams pages.
pub fn routes(_cfg: &mut web::ServiceConfig) {}
