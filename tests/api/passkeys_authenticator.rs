//! A software authenticator for the passkey tests: it answers the server's WebAuthn options as
//! a browser and a platform authenticator would — `clientDataJSON` with the challenge and the
//! page's origin, authenticator data with the relying party's id hash, the flags (user present,
//! user verified, backup eligible, backed up) and a signature counter, a new ES256 key pair in
//! COSE form (CBOR) with attestation "none" at registration, and ECDSA-signed assertions.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const UP: u8 = 0x01;
const UV: u8 = 0x04;
const BE: u8 = 0x08;
const BS: u8 = 0x10;
const AT: u8 = 0x40;

/// One credential the authenticator holds.
pub struct Credential {
    /// The credential id.
    pub id: Vec<u8>,
    key: SigningKey,
    /// The user handle the relying party gave it.
    pub user_handle: Vec<u8>,
    /// The signature counter of its last use.
    pub counter: u32,
}

/// A platform authenticator behind a browser showing pages of `origin`.
pub struct Authenticator {
    /// The origin the "browser" reports in `clientDataJSON`.
    pub origin: String,
    /// Whether its user verification (PIN, biometric) is done.
    pub verifies_user: bool,
    /// Whether its keys are synced (backup eligible and backed up): `swk`; else `hwk`.
    pub synced: bool,
    /// The credentials it made, oldest first.
    pub credentials: Vec<Credential>,
}

/// base64url without padding.
pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn unb64(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD
        .decode(text)
        .expect("base64url from the server")
}

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).unwrap();
    bytes
}

/// A CBOR head: major type and argument.
fn head(major: u8, n: u64) -> Vec<u8> {
    let m = major << 5;
    match n {
        0..=23 => vec![m | n as u8],
        24..=0xff => vec![m | 24, n as u8],
        0x100..=0xffff => [vec![m | 25], (n as u16).to_be_bytes().to_vec()].concat(),
        _ => [vec![m | 26], (n as u32).to_be_bytes().to_vec()].concat(),
    }
}

fn cbor_int(n: i64) -> Vec<u8> {
    if n >= 0 {
        head(0, n as u64)
    } else {
        head(1, (-1 - n) as u64)
    }
}

fn cbor_bytes(b: &[u8]) -> Vec<u8> {
    [head(2, b.len() as u64), b.to_vec()].concat()
}

fn cbor_text(s: &str) -> Vec<u8> {
    [head(3, s.len() as u64), s.as_bytes().to_vec()].concat()
}

impl Authenticator {
    /// A device-bound authenticator that verifies its user, in a browser at `origin`.
    pub fn new(origin: &str) -> Self {
        Self {
            origin: origin.to_owned(),
            verifies_user: true,
            synced: false,
            credentials: Vec::new(),
        }
    }

    fn flags(&self) -> u8 {
        let mut flags = UP;
        if self.verifies_user {
            flags |= UV;
        }
        if self.synced {
            flags |= BE | BS;
        }
        flags
    }

    fn client_data(&self, kind: &str, challenge: &str) -> Vec<u8> {
        json!({
            "type": kind,
            "challenge": challenge,
            "origin": self.origin,
            "crossOrigin": false,
        })
        .to_string()
        .into_bytes()
    }

    /// Answers `navigator.credentials.create()` options (as the server sent them) with a new
    /// credential, as the page's script posts it.
    pub fn create(&mut self, options: &Value) -> Value {
        let options = &options["publicKey"];
        let rp_id = options["rp"]["id"].as_str().expect("an rp id");
        let key = loop {
            if let Ok(key) = SigningKey::from_slice(&random::<32>()) {
                break key;
            }
        };
        let point = key.verifying_key().to_sec1_point(false);
        let xy = &point.as_bytes()[1..];
        let cose = [
            head(5, 5),
            cbor_int(1),
            cbor_int(2),
            cbor_int(3),
            cbor_int(-7),
            cbor_int(-1),
            cbor_int(1),
            cbor_int(-2),
            cbor_bytes(&xy[..32]),
            cbor_int(-3),
            cbor_bytes(&xy[32..]),
        ]
        .concat();
        let id = random::<16>().to_vec();
        let auth_data = [
            Sha256::digest(rp_id.as_bytes()).to_vec(),
            vec![self.flags() | AT],
            0u32.to_be_bytes().to_vec(),
            vec![0u8; 16],
            (id.len() as u16).to_be_bytes().to_vec(),
            id.clone(),
            cose,
        ]
        .concat();
        let attestation = [
            head(5, 3),
            cbor_text("fmt"),
            cbor_text("none"),
            cbor_text("attStmt"),
            head(5, 0),
            cbor_text("authData"),
            cbor_bytes(&auth_data),
        ]
        .concat();
        let challenge = options["challenge"].as_str().expect("a challenge");
        let client_data = self.client_data("webauthn.create", challenge);
        let user_handle = unb64(options["user"]["id"].as_str().expect("a user id"));
        self.credentials.push(Credential {
            id: id.clone(),
            key,
            user_handle,
            counter: 0,
        });
        json!({
            "id": b64(&id),
            "rawId": b64(&id),
            "type": "public-key",
            "response": {
                "attestationObject": b64(&attestation),
                "clientDataJSON": b64(&client_data),
                "transports": ["internal"],
            },
            "extensions": {"credProps": {"rk": true}},
        })
    }

    /// Answers `navigator.credentials.get()` options with the first credential they allow (any,
    /// when they name none: a discoverable sign-in), its counter one higher.
    pub fn get(&mut self, options: &Value) -> Value {
        let allowed: Vec<Vec<u8>> = options["publicKey"]["allowCredentials"]
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|c| unb64(c["id"].as_str().unwrap()))
                    .collect()
            })
            .unwrap_or_default();
        let index = self
            .credentials
            .iter()
            .position(|c| allowed.is_empty() || allowed.contains(&c.id))
            .expect("a credential the options allow");
        self.get_with(index, options)
    }

    /// Answers `get()` options with credential `index`, whatever they allow (as a tampering
    /// client could).
    pub fn get_with(&mut self, index: usize, options: &Value) -> Value {
        let options = &options["publicKey"];
        let rp_id = options["rpId"].as_str().expect("an rp id");
        let flags = self.flags();
        let challenge = options["challenge"].as_str().expect("a challenge");
        let client_data = self.client_data("webauthn.get", challenge);
        let credential = &mut self.credentials[index];
        credential.counter += 1;
        let auth_data = [
            Sha256::digest(rp_id.as_bytes()).to_vec(),
            vec![flags],
            credential.counter.to_be_bytes().to_vec(),
        ]
        .concat();
        let signed = [auth_data.clone(), Sha256::digest(&client_data).to_vec()].concat();
        let signature: Signature = credential.key.sign(&signed);
        json!({
            "id": b64(&credential.id),
            "rawId": b64(&credential.id),
            "type": "public-key",
            "response": {
                "authenticatorData": b64(&auth_data),
                "clientDataJSON": b64(&client_data),
                "signature": b64(signature.to_der().as_bytes()),
                "userHandle": b64(&credential.user_handle),
            },
            "extensions": {},
        })
    }
}
