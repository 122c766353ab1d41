-- OpenID Connect: signing keys shared by every node, relying-party clients, consents, and
-- the grants issued to clients (all stored as hashes, all expiring).

-- Signing keys. The newest unretired key of an algorithm signs; a retired key's public half
-- stays published until `publish_until`, when every token it signed has expired.
CREATE TABLE signing_keys (
    kid           TEXT PRIMARY KEY,
    alg           TEXT NOT NULL CHECK (alg IN ('RS256', 'EdDSA')),
    private_pem   TEXT NOT NULL,
    public_jwk    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    retired_at    BIGINT,
    publish_until BIGINT
);
CREATE INDEX signing_keys_alg ON signing_keys (alg, created_at);

-- Relying parties. A public client has no secret and must use PKCE.
CREATE TABLE oauth_clients (
    client_id                 TEXT PRIMARY KEY,
    secret_hash               TEXT,
    name                      TEXT NOT NULL,
    -- JSON arrays of exact URIs.
    redirect_uris             TEXT NOT NULL,
    post_logout_redirect_uris TEXT NOT NULL DEFAULT '[]',
    -- Space-separated scopes the client may ask for.
    allowed_scopes            TEXT NOT NULL,
    trusted                   INTEGER NOT NULL DEFAULT 0,
    id_token_alg              TEXT NOT NULL CHECK (id_token_alg IN ('RS256', 'EdDSA')),
    created_at                BIGINT NOT NULL,
    secret_rotated_at         BIGINT
);

-- A person's consent to share scopes with a client.
CREATE TABLE consents (
    person_id  TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    client_id  TEXT NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
    scopes     TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (person_id, client_id)
);
