//! `/static/…`: the embedded stylesheet and images.

use actix_web::http::header::{CacheControl, CacheDirective, ContentType};
use actix_web::{HttpResponse, web};

use crate::assets::Static;

/// Serves one embedded file, or 404.
pub async fn serve(path: web::Path<String>) -> HttpResponse {
    let path = path.into_inner();
    match Static::get(&path) {
        Some(file) => {
            let mime = mime_guess::from_path(&path).first_or_octet_stream();
            HttpResponse::Ok()
                .insert_header(ContentType(mime))
                .insert_header(CacheControl(vec![
                    CacheDirective::Public,
                    CacheDirective::MaxAge(3600),
                ]))
                .body(file.data.into_owned())
        }
        None => super::errors::not_found_response(),
    }
}
