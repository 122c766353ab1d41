//! Error pages for browsers: the short plain-text answers for a method a path does not serve
//! (405) and for a failure (500), and failures of the session store, become the localised
//! error page when the request asks for HTML. API clients keep the short answers, and no
//! answer ever carries the failure's cause.

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

    /// The localised page for a 405 or 500, if this request should get one.
    fn page(&self, status: StatusCode) -> Option<HttpResponse> {
        let page = match status {
            StatusCode::METHOD_NOT_ALLOWED => ErrorPage {
                heading: "error-method",
                detail: "error-method-detail",
            },
            StatusCode::INTERNAL_SERVER_ERROR => ErrorPage {
                heading: "error-internal",
                detail: "error-internal-detail",
            },
            _ => return None,
        };
        self.page_of(status, page)
    }

    /// The localised page of a `WebError`'s answer, if this request should get one; a server
    /// error's page quotes the request id.
    fn page_of(&self, status: StatusCode, page: ErrorPage) -> Option<HttpResponse> {
        if !self.html {
            return None;
        }
        let state = self.state.as_ref()?;
        let l = self.lang.lang;
        let reference = if status.is_server_error() {
            self.reference.as_str()
        } else {
            ""
        };
        Some(state.error_page(
            self.lang,
            status,
            &l.text(page.heading),
            &l.text(page.detail),
            reference,
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

    /// Replaces a bare plain-text 405 or 500, or a `WebError`'s answer, with the page (or the
    /// short text), keeping its headers (`Allow`, `Retry-After`).
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
