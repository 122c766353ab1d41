//! `GET/POST /logout`: RP-initiated logout. With a valid `id_token_hint` for the signed-in
//! person the session ends at once; otherwise the person confirms first (so that another site
//! cannot sign them out behind their back).

use actix_web::http::StatusCode;
use actix_web::{Either, HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::super::AppState;
use super::super::csrf_form::CsrfForm;
use super::super::error::WebError;
use super::super::forms::{Fields, Form, origin, see_other};
use super::super::headers::with_form_target;
use super::super::lang::{RequestLang, SWITCH_BASE, switch_base};
use super::super::session::TypedSession;
use crate::service::oidc::logout::{LogoutParams, check, record_sign_out};

/// The confirmation page's form (its CSRF token is checked by `CsrfForm`): the request's
/// parameters and `confirm`.
#[derive(Debug, Deserialize)]
pub struct Confirmation {
    /// `yes` when the person confirmed.
    confirm: String,
    /// The request, carried through the page.
    #[serde(flatten)]
    params: LogoutParams,
}

/// `GET /logout`
pub async fn start(
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let params = LogoutParams::from_query(req.query_string());
    logout(&state, &req, lang, &session, &params, false).await
}

/// `POST /logout`: the person's confirmation (with this session's CSRF token), or a relying
/// party's form post.
pub async fn submit(
    form: Either<CsrfForm<Confirmation>, Form<Fields>>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let (params, confirmed) = match form {
        Either::Left(form) => {
            let form = form.into_inner();
            (form.params.present(), form.confirm == "yes")
        }
        Either::Right(fields) => (LogoutParams::from_pairs(&fields), false),
    };
    if !confirmed && session.person_id().is_none() {
        // A relying party's form post from its own site: the session cookie (SameSite=Lax)
        // does not come with it, but does with the GET this turns into, so that the person
        // this logout is about is really signed out.
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params.pairs())
            .finish();
        return Ok(see_other(&format!("/logout?{query}")));
    }
    logout(&state, &req, lang, &session, &params, confirmed).await
}

/// Signs out at once (confirmed, or a hint for the signed-in person), or asks to confirm.
async fn logout(
    state: &AppState,
    req: &HttpRequest,
    lang: RequestLang,
    session: &TypedSession,
    params: &LogoutParams,
    confirmed: bool,
) -> Result<HttpResponse, WebError> {
    let request = match check(&state.ctx, params).await? {
        Ok(request) => request,
        Err(refused) => {
            return Ok(state.message_page(
                lang,
                StatusCode::BAD_REQUEST,
                &lang.lang.text("logout-error-title"),
                &refused.to_string(),
            ));
        }
    };
    let signed_in = session.person_id();
    let hint_matches = match (&request.hinted_subject, &signed_in) {
        (Some(sub), Some(person)) => sub == person.as_str(),
        (_, None) => true,
        (None, Some(_)) => false,
    };
    if !confirmed && !hint_matches {
        return confirmation_page(state, lang, session, params, request.redirect.as_deref());
    }
    if let Some(person) = signed_in {
        record_sign_out(&state.ctx, &person, &origin(req)).await?;
    }
    session.sign_out();
    Ok(match request.redirect {
        Some(location) => see_other(&location),
        None => state.message_page(
            lang,
            StatusCode::OK,
            &lang.lang.text("logout-done-title"),
            &lang.lang.text("logout-done"),
        ),
    })
}

/// The page that asks the person to confirm, carrying the request.
fn confirmation_page(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    params: &LogoutParams,
    redirect: Option<&str>,
) -> Result<HttpResponse, WebError> {
    let pairs = params.pairs();
    let fields: Vec<serde_json::Value> = pairs
        .iter()
        .map(|(name, value)| serde_json::json!({"name": name, "value": value}))
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("csrf_token", &session.csrf_token()?);
    ctx.insert(SWITCH_BASE, &switch_base("/logout", pairs));
    ctx.insert("params", &fields);
    let page = state.page(lang, StatusCode::OK, "oidc/logout_confirm.html", ctx);
    // The confirmation ends at the verified post-logout URI.
    Ok(with_form_target(page, redirect))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_confirmation_carries_the_request_through_the_page() {
        let form: Confirmation = serde_urlencoded::from_str(
            "csrf_token=t&client_id=c1&post_logout_redirect_uri=https%3A%2F%2Fapp.example%2F\
             &state=&confirm=yes",
        )
        .unwrap();
        assert_eq!(form.confirm, "yes");
        assert_eq!(
            form.params.present().pairs(),
            [
                ("client_id", "c1"),
                ("post_logout_redirect_uri", "https://app.example/")
            ]
        );
    }
}
