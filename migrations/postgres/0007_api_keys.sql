-- API keys: only the SHA-256 of a key is kept, with a short prefix people recognise it by.
-- Keys made by auth delegation carry the app they were given to.
CREATE TABLE api_keys (
    id             TEXT PRIMARY KEY,
    person_id      TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    description    TEXT NOT NULL,
    key_hash       TEXT NOT NULL UNIQUE,
    prefix         TEXT NOT NULL,
    app_id         TEXT,
    created_at     BIGINT NOT NULL,
    last_used_at   BIGINT,
    last_used_from TEXT,
    revoked_at     BIGINT
);
CREATE INDEX api_keys_person ON api_keys (person_id, created_at);
CREATE INDEX api_keys_app ON api_keys (person_id, app_id);

-- A pending auth-delegation confirmation: single-use, bound to the person who saw the page,
-- the callback and the description shown on it.
CREATE TABLE delegation_requests (
    token_hash  TEXT PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    callback    TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    consumed_at BIGINT
);
CREATE INDEX delegation_requests_expiry ON delegation_requests (expires_at);
