//! Error pages for browsers: every short plain-text answer with an error status (a method a
//! path does not serve, an address or form actix could not read, a body over the limit, a
//! failure), and failures of the session store, become the localised error page when the
//! request asks for HTML. Every error page quotes the request id as its reference, also when a
//! handler renders it. API clients keep the short answers, and no answer ever carries the
//! failure's cause.

use std::future::Future;

use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::StatusCode;
use actix_web::http::header::{
    ACCEPT, CACHE_CONTROL, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue,
};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use tracing_actix_web::RequestId;

use super::AppState;
use super::error::ErrorPage;
use super::errors::internal_error_response;
use super::headers::add_security_headers;
use super::lang::RequestLang;

/// Whether the client asked for an HTML page.
fn wants_html(req: &HttpRequest) -> bool {
    req.headers()
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

fn is_plain_text(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/plain"))
}

tokio::task_local! {
    /// The request id of the request being answered, for the error pages handlers render.
    static REFERENCE: String;
}

/// The reference an answer with `status` quotes: the request id for an error status, nothing
/// for any other (or outside a request).
pub fn reference_for(status: StatusCode) -> String {
    if status.is_client_error() || status.is_server_error() {
        REFERENCE.try_with(Clone::clone).unwrap_or_default()
    } else {
        String::new()
    }
}

/// What the page for an error status says, when the answer did not name its page: a heading
/// and a message that fit the status, a general one for the rest; `None` below 400.
pub fn page_for(status: StatusCode) -> Option<ErrorPage> {
    let (heading, detail) = match status.as_u16() {
        0..400 => return None,
        400 | 415 => ("error-bad-request", "error-bad-request-detail"),
        404 => ("error-not-found", "error-not-found-detail"),
        405 => ("error-method", "error-method-detail"),
        413 => ("error-too-large", "error-too-large-detail"),
        429 => ("error-too-many", "error-too-many-detail"),
        400..500 => ("error-request", "error-request-detail"),
        _ => ("error-internal", "error-internal-detail"),
    };
    Some(ErrorPage { heading, detail })
}

/// What a request's error page needs, taken before the request goes on: a failure that reaches
/// no handler (the session store could not be read or written) leaves no request to read.
pub struct ErrorContext {
    state: Option<web::Data<AppState>>,
    html: bool,
    lang: RequestLang,
    reference: String,
}

impl ErrorContext {
    /// Takes what the page needs from a request.
    pub fn of(req: &ServiceRequest) -> Self {
        Self {
            state: req.app_data::<web::Data<AppState>>().cloned(),
            html: wants_html(req.request()),
            lang: RequestLang::of(req.request()),
            reference: req
                .extensions()
                .get::<RequestId>()
                .map(ToString::to_string)
                .unwrap_or_default(),
        }
    }

    /// Runs the rest of the request with its request id at hand, so that the error pages its
    /// handler renders quote it (`reference_for`).
    pub fn scope<F: Future>(&self, answer: F) -> impl Future<Output = F::Output> {
        REFERENCE.scope(self.reference.clone(), answer)
    }

    /// The localised page for an error status, if this request should get one.
    fn page(&self, status: StatusCode) -> Option<HttpResponse> {
        self.page_of(status, page_for(status)?)
    }

    /// The localised page of an answer with an error status, if this request should get one,
    /// quoting the request id.
    fn page_of(&self, status: StatusCode, page: ErrorPage) -> Option<HttpResponse> {
        if !self.html {
            return None;
        }
        let state = self.state.as_ref()?;
        let l = self.lang.lang;
        Some(state.error_page(
            self.lang,
            status,
            &l.text(page.heading),
            &l.text(page.detail),
            &self.reference,
        ))
    }

    /// The short text of a `WebError`'s answer for a client that is not a browser: its message
    /// in the request's language.
    fn text_of(&self, status: StatusCode, page: ErrorPage) -> HttpResponse {
        HttpResponse::build(status)
            .insert_header((CACHE_CONTROL, "no-store"))
            .content_type("text/plain; charset=utf-8")
            .body(self.lang.lang.text(page.detail))
    }

    /// Replaces a bare plain-text answer with an error status, or a `WebError`'s answer, with
    /// the page (or the short text), keeping its headers (`Allow`, `Retry-After`).
    pub fn for_answer(&self, res: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
        if !is_plain_text(res.headers()) {
            return res;
        }
        let marked = res.response().extensions().get::<ErrorPage>().copied();
        let replacement = match marked {
            Some(page) => self
                .page_of(res.status(), page)
                .or_else(|| Some(self.text_of(res.status(), page))),
            None => self.page(res.status()),
        };
        let Some(mut page) = replacement else {
            return res;
        };
        for (name, value) in res.headers() {
            if name != CONTENT_TYPE && !page.headers().contains_key(name) {
                page.headers_mut().insert(name.clone(), value.clone());
            }
        }
        res.into_response(page)
    }

    /// The answer to a failure that reached no handler: logged whole, answered with the page
    /// or the short text, with the headers the middleware would have added.
    pub fn for_failure(&self, error: &actix_web::Error) -> actix_web::Error {
        tracing::error!(error = %error, "request failed outside its handler");
        let mut answer = self
            .page(StatusCode::INTERNAL_SERVER_ERROR)
            .unwrap_or_else(internal_error_response);
        let https = self
            .state
            .as_ref()
            .is_some_and(|s| s.ctx.public_url.starts_with("https://"));
        add_security_headers(&mut answer, https);
        if let Ok(value) = HeaderValue::from_str(&self.reference) {
            answer
                .headers_mut()
                .insert(HeaderName::from_static("x-request-id"), value);
        }
        InternalError::from_response("request failed", answer).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(status: u16) -> Option<(&'static str, &'static str)> {
        let status = StatusCode::from_u16(status).expect("a status");
        page_for(status).map(|p| (p.heading, p.detail))
    }

    #[test]
    fn every_error_status_has_a_page_that_fits_it() {
        assert_eq!(keys(200), None);
        assert_eq!(keys(303), None);
        assert_eq!(
            keys(400),
            Some(("error-bad-request", "error-bad-request-detail"))
        );
        assert_eq!(
            keys(404),
            Some(("error-not-found", "error-not-found-detail"))
        );
        assert_eq!(keys(405), Some(("error-method", "error-method-detail")));
        assert_eq!(
            keys(413),
            Some(("error-too-large", "error-too-large-detail"))
        );
        assert_eq!(
            keys(415),
            Some(("error-bad-request", "error-bad-request-detail"))
        );
        assert_eq!(keys(429), Some(("error-too-many", "error-too-many-detail")));
        assert_eq!(keys(410), Some(("error-request", "error-request-detail")));
        assert_eq!(keys(500), Some(("error-internal", "error-internal-detail")));
        assert_eq!(keys(503), Some(("error-internal", "error-internal-detail")));
    }

    #[test]
    fn every_error_page_reads_in_both_languages() {
        for status in [400, 404, 405, 410, 413, 429, 500] {
            let (heading, detail) = keys(status).expect("a page");
            for lang in crate::i18n::SUPPORTED {
                let lang = crate::i18n::Lang::from_tag(lang).expect("a language");
                for key in [heading, detail] {
                    let text = lang.text(key);
                    assert!(!text.is_empty() && text != key, "{status} {lang:?} {key}");
                }
            }
        }
    }

    #[tokio::test]
    async fn an_error_page_quotes_the_reference_of_its_request_only() {
        let context = |reference: &str| ErrorContext {
            state: None,
            html: true,
            lang: RequestLang {
                lang: crate::i18n::Lang::default_lang(),
                chosen_now: false,
            },
            reference: reference.to_owned(),
        };
        let inside = context("req-1")
            .scope(async { reference_for(StatusCode::NOT_FOUND) })
            .await;
        assert_eq!(inside, "req-1");
        let not_an_error = context("req-2")
            .scope(async { reference_for(StatusCode::OK) })
            .await;
        assert_eq!(not_an_error, "");
        assert_eq!(
            reference_for(StatusCode::NOT_FOUND),
            "",
            "outside a request"
        );
    }
}
