//! The device cookie: set, signed with the site's cookie key, when a person signs in; read back
//! (signature checked) on the forms that check a password, so that this browser's failures are
//! counted apart from everyone else's.

use std::future::{Ready, ready};

use actix_web::cookie::{Cookie, CookieJar, Key, SameSite};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};

use super::AppState;
use crate::domain::PersonId;
use crate::domain::device::KnownDevice;

/// The cookie's name: host-only and `Secure` over https, like the session cookie.
fn cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-lk_device"
    } else {
        "lk_device"
    }
}
/// How long a browser stays known without signing in again.
const LIFETIME_DAYS: i64 = 365;

/// The site's cookie key; `Debug` never shows it.
#[derive(Clone)]
pub struct CookieKey(pub Key);

impl std::fmt::Debug for CookieKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CookieKey(<redacted>)")
    }
}

/// The browser's device cookie, when it carries a valid one.
#[derive(Debug, Clone, Default)]
pub struct DeviceCookie(pub Option<KnownDevice>);

impl DeviceCookie {
    fn read(req: &HttpRequest) -> Self {
        let Some(state) = req.app_data::<web::Data<AppState>>() else {
            return Self(None);
        };
        let name = cookie_name(state.https());
        let Some(cookie) = req.cookie(name) else {
            return Self(None);
        };
        let mut jar = CookieJar::new();
        jar.add_original(cookie);
        let verified = jar
            .signed(&state.cookie_key.0)
            .get(name)
            .and_then(|c| KnownDevice::parse(c.value()));
        Self(verified)
    }

    /// The known device, if any.
    pub fn device(&self) -> Option<&KnownDevice> {
        self.0.as_ref()
    }
}

impl FromRequest for DeviceCookie {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self::read(req)))
    }
}

/// Adds a fresh device cookie for a person who has just signed in in this browser.
pub fn remember_device(
    mut res: HttpResponse,
    key: &CookieKey,
    person: &PersonId,
    https: bool,
) -> HttpResponse {
    let Ok(device) = KnownDevice::issue(person) else {
        // Without randomness the browser is simply not remembered.
        return res;
    };
    let name = cookie_name(https);
    let mut jar = CookieJar::new();
    jar.signed_mut(&key.0).add(
        Cookie::build(name, device.value())
            .path("/")
            .http_only(true)
            .secure(https)
            .same_site(SameSite::Lax)
            .max_age(actix_web::cookie::time::Duration::days(LIFETIME_DAYS))
            .finish(),
    );
    if let Some(cookie) = jar.get(name)
        && let Err(e) = res.add_cookie(cookie)
    {
        tracing::warn!(error = %e, "the device cookie could not be set");
    }
    res
}
