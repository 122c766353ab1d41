//! `GET/POST /authorize`: the relying party's sign-in request, the login detour, the consent
//! page, and the code sent back.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::super::AppState;
use super::super::errors::internal_error;
use super::super::forms::{Form, see_other};
use super::super::headers::with_form_target;
use super::super::lang::{RequestLang, SWITCH_BASE, switch_base};
use super::super::session::TypedSession;
use super::super::signed_in::current_person;
use crate::db::consents::find_consent;
use crate::service::account::AccountView;
use crate::service::oidc::authorize::{
    AuthorizeError, AuthorizeParams, ValidRequest, check, error_redirect, issue_code,
};
use crate::service::oidc::pending;

pub(super) fn error_page(state: &AppState, lang: RequestLang, message: &str) -> HttpResponse {
    state.message_page(
        lang,
        StatusCode::BAD_REQUEST,
        &lang.lang.text("authorize-error-title"),
        message,
    )
}

fn refusal(state: &AppState, lang: RequestLang, err: AuthorizeError) -> HttpResponse {
    match err {
        AuthorizeError::Page(message) => error_page(state, lang, &message),
        AuthorizeError::Redirect {
            redirect_uri,
            error,
            description,
            state: st,
        } => see_other(&error_redirect(
            &state.ctx.public_url,
            &redirect_uri,
            error,
            &description,
            st.as_deref(),
        )),
    }
}

pub(super) fn refuse_to_client(
    state: &AppState,
    req: &ValidRequest,
    error: &'static str,
    description: &str,
) -> HttpResponse {
    see_other(&error_redirect(
        &state.ctx.public_url,
        &req.redirect_uri,
        error,
        description,
        req.state.as_deref(),
    ))
}

/// `/authorize?…` with `prompt=login` (and `max_age=0`, its equal) removed: where to come back
/// to after signing in.
fn return_path(params: &AuthorizeParams) -> String {
    let mut params = params.clone();
    params.max_age = params.max_age.filter(|age| age.parse::<i64>() != Ok(0));
    params.prompt = params
        .prompt
        .as_deref()
        .map(|p| {
            p.split_whitespace()
                .filter(|v| *v != "login")
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|p| !p.is_empty());
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.pairs())
        .finish();
    format!("/authorize?{query}")
}

pub(super) fn login_redirect(params: &AuthorizeParams, req: &ValidRequest) -> HttpResponse {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("next", &return_path(params));
    if let Some(hint) = req.login_hint.as_deref() {
        query.append_pair("email", hint);
    }
    see_other(&format!("/+login?{}", query.finish()))
}

async fn consent_page(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    params: &AuthorizeParams,
    req: &ValidRequest,
    view: &AccountView,
) -> HttpResponse {
    let csrf = match session.csrf_token() {
        Ok(t) => t,
        Err(e) => return internal_error(&e),
    };
    let handle = match pending::hold(&state.ctx, params, &view.person.id).await {
        Ok(handle) => handle,
        Err(e) => return internal_error(&e),
    };
    let l = lang.lang;
    let shared: Vec<String> = req
        .scopes
        .iter()
        .map(|s| l.text(&format!("consent-scope-{s}")))
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("csrf_token", &csrf);
    ctx.insert(CONSENT_REQUEST, handle.expose());
    ctx.insert("client_name", &req.client.name);
    ctx.insert("person_name", view.person.display_name.as_str());
    ctx.insert("shared", &shared);
    ctx.insert("next", &return_path(params));
    ctx.insert(SWITCH_BASE, &switch_base("/authorize", params.pairs()));
    let page = state.page(lang, StatusCode::OK, "oidc/consent.html", ctx);
    // Allow and Deny both end at the verified redirect URI.
    with_form_target(page, Some(&req.redirect_uri))
}

/// The consent form's field that names the request waiting for the answer.
pub(super) const CONSENT_REQUEST: &str = "consent_request";

/// A checked request, or the answer that refuses it.
pub(super) enum Parsed {
    Ready(AuthorizeParams, Box<ValidRequest>),
    Answer(HttpResponse),
}

async fn parse_and_check(
    state: &AppState,
    lang: RequestLang,
    pairs: &[(String, String)],
) -> Parsed {
    match AuthorizeParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
        Ok(params) => checked(state, lang, params).await,
        Err(e) => Parsed::Answer(error_page(state, lang, &e)),
    }
}

/// Checks parameters against the registered client, as every answer must (the client may
/// have changed since a request was held).
pub(super) async fn checked(
    state: &AppState,
    lang: RequestLang,
    params: AuthorizeParams,
) -> Parsed {
    match check(&state.ctx, &params).await {
        Err(e) => Parsed::Answer(internal_error(&e)),
        Ok(Err(refused)) => Parsed::Answer(refusal(state, lang, refused)),
        Ok(Ok(req)) => Parsed::Ready(params, Box::new(req)),
    }
}

/// `GET /authorize`
pub async fn start(
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
) -> HttpResponse {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(req.query_string().as_bytes())
        .into_owned()
        .collect();
    authorization_request(&state, lang, &session, &pairs).await
}

/// `POST /authorize`: the consent page's answer when the form carries `decision`; otherwise a
/// relying party's authorization request sent as a form, which works like `GET` (OIDC Core
/// §3.1.2.1).
pub async fn submit(
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let fields = form.into_inner();
    if fields.iter().any(|(name, _)| name == "decision") {
        return super::consent::decide(&state, lang, &session, &fields).await;
    }
    authorization_request(&state, lang, &session, &fields).await
}

/// A relying party's request: a code straight back, the login form, the consent page, or a
/// refusal.
async fn authorization_request(
    state: &web::Data<AppState>,
    lang: RequestLang,
    session: &TypedSession,
    pairs: &[(String, String)],
) -> HttpResponse {
    let (params, request) = match parse_and_check(state, lang, pairs).await {
        Parsed::Ready(params, request) => (params, request),
        Parsed::Answer(res) => return res,
    };
    if request.prompt.login {
        // Authenticate again, then come back without prompt=login. The current session lives
        // on until a new login replaces it: a link to this page from anywhere must not be
        // able to sign the person out.
        return login_redirect(&params, &request);
    }
    let view = match current_person(state, session).await {
        Ok(v) => v,
        Err(e) => return internal_error(&e),
    };
    let auth_time = session.login_at().unwrap_or(0);
    // max_age=0 is never satisfied by an earlier login, even one in the same second.
    let too_old = request
        .max_age
        .is_some_and(|max| max == 0 || state.ctx.clock.now() - auth_time > max);
    let Some(view) = view.filter(|_| !too_old) else {
        if request.prompt.none {
            return refuse_to_client(
                state,
                &request,
                "login_required",
                "the person is not signed in",
            );
        }
        // Too old: the login form replaces the session only once the person signs in again.
        return login_redirect(&params, &request);
    };
    let consented = match find_consent(
        state.ctx.db.pool(),
        &view.person.id,
        &request.client.client_id,
    )
    .await
    {
        Ok(c) => c.is_some_and(|granted| request.scopes.iter().all(|s| granted.contains(s))),
        Err(e) => return internal_error(&e),
    };
    if request.client.trusted || (consented && !request.prompt.consent) {
        return match issue_code(&state.ctx, &request, &view.person.id, auth_time).await {
            Ok(location) => see_other(&location),
            Err(e) => internal_error(&e),
        };
    }
    if request.prompt.none {
        return refuse_to_client(
            state,
            &request,
            "consent_required",
            "the person has not consented",
        );
    }
    consent_page(state, lang, session, &params, &request, &view).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path_for(extra: &[(&str, &str)]) -> String {
        let mut pairs = vec![
            ("client_id", "c1"),
            ("redirect_uri", "https://app.example/cb"),
        ];
        pairs.extend_from_slice(extra);
        return_path(&AuthorizeParams::from_pairs(pairs).unwrap_or_else(|e| panic!("{e}")))
    }

    #[test]
    fn the_way_back_after_signing_in_does_not_ask_for_a_login_again() {
        for zero in ["0", "00", "+0"] {
            assert!(
                !path_for(&[("max_age", zero)]).contains("max_age"),
                "{zero}"
            );
        }
        assert!(path_for(&[("max_age", "60")]).contains("max_age=60"));
        let path = path_for(&[("prompt", "login consent")]);
        assert!(
            path.contains("prompt=consent") && !path.contains("login"),
            "{path}"
        );
        assert!(!path_for(&[("prompt", "login")]).contains("prompt"));
    }
}
