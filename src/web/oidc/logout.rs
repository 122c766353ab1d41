//! `GET/POST /logout`: RP-initiated logout. With a valid `id_token_hint` for the signed-in
//! person the session ends at once; otherwise the person confirms first (so that another site
//! cannot sign them out behind their back).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::super::AppState;
use super::super::errors::internal_error;
use super::super::forms::{Form, origin, see_other};
use super::super::headers::with_form_target;
use super::super::lang::{RequestLang, SWITCH_BASE, switch_base};
use super::super::session::TypedSession;
use crate::domain::AuditCode;
use crate::service::audit;
use crate::service::oidc::logout::{LogoutError, check};

const PARAMS: [&str; 4] = [
    "id_token_hint",
    "client_id",
    "post_logout_redirect_uri",
    "state",
];

fn params(pairs: &[(String, String)]) -> [Option<String>; 4] {
    PARAMS.map(|name| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    })
}

async fn finish(
    state: &AppState,
    req: &HttpRequest,
    lang: RequestLang,
    session: &TypedSession,
    redirect: Option<String>,
) -> HttpResponse {
    if let Some(person) = session.person_id() {
        let ctx = &state.ctx;
        if let Err(e) = audit::record(
            ctx.db.pool(),
            ctx.clock.now(),
            AuditCode::SignedOut,
            Some(&person),
            &origin(req),
            "relying party",
        )
        .await
        {
            return internal_error(&e);
        }
    }
    session.sign_out();
    match redirect {
        Some(location) => see_other(&location),
        None => state.message_page(
            lang,
            StatusCode::OK,
            &lang.lang.text("logout-done-title"),
            &lang.lang.text("logout-done"),
        ),
    }
}

async fn handle(
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    pairs: Vec<(String, String)>,
    confirmed: bool,
) -> HttpResponse {
    let [hint, client_id, redirect_uri, st] = params(&pairs);
    let checked = check(
        &state.ctx,
        hint.as_deref(),
        client_id.as_deref(),
        redirect_uri.as_deref(),
        st.as_deref(),
    )
    .await;
    let request = match checked {
        Ok(r) => r,
        Err(LogoutError::Server(e)) => return internal_error(&LogoutError::Server(e)),
        Err(e) => {
            return state.message_page(
                lang,
                StatusCode::BAD_REQUEST,
                &lang.lang.text("logout-error-title"),
                &e.to_string(),
            );
        }
    };
    let signed_in = session.person_id();
    let hint_matches = match (&request.hinted_subject, &signed_in) {
        (Some(sub), Some(person)) => sub == person.as_str(),
        (_, None) => true,
        (None, Some(_)) => false,
    };
    if confirmed || hint_matches {
        return finish(&state, &req, lang, &session, request.redirect).await;
    }
    let csrf = match session.csrf_token() {
        Ok(t) => t,
        Err(e) => return internal_error(&e),
    };
    let fields: Vec<serde_json::Value> = PARAMS
        .iter()
        .zip([&hint, &client_id, &redirect_uri, &st])
        .filter_map(|(n, v)| {
            v.as_ref()
                .map(|v| serde_json::json!({"name": n, "value": v}))
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("csrf_token", &csrf);
    let request_pairs = fields
        .iter()
        .filter_map(|f| Some((f["name"].as_str()?, f["value"].as_str()?)));
    ctx.insert(SWITCH_BASE, &switch_base("/logout", request_pairs));
    ctx.insert("params", &fields);
    let page = state.page(lang, StatusCode::OK, "oidc/logout_confirm.html", ctx);
    // The confirmation ends at the verified post-logout URI.
    with_form_target(page, request.redirect.as_deref())
}

/// `GET /logout`
pub async fn start(
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
) -> HttpResponse {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(req.query_string().as_bytes())
        .into_owned()
        .collect();
    handle(state, req, lang, session, pairs, false).await
}

/// `POST /logout`: a relying party's form post, or the person's confirmation.
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let pairs = form.into_inner();
    let csrf = pairs
        .iter()
        .find(|(k, _)| k == "csrf_token")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let confirmed =
        pairs.iter().any(|(k, v)| k == "confirm" && v == "yes") && session.csrf_matches(&csrf);
    if !confirmed && session.person_id().is_none() {
        // A relying party's form post from its own site: the session cookie (SameSite=Lax)
        // does not come with it, but does with the GET this turns into, so that the person
        // this logout is about is really signed out.
        let [hint, client_id, redirect_uri, st] = params(&pairs);
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(
                PARAMS
                    .iter()
                    .zip([&hint, &client_id, &redirect_uri, &st])
                    .filter_map(|(name, value)| value.as_deref().map(|v| (*name, v))),
            )
            .finish();
        return see_other(&format!("/logout?{query}"));
    }
    handle(state, req, lang, session, pairs, confirmed).await
}
