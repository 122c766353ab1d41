//! The `RequestLang` extractor: the `lang` query parameter, then the `lang` cookie, then
//! `Accept-Language`, then English. A language chosen by parameter is remembered in the cookie.

use std::future::{Ready, ready};

use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::http::header::ACCEPT_LANGUAGE;
use actix_web::{FromRequest, HttpRequest, HttpResponseBuilder};

use crate::i18n::Lang;

/// The cookie that remembers a chosen language.
pub const COOKIE: &str = "lang";

/// The language of this request's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLang {
    /// The language.
    pub lang: Lang,
    /// Whether it was chosen with `?lang=` (and should be remembered).
    pub chosen_now: bool,
}

impl RequestLang {
    /// Works out the language of a request.
    pub fn of(req: &HttpRequest) -> Self {
        let from_query = url::form_urlencoded::parse(req.query_string().as_bytes())
            .find(|(k, _)| k == "lang")
            .and_then(|(_, v)| Lang::from_tag(&v));
        if let Some(lang) = from_query {
            return Self {
                lang,
                chosen_now: true,
            };
        }
        let lang = req
            .cookie(COOKIE)
            .and_then(|c| Lang::from_tag(c.value()))
            .or_else(|| {
                req.headers()
                    .get(ACCEPT_LANGUAGE)
                    .and_then(|h| h.to_str().ok())
                    .and_then(Lang::from_accept_language)
            })
            .unwrap_or_else(Lang::default_lang);
        Self {
            lang,
            chosen_now: false,
        }
    }

    /// Adds the `lang` cookie to a response when the language was chosen by parameter.
    pub fn remember(&self, res: &mut HttpResponseBuilder) {
        if self.chosen_now {
            res.cookie(
                Cookie::build(COOKIE, self.lang.tag())
                    .path("/")
                    .same_site(SameSite::Lax)
                    .http_only(true)
                    .max_age(actix_web::cookie::time::Duration::days(365))
                    .finish(),
            );
        }
    }
}

/// The template variable that starts the language switch's links (`{{ lang_base }}lang=de`);
/// a page without it switches language in place (`?lang=de`).
pub const SWITCH_BASE: &str = "lang_base";

/// Where the language switch of a page at `path` leads, up to the `lang` parameter: `path?` and
/// the request in progress (`pairs`, without any `lang`), so that choosing a language keeps a
/// sign-in request, its `next` target or a delegation going.
pub fn switch_base<'a>(path: &str, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs.into_iter().filter(|(name, _)| *name != "lang"))
        .finish();
    if query.is_empty() {
        format!("{path}?")
    } else {
        format!("{path}?{query}&")
    }
}

impl FromRequest for RequestLang {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self::of(req)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_keeps_the_request_in_progress_and_drops_an_earlier_choice() {
        assert_eq!(
            switch_base(
                "/+login",
                [("next", "/authorize?client_id=a&state=b"), ("lang", "de")]
            ),
            "/+login?next=%2Fauthorize%3Fclient_id%3Da%26state%3Db&"
        );
        assert_eq!(switch_base("/+login", []), "/+login?");
    }
}
