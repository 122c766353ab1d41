-- Resource servers: a confidential client registered with `client add --introspect-any` may
-- introspect tokens issued to any client; every other client only its own.
ALTER TABLE oauth_clients ADD COLUMN introspect_any INTEGER NOT NULL DEFAULT 0;
