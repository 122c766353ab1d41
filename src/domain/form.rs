//! Form bodies (`application/x-www-form-urlencoded`) decoded strictly: every name and value
//! must be UTF-8 once its percent escapes are undone, instead of having bad bytes replaced
//! by U+FFFD as the usual decoders do.

/// Why a form body cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    /// A name or value is not UTF-8 (`%FF`, an overlong `%C0%AF`, a surrogate `%ED%A0%80`).
    #[error("a form field is not valid UTF-8")]
    NotUtf8,
}

/// The name-value pairs of a form body, in order, each decoded exactly once (`+` is a space,
/// `%XX` a byte; a `%` not followed by two hex digits stays as it is, as browsers send it).
pub fn decode_form(body: &[u8]) -> Result<Vec<(String, String)>, FormError> {
    body.split(|b| *b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let mut parts = pair.splitn(2, |b| *b == b'=');
            let name = parts.next().unwrap_or_default();
            let value = parts.next().unwrap_or_default();
            Ok((decode_part(name)?, decode_part(value)?))
        })
        .collect()
}

fn decode_part(part: &[u8]) -> Result<String, FormError> {
    let spaced: Vec<u8> = part
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    let bytes: Vec<u8> = percent_encoding::percent_decode(&spaced).collect();
    String::from_utf8(bytes).map_err(|_| FormError::NotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(body: &str) -> Vec<(String, String)> {
        decode_form(body.as_bytes()).unwrap()
    }

    #[test]
    fn a_form_decodes_like_the_usual_decoder_when_it_is_utf8() {
        let body = "email=a%40b.c&name=J%C3%BCrgen+M&empty=&bare&&x=%2525&pct=50%";
        let usual: Vec<(String, String)> = url::form_urlencoded::parse(body.as_bytes())
            .into_owned()
            .collect();
        assert_eq!(pairs(body), usual);
        assert_eq!(pairs(body)[4].1, "%25", "decoded exactly once");
    }

    #[test]
    fn bytes_that_are_not_utf8_are_refused_not_replaced() {
        for bad in [
            "email=%FF%FE",
            "email=%C0%AF",
            "email=%ED%A0%80",
            "%FF=x",
            "a=ok&b=caf%E9",
        ] {
            assert_eq!(
                decode_form(bad.as_bytes()),
                Err(FormError::NotUtf8),
                "{bad}"
            );
        }
        assert_eq!(
            decode_form(b"email=\xff"),
            Err(FormError::NotUtf8),
            "raw bytes too"
        );
    }

    #[test]
    fn an_encoded_replacement_character_is_data_not_an_error() {
        assert_eq!(pairs("x=%EF%BF%BD"), vec![("x".into(), "\u{fffd}".into())]);
    }
}
