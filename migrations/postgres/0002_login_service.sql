-- The login service: secrets shared by every node, the email outbox, and failure counters for
-- throttling. All shared through the database so that several nodes agree.

-- Random secrets generated once, on first start (e.g. the session-cookie key).
CREATE TABLE site_secrets (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Every outgoing email, written in the same transaction as the token it carries, then
-- delivered by a background worker with retries. The Message-ID is fixed at queueing time so
-- that a retry after an unacknowledged delivery is recognisable as the same message.
CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    message_id      TEXT NOT NULL UNIQUE,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    -- A worker that claims a message holds it until this time; a crashed worker's claim expires.
    claimed_until   BIGINT,
    sent_at         BIGINT,
    failed_at       BIGINT,
    last_error      TEXT
);
CREATE INDEX outbox_due ON outbox (sent_at, failed_at, next_attempt_at);

-- Failed attempts per key ("account:<address key>" or "ip:<address>") for the growing lockout.
CREATE TABLE throttle (
    key             TEXT PRIMARY KEY,
    failures        BIGINT NOT NULL,
    last_failure_at BIGINT NOT NULL,
    locked_until    BIGINT NOT NULL
);

-- The address a token was sent to, as typed (email_key is its normalised form).
ALTER TABLE login_tokens ADD COLUMN email TEXT;
