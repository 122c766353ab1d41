//! `CsrfForm<T>`: a form of the site's own pages, read strictly like `Form<T>` and accepted only
//! when its `csrf_token` field is this session's token; otherwise the 403 page.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;

use super::error::WebError;
use super::forms::read_form;
use super::session::TypedSession;

/// The name of the field that carries the token.
const FIELD: &str = "csrf_token";

/// A form whose CSRF token matched the session's (compared in constant time).
#[derive(Debug)]
pub struct CsrfForm<T>(pub T);

impl<T> CsrfForm<T> {
    /// The fields.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for CsrfForm<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let (fields, form) = read_form::<T>(&req, body.await?)?;
            let presented = fields
                .iter()
                .find(|(name, _)| name == FIELD)
                .map_or("", |(_, value)| value.as_str());
            if !TypedSession::of(&req).csrf_matches(presented) {
                return Err(WebError::CSRF.into());
            }
            Ok(Self(form.into_inner()))
        })
    }
}

/// A form that carries nothing but its CSRF token (a button).
#[derive(Debug, serde::Deserialize)]
pub struct NoFields {}
