//! The `check_authentication` mode (OpenID 2.0 §11.4.2): a relying party without an
//! association asks whether an assertion is ours. Only private associations verify; each
//! response nonce is accepted once; refusals are logged.

use sha2::{Digest, Sha256};

use crate::db::openid_nonces::record_nonce;
use crate::domain::openid::association::{signed_list, signed_text, verify};
use crate::domain::openid::kv::NS;
use crate::domain::openid::response_nonce::{MAX_AGE, check_fresh};
use crate::service::Context;

use super::assoc_store::find_association;
use super::associate::field;
use super::error::OpenIdError;

/// Fields an assertion's signature must cover (§10.1), when present.
const MUST_SIGN: [&str; 6] = [
    "op_endpoint",
    "return_to",
    "response_nonce",
    "assoc_handle",
    "claimed_id",
    "identity",
];

/// Answers a `check_authentication` request: `ns`, `is_valid`, and `invalidate_handle` when
/// the relying party asked about a handle that is no longer valid.
pub async fn check_authentication(
    ctx: &Context,
    pairs: &[(String, String)],
) -> Result<Vec<(String, String)>, OpenIdError> {
    let valid = match verdict(ctx, pairs).await? {
        Ok(()) => true,
        Err(why) => {
            tracing::warn!(reason = why, "check_authentication refused an assertion");
            false
        }
    };
    let mut answer = vec![
        ("ns".to_owned(), NS.to_owned()),
        ("is_valid".to_owned(), valid.to_string()),
    ];
    if let Some(handle) = field(pairs, "invalidate_handle") {
        let live = find_association(ctx, handle)
            .await?
            .is_some_and(|assoc| !assoc.private);
        if !live {
            answer.push(("invalidate_handle".to_owned(), handle.to_owned()));
        }
    }
    Ok(answer)
}

/// Whether the assertion verifies, or why not.
async fn verdict(
    ctx: &Context,
    pairs: &[(String, String)],
) -> Result<Result<(), &'static str>, OpenIdError> {
    let (Some(handle), Some(signed), Some(sig), Some(nonce)) = (
        field(pairs, "assoc_handle"),
        field(pairs, "signed"),
        field(pairs, "sig"),
        field(pairs, "response_nonce"),
    ) else {
        return Ok(Err("a required field is missing"));
    };
    let names = signed_list(signed);
    let uncovered = MUST_SIGN
        .iter()
        .any(|name| field(pairs, name).is_some() && !names.contains(name));
    if uncovered {
        return Ok(Err("a field that must be signed is not"));
    }
    let Some(assoc) = find_association(ctx, handle).await? else {
        return Ok(Err("unknown or expired association"));
    };
    if !assoc.private {
        return Ok(Err(
            "a shared association is checked by the relying party itself",
        ));
    }
    // The relying party sends the assertion back with only the mode changed.
    let as_asserted: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| match k.as_str() {
            "openid.mode" => (k.clone(), "id_res".to_owned()),
            _ => (k.clone(), v.clone()),
        })
        .collect();
    let Ok(text) = signed_text(&as_asserted, &names) else {
        return Ok(Err("a signed field is missing"));
    };
    if !verify(assoc.assoc_type, &assoc.key, &text, sig) {
        return Ok(Err("the signature does not match"));
    }
    let Ok(time) = check_fresh(nonce, ctx.clock.now()) else {
        return Ok(Err("the response nonce is malformed or stale"));
    };
    let hash = hex(&Sha256::digest(format!("{handle}\n{nonce}").as_bytes()));
    if !record_nonce(ctx.db.pool(), &hash, time + MAX_AGE).await? {
        return Ok(Err("the response nonce was used before"));
    }
    Ok(Ok(()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
