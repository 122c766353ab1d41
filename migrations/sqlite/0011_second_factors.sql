-- Second factors. A passkey is a WebAuthn credential: its id (base64url) and the relying-party
-- library's stored form (public key, counter, backup flags) as JSON.
CREATE TABLE passkeys (
    id            TEXT PRIMARY KEY,
    person_id     TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    credential_id TEXT NOT NULL UNIQUE,
    credential    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT
);
CREATE INDEX passkeys_person ON passkeys (person_id, created_at);

-- An authenticator app (TOTP): the secret sealed with the site's factor key (ChaCha20-Poly1305),
-- and the last step whose code was accepted, so a code is accepted once.
CREATE TABLE authenticator_apps (
    person_id     TEXT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    sealed_secret TEXT NOT NULL,
    last_step     BIGINT,
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT
);

-- Recovery codes: only the SHA-256 of each code is kept; a used code keeps its row.
CREATE TABLE recovery_codes (
    code_hash  TEXT PRIMARY KEY,
    person_id  TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX recovery_codes_person ON recovery_codes (person_id);

-- How the person proved who they were (RFC 8176 values, space-separated) and the resulting
-- authentication context class, carried from the session into codes and token families.
ALTER TABLE authorization_codes ADD COLUMN amr TEXT NOT NULL DEFAULT 'pwd';
ALTER TABLE authorization_codes ADD COLUMN acr TEXT NOT NULL DEFAULT '';
ALTER TABLE oauth_tokens ADD COLUMN amr TEXT NOT NULL DEFAULT 'pwd';
ALTER TABLE oauth_tokens ADD COLUMN acr TEXT NOT NULL DEFAULT '';

-- A client registered `--require-second-factor` only gets codes for two-factor sign-ins.
ALTER TABLE oauth_clients ADD COLUMN require_second_factor INTEGER NOT NULL DEFAULT 0;
