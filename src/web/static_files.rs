//! `/static/…`: the embedded stylesheet and images.

use actix_web::http::header::{CacheControl, CacheDirective, ContentType};
use actix_web::{HttpResponse, web};

use super::error::WebError;
use crate::assets::Static;

/// Serves one embedded file, or 404.
pub async fn serve(path: web::Path<String>) -> Result<HttpResponse, WebError> {
    let path = path.into_inner();
    let file = Static::get(&path).ok_or(WebError::NOT_FOUND)?;
    let mime = mime_guess::from_path(&path).first_or_octet_stream();
    Ok(HttpResponse::Ok()
        .insert_header(ContentType(mime))
        .insert_header(CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(3600),
        ]))
        .body(file.data.into_owned()))
}
