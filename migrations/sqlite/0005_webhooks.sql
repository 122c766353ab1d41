-- The site's shared secret for web hooks: one row, only its hash. `latchkey token create`
-- replaces it.
CREATE TABLE webhook_tokens (
    id         TEXT PRIMARY KEY CHECK (id = 'site'),
    token_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
