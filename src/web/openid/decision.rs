//! The decision page of an OpenID 2.0 sign-in: "Sign in to {realm} as {person}?", what will be
//! shared (optional fields may be unticked), "Not you?", Sign in / Cancel. The page carries
//! only the handle of the request held server-side; `DecisionAnswer` reads what it posts to
//! `/+openid/decide`.

use std::fmt;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::headers::with_form_target;
use crate::web::lang::{RequestLang, SWITCH_BASE, switch_base};
use crate::web::session::TypedSession;

/// The field names the page knows how to describe, in the order it lists them.
pub const FIELDS: [&str; 4] = ["fullname", "nickname", "email", "teams"];

/// What the decision page asks about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionPrompt {
    /// The handle of the held request (`service::openid::pending::hold`).
    pub handle: String,
    /// The realm (trust root) asking.
    pub realm: String,
    /// The signed-in person's display name.
    pub person_name: String,
    /// Fields the relying party asks for (`nickname`, `email`, `fullname`, `teams`), each with
    /// whether it is required (listed without a checkbox) or optional (a ticked checkbox).
    pub fields: Vec<(String, bool)>,
    /// The verified `openid.return_to`: the page's forms may end at its origin.
    pub return_to: String,
    /// Why relying-party discovery of the realm failed, when it did.
    pub discovery_warning: Option<String>,
    /// The local URL that asks again (`/+openid?` and the request's parameters): where "Not
    /// you?" signs in again and what the language switch keeps. Empty: the login form.
    pub next: String,
}

/// What the person answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// "Sign in".
    Allow,
    /// "Cancel".
    Cancel,
}

/// The form the decision page posts to `/+openid/decide` (its `csrf_token` is checked by
/// `CsrfForm`). `share` repeats once per ticked optional field; required fields are not
/// posted: they come from the held request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionAnswer {
    /// Sign in or cancel.
    pub decision: Decision,
    /// The held request's handle.
    pub handle: String,
    /// The optional fields the person left ticked.
    pub share: Vec<String>,
}

/// Renders the decision page for `prompt`; its forms may end at `return_to`'s origin (Sign in
/// and Cancel both answer the relying party there).
pub fn decision_page(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    prompt: &DecisionPrompt,
) -> Result<HttpResponse, WebError> {
    let l = lang.lang;
    let fields: Vec<serde_json::Value> = ordered(&prompt.fields)
        .into_iter()
        .map(|(name, required)| {
            serde_json::json!({
                "name": name,
                "label": l.text(&format!("openid-field-{name}")),
                "required": required,
            })
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("csrf_token", &session.csrf_token()?);
    ctx.insert("handle", &prompt.handle);
    ctx.insert("realm", &prompt.realm);
    ctx.insert("person_name", &prompt.person_name);
    ctx.insert("fields", &fields);
    ctx.insert("warning", &prompt.discovery_warning);
    ctx.insert("next", &prompt.next);
    if let Some(base) = language_base(&prompt.next) {
        ctx.insert(SWITCH_BASE, &base);
    }
    let page = state.page(lang, StatusCode::OK, "openid/decide.html", ctx);
    Ok(with_form_target(page, Some(&prompt.return_to)))
}

/// The known fields asked for, in the page's order, each once (required if asked so once);
/// names the page cannot describe are left out.
fn ordered(asked: &[(String, bool)]) -> Vec<(&'static str, bool)> {
    FIELDS
        .into_iter()
        .filter_map(|name| {
            let mut matching = asked.iter().filter(|(n, _)| n == name).peekable();
            matching.peek()?;
            Some((name, matching.any(|(_, required)| *required)))
        })
        .collect()
}

/// The language switch's base for a page that asks again at `next` (a local URL).
fn language_base(next: &str) -> Option<String> {
    let (path, query) = next.split_once('?').unwrap_or((next, ""));
    if !path.starts_with('/') || path.starts_with("//") {
        return None;
    }
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    Some(switch_base(
        path,
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    ))
}

impl<'de> Deserialize<'de> for DecisionAnswer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(AnswerVisitor)
    }
}

/// Reads the form field by field, because `share` repeats (a derived struct refuses that).
struct AnswerVisitor;

impl<'de> Visitor<'de> for AnswerVisitor {
    type Value = DecisionAnswer;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the decision form: decision, handle, share…")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DecisionAnswer, A::Error> {
        let (mut decision, mut handle, mut share) = (None, None, Vec::new());
        while let Some((name, value)) = map.next_entry::<String, String>()? {
            match name.as_str() {
                "decision" if decision.is_none() => {
                    decision = Some(match value.as_str() {
                        "allow" => Decision::Allow,
                        "cancel" => Decision::Cancel,
                        _ => return Err(de::Error::custom("decision is allow or cancel")),
                    });
                }
                "handle" if handle.is_none() => handle = Some(value),
                "share" if !share.contains(&value) => share.push(value),
                "decision" | "handle" => return Err(de::Error::custom("a field repeats")),
                _ => {}
            }
        }
        Ok(DecisionAnswer {
            decision: decision.ok_or_else(|| de::Error::missing_field("decision"))?,
            handle: handle.ok_or_else(|| de::Error::missing_field("handle"))?,
            share,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(form: &str) -> Result<DecisionAnswer, serde_urlencoded::de::Error> {
        serde_urlencoded::from_str(form)
    }

    #[test]
    fn an_answer_reads_every_ticked_field() {
        let answer =
            read("csrf_token=t&handle=lk_oir_x&decision=allow&share=email&share=teams&share=email")
                .unwrap();
        assert_eq!(answer.decision, Decision::Allow);
        assert_eq!(answer.handle, "lk_oir_x");
        assert_eq!(answer.share, vec!["email", "teams"]);
    }

    #[test]
    fn a_cancel_needs_no_field() {
        let answer = read("handle=h&decision=cancel").unwrap();
        assert_eq!(answer.decision, Decision::Cancel);
        assert!(answer.share.is_empty());
    }

    #[test]
    fn a_bad_answer_is_refused() {
        assert!(read("handle=h&decision=maybe").is_err());
        assert!(read("handle=h").is_err());
        assert!(read("decision=allow").is_err());
        assert!(read("handle=h&decision=cancel&decision=allow").is_err());
        assert!(read("handle=a&handle=b&decision=allow").is_err());
    }

    #[test]
    fn fields_are_listed_once_in_order_and_unknown_ones_dropped() {
        let asked = vec![
            ("teams".to_owned(), false),
            ("email".to_owned(), false),
            ("email".to_owned(), true),
            ("shoe_size".to_owned(), true),
            ("fullname".to_owned(), false),
        ];
        assert_eq!(
            ordered(&asked),
            vec![("fullname", false), ("email", true), ("teams", false)]
        );
    }

    #[test]
    fn the_language_switch_keeps_the_request() {
        assert_eq!(
            language_base("/+openid?openid.mode=checkid_setup&lang=de").as_deref(),
            Some("/+openid?openid.mode=checkid_setup&")
        );
        assert_eq!(language_base("https://evil.example/"), None);
        assert_eq!(language_base("//evil.example/"), None);
    }
}
