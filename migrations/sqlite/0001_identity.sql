-- The identity model: people and teams, their addresses, team memberships, login tokens,
-- the audit trail and server-side sessions. Times are Unix seconds (BIGINT) bound from the
-- application's clock, so that tests can fix time and both backends store the same values.

-- People and teams share one table: a team is a profile with kind = 'team'.
CREATE TABLE people (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('person', 'team')),
    -- A team's unique handle; NULL for individuals.
    name          TEXT UNIQUE,
    display_name  TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('placeholder', 'active', 'deactivated', 'suspended')),
    -- argon2id PHC string; only an active or deactivated person has one.
    password_hash TEXT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    CHECK (kind = 'person' OR name IS NOT NULL)
);

-- Addresses of people and contact addresses of teams. The normalised key is unique across
-- both, which is what lets the login form recognise (and refuse) a team's address.
CREATE TABLE email_addresses (
    id             TEXT PRIMARY KEY,
    address        TEXT NOT NULL,
    normalized_key TEXT NOT NULL UNIQUE,
    person_id      TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    status         TEXT NOT NULL CHECK (status IN ('new', 'validated', 'preferred')),
    created_at     BIGINT NOT NULL
);
CREATE INDEX email_addresses_person ON email_addresses (person_id);
-- At most one preferred address per person.
CREATE UNIQUE INDEX email_addresses_one_preferred ON email_addresses (person_id) WHERE status = 'preferred';

CREATE TABLE team_memberships (
    team_id    TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    person_id  TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, person_id)
);
CREATE INDEX team_memberships_person ON team_memberships (person_id);

-- Single-use tokens sent by email or handed to machines. Only the SHA-256 of a token is kept.
CREATE TABLE login_tokens (
    token_hash   TEXT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('new_account', 'password_recovery', 'validate_email', 'bug_tracker', 'auth_delegation')),
    -- The normalised address the token was sent to, if any.
    email_key    TEXT,
    requester_id TEXT REFERENCES people (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    consumed_at  BIGINT
);
CREATE INDEX login_tokens_email ON login_tokens (email_key, kind);
CREATE INDEX login_tokens_expiry ON login_tokens (expires_at);

-- Append-only. Never holds a secret. person_id has no foreign key on purpose: the trail
-- outlives what it talks about.
CREATE TABLE audit_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at  BIGINT NOT NULL,
    code         TEXT NOT NULL,
    subsystem    TEXT NOT NULL,
    person_id    TEXT,
    remote_addr  TEXT,
    request_path TEXT,
    detail       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_time ON audit_events (occurred_at);
CREATE INDEX audit_events_code ON audit_events (code, occurred_at);

-- Server-side session state, keyed by the SHA-256 of the cookie's random key.
CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    person_id  TEXT REFERENCES people (id) ON DELETE CASCADE,
    state      TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_person ON sessions (person_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
