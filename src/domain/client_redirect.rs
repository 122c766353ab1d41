//! The redirects that carry an authorization answer back to a relying party's verified
//! redirect URI: a code or an error, with the parameters the URI already has kept.

/// An error answer for the client, sent to its verified redirect URI (RFC 6749 §4.1.2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientError {
    /// Where.
    pub redirect_uri: String,
    /// The error code.
    pub error: &'static str,
    /// Human-readable detail.
    pub description: String,
    /// The request's state.
    pub state: Option<String>,
}

impl ClientError {
    /// The redirect that carries the error, naming the issuer (RFC 9207).
    pub fn location(&self, issuer: &str) -> String {
        let mut params = vec![
            ("error", self.error),
            ("error_description", self.description.as_str()),
        ];
        if let Some(state) = self.state.as_deref() {
            params.push(("state", state));
        }
        params.push(("iss", issuer));
        redirect_with(&self.redirect_uri, &params)
    }
}

/// The redirect URI with parameters added (after any it already has).
pub fn redirect_with(redirect_uri: &str, params: &[(&str, &str)]) -> String {
    match url::Url::parse(redirect_uri) {
        Ok(mut url) => {
            {
                let mut query = url.query_pairs_mut();
                for (k, v) in params {
                    query.append_pair(k, v);
                }
            }
            url.to_string()
        }
        Err(_) => redirect_uri.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_keep_the_registered_query() {
        let url = redirect_with(
            "https://app.example/cb?tenant=1",
            &[("code", "a b"), ("state", "s")],
        );
        assert_eq!(url, "https://app.example/cb?tenant=1&code=a+b&state=s");
    }

    #[test]
    fn an_error_names_the_issuer_and_echoes_the_state() {
        let refusal = ClientError {
            redirect_uri: "https://app.example/cb".to_owned(),
            error: "access_denied",
            description: "no".to_owned(),
            state: Some("xyz".to_owned()),
        };
        assert_eq!(
            refusal.location("https://id.example"),
            "https://app.example/cb?error=access_denied&error_description=no&state=xyz\
             &iss=https%3A%2F%2Fid.example"
        );
    }
}
