//! Key-Value Form (OpenID 2.0 §4.1.1): the `key:value\n` lines of direct answers and of the
//! text a signature covers, and the namespace every OpenID 2.0 message names.

/// The OpenID 2.0 namespace (`openid.ns` of every message).
pub const NS: &str = "http://specs.openid.net/auth/2.0";

/// Why pairs cannot be written as, or text cannot be read as, Key-Value Form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KvError {
    /// A key contains a newline or a colon, or is empty.
    #[error("a key-value key may not be empty or contain ':' or a newline")]
    BadKey,
    /// A value contains a newline.
    #[error("a key-value value may not contain a newline")]
    BadValue,
    /// A line of the text has no colon.
    #[error("a key-value line has no ':'")]
    NoColon,
    /// The text does not end with a newline (every line must).
    #[error("key-value text must end with a newline")]
    Unterminated,
}

/// Writes pairs as Key-Value Form: each `key:value` followed by a newline, in order.
pub fn encode(pairs: &[(String, String)]) -> Result<String, KvError> {
    let mut text = String::new();
    for (key, value) in pairs {
        if key.is_empty() || key.contains([':', '\n']) {
            return Err(KvError::BadKey);
        }
        if value.contains('\n') {
            return Err(KvError::BadValue);
        }
        text.push_str(key);
        text.push(':');
        text.push_str(value);
        text.push('\n');
    }
    Ok(text)
}

/// Reads Key-Value Form: every line `key:value` (split at the first colon; the value may hold
/// more) and ended by a newline; empty text is no pairs.
pub fn decode(text: &str) -> Result<Vec<(String, String)>, KvError> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let body = text.strip_suffix('\n').ok_or(KvError::Unterminated)?;
    body.split('\n')
        .map(|line| {
            let (key, value) = line.split_once(':').ok_or(KvError::NoColon)?;
            if key.is_empty() {
                return Err(KvError::BadKey);
            }
            Ok((key.to_owned(), value.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn pairs_encode_as_lines_in_order_and_decode_back() {
        let list = pairs(&[("mode", "error"), ("error", "This is an example message")]);
        let text = encode(&list).unwrap();
        assert_eq!(text, "mode:error\nerror:This is an example message\n");
        assert_eq!(decode(&text).unwrap(), list);
    }

    #[test]
    fn a_value_may_hold_colons_and_be_empty() {
        let list = pairs(&[("return_to", "https://rp.example/a?b=c:d"), ("x", "")]);
        assert_eq!(decode(&encode(&list).unwrap()).unwrap(), list);
    }

    #[test]
    fn newlines_and_colons_in_keys_and_newlines_in_values_are_refused() {
        assert_eq!(encode(&pairs(&[("a:b", "v")])), Err(KvError::BadKey));
        assert_eq!(encode(&pairs(&[("a\nb", "v")])), Err(KvError::BadKey));
        assert_eq!(encode(&pairs(&[("", "v")])), Err(KvError::BadKey));
        assert_eq!(encode(&pairs(&[("a", "v\nw")])), Err(KvError::BadValue));
    }

    #[test]
    fn malformed_text_is_refused() {
        assert_eq!(decode("a:b"), Err(KvError::Unterminated));
        assert_eq!(decode("a:b\nnocolon\n"), Err(KvError::NoColon));
        assert_eq!(decode(":b\n"), Err(KvError::BadKey));
        assert_eq!(decode("a:b\n\n"), Err(KvError::NoColon));
        assert_eq!(decode(""), Ok(Vec::new()));
    }
}
