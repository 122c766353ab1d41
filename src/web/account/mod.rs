//! The signed-in person's own pages, in one layout with one navigation (`page`): the profile
//! (`/+account`: name, addresses), security (`/+account/security`: password, second factors,
//! deactivation), sessions, applications and API keys; and `POST /+logout`. The address
//! section is `emails` and its forms `email_forms`; `email_link` is the page of the link that
//! confirms an added address (`/token/{t}/+validateemail`, registered with the token pages).

pub mod api_keys;
pub mod apps;
pub mod deactivate;
pub mod email_forms;
pub mod email_link;
pub mod emails;
pub mod logout;
pub mod name;
pub mod page;
pub mod password;
pub mod reauthentication;
pub mod security;
pub mod sessions;

use actix_web::web;

use super::{form, post_only, read_only};

/// Registers the account routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(read_only("/+account", page::show))
        .service(post_only("/+account/name", name::change))
        .service(read_only("/+account/security", security::show))
        .service(read_only("/+account/sessions", sessions::show))
        .service(read_only("/+account/apps", apps::show))
        .service(post_only(
            "/+account/security/authenticator",
            security::codes::confirm,
        ))
        .service(post_only(
            "/+account/security/authenticator/begin",
            security::codes::begin,
        ))
        .service(post_only(
            "/+account/security/authenticator/cancel",
            security::codes::cancel,
        ))
        .service(post_only(
            "/+account/security/authenticator/remove",
            security::codes::remove,
        ))
        .service(post_only(
            "/+account/security/recovery-codes",
            security::codes::renew,
        ))
        .configure(security::passkeys::routes)
        .service(post_only("/+account/emails", email_forms::add))
        .service(post_only("/+account/emails/prefer", email_forms::prefer))
        .service(post_only("/+account/emails/remove", email_forms::remove))
        .service(post_only("/+account/password", password::change))
        .service(post_only("/+account/apps/revoke", apps::revoke))
        .service(post_only(
            "/+account/apps/realms/revoke",
            apps::revoke_realm,
        ))
        .service(post_only("/+account/sessions/end", sessions::end))
        .service(post_only(
            "/+account/sessions/end-others",
            sessions::end_others,
        ))
        .service(post_only("/+account/deactivate", deactivate::deactivate))
        .service(post_only("/+logout", logout::logout))
        .service(form("/+account/api-keys", api_keys::show, api_keys::create))
        .service(post_only("/+account/api-keys/confirm", api_keys::confirm))
        .service(post_only(
            "/+account/api-keys/{id}/{action}",
            api_keys::change,
        ));
}
