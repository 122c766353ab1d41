-- Sessions signed in before this time have ended: set when a password is changed or reset, so
-- that no session from before the change survives, wherever sessions are kept.
ALTER TABLE people ADD COLUMN sessions_not_before BIGINT NOT NULL DEFAULT 0;
