//! Use cases: each file orchestrates domain decisions, storage and the clock for one flow,
//! inside transactions. Both the command line and the web layer call these.

pub mod audit;
pub mod passwords;
pub mod people;
pub mod teams;

use crate::clock::SharedClock;
use crate::db::Db;
use crate::domain::HashingParams;

/// What every use case needs: storage, time and the password cost.
#[derive(Debug, Clone)]
pub struct Context {
    /// The identity store.
    pub db: Db,
    /// The clock every expiry decision reads.
    pub clock: SharedClock,
    /// argon2id parameters for new hashes.
    pub hashing: HashingParams,
}

/// Where a change came from, for the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// A remote address, or `cli`.
    pub remote_addr: String,
    /// The request path, for web requests.
    pub request_path: Option<String>,
}

impl Origin {
    /// A change made with the command line.
    pub fn cli() -> Self {
        Self {
            remote_addr: "cli".to_owned(),
            request_path: None,
        }
    }
}
