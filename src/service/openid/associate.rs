//! The `associate` mode (OpenID 2.0 §8): a shared association, its MAC key sent masked with a
//! Diffie-Hellman secret, or in clear only when the request came over https.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::domain::openid::association::{AssocType, SessionType};
use crate::domain::openid::dh::{Group, xor_mac_key};
use crate::domain::openid::kv::NS;
use crate::service::Context;

use super::assoc_store::create_association;
use super::error::OpenIdError;

/// The value of `openid.<name>` among the request's pairs.
pub fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k.strip_prefix("openid.") == Some(name))
        .map(|(_, v)| v.as_str())
}

/// Answers an `associate` request (`pairs` with full `openid.` keys); `https` says whether it
/// arrived over https (directly or through a trusted proxy).
pub async fn associate(
    ctx: &Context,
    pairs: &[(String, String)],
    https: bool,
) -> Result<Vec<(String, String)>, OpenIdError> {
    let assoc_type = field(pairs, "assoc_type")
        .and_then(AssocType::parse)
        .ok_or(OpenIdError::UnsupportedType)?;
    let session = field(pairs, "session_type")
        .and_then(SessionType::parse)
        .ok_or(OpenIdError::UnsupportedType)?;
    if !session.pairs_with(assoc_type) || (session == SessionType::NoEncryption && !https) {
        return Err(OpenIdError::UnsupportedType);
    }
    // Check the relying party's numbers before storing anything.
    let exchange = match session.dh_hash() {
        None => None,
        Some(hash) => {
            let group = Group::from_request(field(pairs, "dh_modulus"), field(pairs, "dh_gen"))
                .map_err(|_| OpenIdError::Malformed("unacceptable Diffie-Hellman group"))?;
            let theirs = field(pairs, "dh_consumer_public")
                .ok_or(OpenIdError::Malformed("missing dh_consumer_public"))
                .and_then(|text| {
                    group
                        .consumer_public(text)
                        .map_err(|_| OpenIdError::Malformed("unacceptable dh_consumer_public"))
                })?;
            let mut bytes = vec![0u8; group.modulus_bytes() + 8];
            getrandom::fill(&mut bytes).map_err(OpenIdError::Random)?;
            let ours = group.key_pair(&bytes);
            Some((hash, group.shared_secret(&ours, &theirs), ours))
        }
    };
    let assoc = create_association(ctx, assoc_type, false).await?;
    let pair = |k: &str, v: String| (k.to_owned(), v);
    let mut answer = vec![
        pair("ns", NS.to_owned()),
        pair("assoc_handle", assoc.handle.clone()),
        pair("session_type", session.as_str().to_owned()),
        pair("assoc_type", assoc_type.as_str().to_owned()),
        pair(
            "expires_in",
            (assoc.expires_at - ctx.clock.now()).to_string(),
        ),
    ];
    match exchange {
        None => answer.push(pair("mac_key", STANDARD.encode(assoc.key.expose()))),
        Some((hash, shared, ours)) => {
            answer.push(pair("dh_server_public", ours.public_base64()));
            let masked = xor_mac_key(hash, &shared, assoc.key.expose());
            answer.push(pair("enc_mac_key", STANDARD.encode(masked)));
        }
    }
    Ok(answer)
}
