-- What the OpenID Connect provider hands out: authorization codes, and access and refresh
-- tokens. Only hashes are stored; everything expires.

CREATE TABLE authorization_codes (
    code_hash      TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
    person_id      TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    redirect_uri   TEXT NOT NULL,
    scopes         TEXT NOT NULL,
    nonce          TEXT,
    -- PKCE S256 challenge, if the client sent one.
    code_challenge TEXT,
    auth_time      BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    consumed_at    BIGINT
);
CREATE INDEX authorization_codes_expiry ON authorization_codes (expires_at);

-- Access and refresh tokens. A refresh token and everything rotated from it share a family;
-- tokens made from one authorization code remember it, so that replaying the code revokes them.
CREATE TABLE oauth_tokens (
    token_hash      TEXT PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
    client_id       TEXT NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
    -- NULL for tokens a client obtained for itself (client_credentials).
    person_id       TEXT REFERENCES people (id) ON DELETE CASCADE,
    scopes          TEXT NOT NULL,
    family_id       TEXT NOT NULL,
    code_hash       TEXT,
    auth_time       BIGINT,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    -- Refresh tokens: the idle limit, and when the token was rotated away.
    idle_expires_at BIGINT,
    used_at         BIGINT,
    revoked_at      BIGINT
);
CREATE INDEX oauth_tokens_family ON oauth_tokens (family_id);
CREATE INDEX oauth_tokens_code ON oauth_tokens (code_hash);
CREATE INDEX oauth_tokens_expiry ON oauth_tokens (expires_at);
