-- Authorization requests waiting for a person's consent. The consent page names one by a
-- random handle (only its hash is kept); answering uses it up in one conditional update, so a
-- replayed answer issues nothing. Rows go a day after they expire.
CREATE TABLE authorization_requests (
    handle_hash TEXT PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    -- The request's parameters, form-encoded, as they were checked.
    params      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    answered_at BIGINT
);
CREATE INDEX authorization_requests_expiry ON authorization_requests (expires_at);
