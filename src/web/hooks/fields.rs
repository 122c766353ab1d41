//! The body of a web-hook call, form-encoded or JSON, as named text fields.

use std::collections::BTreeMap;

use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, web};

use crate::domain::form::decode_form;

/// What is wrong with a body or one of its fields (the 400 answer says it, with its cause).
#[derive(Debug, thiserror::Error)]
pub enum FieldError {
    /// The body is neither form-encoded nor JSON.
    #[error("send application/x-www-form-urlencoded or application/json")]
    UnsupportedType,
    /// The JSON does not parse, or is not an object.
    #[error("the body is not a JSON object")]
    BadJson(#[source] serde_json::Error),
    /// A form field is not UTF-8 once decoded.
    #[error("a form field is not valid UTF-8")]
    NotUtf8,
    /// A field appears twice.
    #[error("the field `{0}` is given more than once")]
    Repeated(String),
    /// A JSON field holds something other than a string.
    #[error("the field `{0}` must be a string")]
    NotText(String),
    /// A field the hook does not know.
    #[error("unknown field `{0}`")]
    Unknown(String),
    /// A required field is absent or empty.
    #[error("the field `{0}` is required")]
    Required(&'static str),
    /// A field's value is not acceptable.
    #[error("the field `{field}` is invalid")]
    Invalid {
        /// The field.
        field: &'static str,
        /// Why.
        #[source]
        reason: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// The named fields of a hook's body (`null` JSON values count as absent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HookFields(BTreeMap<String, String>);

impl HookFields {
    /// Parses a body by its content type. An empty body without a type has no fields.
    pub fn parse(req: &HttpRequest, body: &web::Bytes) -> Result<Self, FieldError> {
        let content_type = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase()
            });
        match content_type.as_deref() {
            Some("application/x-www-form-urlencoded") => Self::from_form(body),
            Some("application/json") => Self::from_json(body),
            None if body.is_empty() => Ok(Self::default()),
            _ => Err(FieldError::UnsupportedType),
        }
    }

    fn from_form(body: &[u8]) -> Result<Self, FieldError> {
        let mut fields = BTreeMap::new();
        for (name, value) in decode_form(body).map_err(|_| FieldError::NotUtf8)? {
            if fields.contains_key(&name) {
                return Err(FieldError::Repeated(name));
            }
            fields.insert(name, value);
        }
        Ok(Self(fields))
    }

    fn from_json(body: &[u8]) -> Result<Self, FieldError> {
        let object: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(body).map_err(FieldError::BadJson)?;
        let mut fields = BTreeMap::new();
        for (name, value) in object {
            match value {
                serde_json::Value::Null => {}
                serde_json::Value::String(text) => {
                    fields.insert(name, text);
                }
                _ => return Err(FieldError::NotText(name)),
            }
        }
        Ok(Self(fields))
    }

    /// Takes a field out (the token leaves the fields this way, so handlers never see it).
    pub fn take(&mut self, name: &str) -> Option<String> {
        self.0.remove(name)
    }

    /// Refuses any field other than `known`.
    pub fn only(&self, known: &[&str]) -> Result<(), FieldError> {
        match self.0.keys().find(|name| !known.contains(&name.as_str())) {
            Some(name) => Err(FieldError::Unknown(name.clone())),
            None => Ok(()),
        }
    }

    /// A field that must be present and not blank.
    pub fn required(&self, name: &'static str) -> Result<&str, FieldError> {
        self.optional(name).ok_or(FieldError::Required(name))
    }

    /// A field that may be absent; blank counts as absent.
    pub fn optional(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_are_decoded_and_repeats_refused() {
        let fields = HookFields::from_form(b"email=a%40example.org&display_name=A+B").unwrap();
        assert_eq!(fields.required("email").ok(), Some("a@example.org"));
        assert_eq!(fields.optional("display_name"), Some("A B"));
        assert!(matches!(
            HookFields::from_form(b"token=a&token=b"),
            Err(FieldError::Repeated(name)) if name == "token"
        ));
    }

    #[test]
    fn json_fields_must_be_text_and_null_is_absent() {
        let fields =
            HookFields::from_json(br#"{"email":"a@example.org","display_name":null}"#).unwrap();
        assert_eq!(fields.optional("display_name"), None);
        assert!(matches!(
            HookFields::from_json(br#"{"email":1}"#),
            Err(FieldError::NotText(_))
        ));
        assert!(matches!(
            HookFields::from_json(b"[1]"),
            Err(FieldError::BadJson(_))
        ));
    }

    #[test]
    fn unknown_and_blank_fields_are_named() {
        let fields = HookFields::from_form(b"emial=x&team=%20").unwrap();
        assert!(matches!(
            fields.only(&["email", "team"]),
            Err(FieldError::Unknown(name)) if name == "emial"
        ));
        assert!(matches!(
            fields.required("team"),
            Err(FieldError::Required("team"))
        ));
    }
}
