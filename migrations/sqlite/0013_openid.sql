-- OpenID 2.0 provider state. Every row expires or goes with its person.

-- Associations: MAC keys shared with a relying party (`private` = 0) or kept by the provider
-- for relying parties without one (`private` = 1, checked only by check_authentication). The
-- key is sealed under the site key with the handle as associated data. Rows go once expired.
CREATE TABLE openid_associations (
    handle        TEXT PRIMARY KEY,
    assoc_type    TEXT NOT NULL,
    sealed_secret TEXT NOT NULL,
    private       INTEGER NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX openid_associations_expiry ON openid_associations (expires_at);

-- Response nonces already accepted by check_authentication (only their hash), so a replayed
-- assertion is refused; kept until the assertion could no longer be accepted anyway.
CREATE TABLE openid_nonces (
    nonce_hash TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
CREATE INDEX openid_nonces_expiry ON openid_nonces (expires_at);

-- Each person's claimed identifier `/+id/{opaque}`: random, stable, and revealing nothing.
CREATE TABLE openid_identities (
    person_id TEXT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    opaque    TEXT NOT NULL UNIQUE
);

-- A person's remembered "Sign in" to a realm, with what they chose to share (space-separated
-- field names); revocable from the account's applications page.
CREATE TABLE openid_decisions (
    person_id    TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    realm        TEXT NOT NULL,
    shared       TEXT NOT NULL,
    decided_at   BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL,
    PRIMARY KEY (person_id, realm)
);

-- Realms an administrator trusts: their decision page is skipped.
CREATE TABLE openid_trusted_realms (
    realm      TEXT PRIMARY KEY,
    trusted_by TEXT NOT NULL,
    trusted_at BIGINT NOT NULL
);

-- checkid requests waiting for a person's decision: the page carries a random handle (only its
-- hash is kept); answering uses it up in one conditional update. Rows go a day after expiry.
CREATE TABLE openid_requests (
    handle_hash TEXT PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    -- The request's openid.* parameters, form-encoded, as they were checked.
    params      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    answered_at BIGINT
);
CREATE INDEX openid_requests_expiry ON openid_requests (expires_at);
