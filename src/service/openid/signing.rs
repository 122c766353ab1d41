//! Signing a positive assertion (OpenID 2.0 §10.1): a fresh response nonce, the relying
//! party's shared association when it names a live one, otherwise a new private one (and the
//! relying party's handle sent back as `invalidate_handle`), and every `openid.*` field signed.

use crate::domain::openid::association::{AssocType, PREFIX, sign, signed_text};
use crate::domain::openid::kv::NS;
use crate::domain::openid::response_nonce::format_nonce;
use crate::service::Context;

use super::assoc_store::{Association, create_association, find_association, random};
use super::error::OpenIdError;

/// Signs `fields` (full keys: `openid.mode`=`id_res`, `openid.op_endpoint`,
/// `openid.claimed_id`, `openid.identity`, `openid.return_to`, extension fields…) and returns
/// them with `openid.ns`, `openid.response_nonce`, `openid.assoc_handle`,
/// `openid.invalidate_handle` when due, `openid.signed` and `openid.sig` added. Fields the
/// provider sets itself are replaced if the caller passed them.
pub async fn sign_assertion(
    ctx: &Context,
    rp_assoc_handle: Option<&str>,
    fields: Vec<(String, String)>,
) -> Result<Vec<(String, String)>, OpenIdError> {
    let shared = match rp_assoc_handle {
        Some(handle) => find_association(ctx, handle)
            .await?
            .filter(|assoc| !assoc.private),
        None => None,
    };
    let (assoc, invalidate): (Association, Option<&str>) = match shared {
        Some(assoc) => (assoc, None),
        None => (
            create_association(ctx, AssocType::HmacSha256, true).await?,
            rp_assoc_handle,
        ),
    };
    const OURS: [&str; 6] = [
        "ns",
        "response_nonce",
        "assoc_handle",
        "invalidate_handle",
        "signed",
        "sig",
    ];
    let mut message: Vec<(String, String)> = fields
        .into_iter()
        .filter(|(k, _)| {
            !k.strip_prefix(PREFIX)
                .is_some_and(|name| OURS.contains(&name))
        })
        .collect();
    let put = |m: &mut Vec<(String, String)>, name: &str, value: String| {
        m.push((format!("{PREFIX}{name}"), value));
    };
    put(&mut message, "ns", NS.to_owned());
    put(
        &mut message,
        "response_nonce",
        format_nonce(ctx.clock.now(), &random::<12>()?),
    );
    put(&mut message, "assoc_handle", assoc.handle.clone());
    if let Some(handle) = invalidate {
        put(&mut message, "invalidate_handle", handle.to_owned());
    }
    let mut names: Vec<String> = message
        .iter()
        .filter_map(|(k, _)| k.strip_prefix(PREFIX).map(str::to_owned))
        .collect();
    names.push("signed".to_owned());
    names.sort();
    names.dedup();
    put(&mut message, "signed", names.join(","));
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let text = signed_text(&message, &name_refs)
        .map_err(|_| OpenIdError::Malformed("an assertion field cannot be signed"))?;
    put(
        &mut message,
        "sig",
        sign(assoc.assoc_type, &assoc.key, &text),
    );
    Ok(message)
}
