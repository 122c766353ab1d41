//! A typed view of the session: who is signed in, since when, and the CSRF token.

use std::future::{Ready, ready};

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use subtle::ConstantTimeEq;

use crate::domain::second_factor::AuthMethods;
use crate::domain::{PersonId, PlainToken, TokenKind};
use crate::service::second_step::PendingSignIn;

pub use crate::domain::session_info::PERSON_KEY;
use crate::domain::session_info::{ADDRESS_KEY, DEVICE_KEY, LABEL_KEY, LOGIN_AT_KEY, device_of};
const AUTHENTICATED_AT_KEY: &str = "authenticated_at";
const CSRF_KEY: &str = "csrf";
const PENDING_NEXT_KEY: &str = "pending_next";
const AMR_KEY: &str = "amr";
const SECOND_STEP_KEY: &str = "second_step";
/// Ceremony state (a WebAuthn challenge, an authenticator secret being enrolled) lives under
/// keys with this prefix, in the session store, so any node can finish what another began.
const CEREMONY_PREFIX: &str = "ceremony_";

/// Where a sign-in came from, as the list of a person's sessions shows it.
#[derive(Debug, Clone)]
pub struct SignInFrom {
    /// The browser's `User-Agent`, shortened.
    pub device: String,
    /// The client's address (after trusted proxies).
    pub address: String,
}

impl SignInFrom {
    /// The browser and address of a request.
    pub fn of(req: &HttpRequest) -> Self {
        let agent = req
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        Self {
            device: device_of(agent),
            address: super::forms::origin(req).remote_addr,
        }
    }
}

/// Why the session could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// A value could not be stored in the session.
    #[error("a session value could not be stored")]
    Insert(#[from] actix_session::SessionInsertError),
    /// No random bytes for a new CSRF token.
    #[error("no randomness for a CSRF token")]
    Random(#[from] getrandom::Error),
}

/// The session, with named accessors instead of string keys.
pub struct TypedSession(Session);

impl TypedSession {
    /// The session of a request.
    pub fn of(req: &HttpRequest) -> Self {
        Self(req.get_session())
    }

    /// The signed-in person, if any.
    pub fn person_id(&self) -> Option<PersonId> {
        self.0
            .get::<String>(PERSON_KEY)
            .ok()
            .flatten()
            .map(PersonId::from_stored)
    }

    /// When the person signed in (Unix seconds).
    pub fn login_at(&self) -> Option<i64> {
        self.0.get::<i64>(LOGIN_AT_KEY).ok().flatten()
    }

    /// When the person last proved their password: at sign-in, or confirmed again since.
    pub fn authenticated_at(&self) -> Option<i64> {
        self.0
            .get::<i64>(AUTHENTICATED_AT_KEY)
            .ok()
            .flatten()
            .or_else(|| self.login_at())
    }

    /// Whether the password was entered within the last `minutes` minutes at `now`.
    pub fn authenticated_within(&self, now: i64, minutes: u64) -> bool {
        let window = i64::try_from(minutes.saturating_mul(60)).unwrap_or(i64::MAX);
        self.authenticated_at()
            .is_some_and(|at| now.saturating_sub(at) <= window)
    }

    /// Records that the person has just entered their password again (the sign-in time, which
    /// bounds the session's absolute lifetime, stays).
    pub fn confirm_authentication(&self, now: i64) -> Result<(), SessionError> {
        self.0
            .insert(AUTHENTICATED_AT_KEY, now)
            .map_err(SessionError::from)
    }

    /// The public label that names this session in the list of the person's sessions, made
    /// now for a session signed in before labels existed.
    pub fn label(&self) -> Result<String, SessionError> {
        if let Ok(Some(label)) = self.0.get::<String>(LABEL_KEY) {
            return Ok(label);
        }
        let label = uuid::Uuid::new_v4().simple().to_string();
        self.0.insert(LABEL_KEY, &label)?;
        Ok(label)
    }

    /// Signs a person in with their password alone (see `sign_in_with`).
    pub fn sign_in(
        &self,
        person: &PersonId,
        now: i64,
        from: &SignInFrom,
    ) -> Result<(), SessionError> {
        self.sign_in_with(person, now, from, &AuthMethods::password())
    }

    /// Signs a person in: a new session id (against fixation), their id, the time, how they
    /// proved who they are, a new label, the browser and address it came from, and a new CSRF
    /// token. Any second step or ceremony in progress is forgotten.
    pub fn sign_in_with(
        &self,
        person: &PersonId,
        now: i64,
        from: &SignInFrom,
        methods: &AuthMethods,
    ) -> Result<(), SessionError> {
        self.0.renew();
        self.0.remove(AUTHENTICATED_AT_KEY);
        self.0.remove(SECOND_STEP_KEY);
        self.forget_ceremonies();
        self.0.insert(AMR_KEY, methods.to_string())?;
        let label = uuid::Uuid::new_v4().simple().to_string();
        self.0
            .insert(PERSON_KEY, person.as_str())
            .and_then(|()| self.0.insert(LOGIN_AT_KEY, now))
            .and_then(|()| self.0.insert(LABEL_KEY, label))
            .and_then(|()| self.0.insert(DEVICE_KEY, &from.device))
            .and_then(|()| self.0.insert(ADDRESS_KEY, &from.address))?;
        self.0.remove(CSRF_KEY);
        self.csrf_token().map(drop)
    }

    /// How the signed-in person proved who they are (a password alone for sessions signed in
    /// before this was recorded).
    pub fn auth_methods(&self) -> AuthMethods {
        self.0
            .get::<String>(AMR_KEY)
            .ok()
            .flatten()
            .map_or_else(AuthMethods::password, |s| AuthMethods::parse(&s))
    }

    /// Records a completed step-up: the signed-in person proved more just now. The session id
    /// changes (its privileges did) and the re-authentication time is now.
    pub fn step_up(&self, methods: &AuthMethods, now: i64) -> Result<(), SessionError> {
        self.0.renew();
        self.0.remove(SECOND_STEP_KEY);
        self.0.insert(AMR_KEY, methods.to_string())?;
        self.confirm_authentication(now)
    }

    /// Starts a second step: the password was right, and `pending` waits for a second factor.
    /// Nobody is signed in meanwhile (a previous person's session ends here).
    pub fn begin_second_step(&self, pending: &PendingSignIn) -> Result<(), SessionError> {
        if self.person_id().is_some_and(|p| p != pending.person_id()) {
            self.0.purge();
        }
        self.0.renew();
        self.forget_ceremonies();
        self.0
            .insert(SECOND_STEP_KEY, pending)
            .map_err(SessionError::from)
    }

    /// The second step in progress, if any (its age is checked by the service).
    pub fn second_step(&self) -> Option<PendingSignIn> {
        self.0.get::<PendingSignIn>(SECOND_STEP_KEY).ok().flatten()
    }

    /// Ends a second step without signing in (cancelled, expired or locked).
    pub fn forget_second_step(&self) {
        self.0.remove(SECOND_STEP_KEY);
        self.forget_ceremonies();
    }

    /// Stores a ceremony's state under its name (`passkey_register`, `totp_enrol`, …).
    pub fn set_ceremony<T: serde::Serialize>(
        &self,
        name: &str,
        state: &T,
    ) -> Result<(), SessionError> {
        self.0
            .insert(format!("{CEREMONY_PREFIX}{name}"), state)
            .map_err(SessionError::from)
    }

    /// Takes a ceremony's state: each state is used once, whether the ceremony then succeeds
    /// or not.
    pub fn take_ceremony<T: serde::de::DeserializeOwned>(&self, name: &str) -> Option<T> {
        self.0
            .remove_as::<T>(&format!("{CEREMONY_PREFIX}{name}"))
            .and_then(Result::ok)
    }

    /// Reads a ceremony's state and leaves it in place (a page shown again).
    pub fn peek_ceremony<T: serde::de::DeserializeOwned>(&self, name: &str) -> Option<T> {
        self.0
            .get::<T>(&format!("{CEREMONY_PREFIX}{name}"))
            .ok()
            .flatten()
    }

    fn forget_ceremonies(&self) {
        let names: Vec<String> = self
            .0
            .entries()
            .keys()
            .filter(|k| k.starts_with(CEREMONY_PREFIX))
            .cloned()
            .collect();
        for name in names {
            self.0.remove(&name);
        }
    }

    /// Remembers where to go once an emailed link has been followed in this browser (a relying
    /// party's sign-in request that is waiting for a registration or recovery).
    pub fn set_pending_next(&self, next: &str) -> Result<(), SessionError> {
        self.0
            .insert(PENDING_NEXT_KEY, next)
            .map_err(SessionError::from)
    }

    /// The remembered destination, if any, left in place.
    pub fn pending_next(&self) -> Option<String> {
        self.0.get::<String>(PENDING_NEXT_KEY).ok().flatten()
    }

    /// Takes the remembered destination, if any.
    pub fn take_pending_next(&self) -> Option<String> {
        self.0
            .remove_as::<String>(PENDING_NEXT_KEY)
            .and_then(Result::ok)
    }

    /// Ends the session entirely.
    pub fn sign_out(&self) {
        self.0.purge();
    }

    /// The session's CSRF token, made on first use.
    pub fn csrf_token(&self) -> Result<String, SessionError> {
        if let Ok(Some(token)) = self.0.get::<String>(CSRF_KEY) {
            return Ok(token);
        }
        let token = PlainToken::generate(TokenKind::Session)?
            .expose()
            .trim_start_matches(TokenKind::Session.prefix())
            .to_owned();
        self.0.insert(CSRF_KEY, &token)?;
        Ok(token)
    }

    /// Whether a submitted CSRF token is this session's (compared in constant time).
    pub fn csrf_matches(&self, presented: &str) -> bool {
        match self.0.get::<String>(CSRF_KEY) {
            Ok(Some(token)) => bool::from(token.as_bytes().ct_eq(presented.as_bytes())),
            _ => false,
        }
    }
}

impl FromRequest for TypedSession {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self(req.get_session())))
    }
}
