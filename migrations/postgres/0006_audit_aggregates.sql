-- Floods are recorded as one event per address and minute with a counter: an event written
-- with an aggregate key counts its repeats instead of appending a row for each.
ALTER TABLE audit_events ADD COLUMN occurrences BIGINT NOT NULL DEFAULT 1;
ALTER TABLE audit_events ADD COLUMN aggregate_key TEXT;
CREATE UNIQUE INDEX audit_events_aggregate ON audit_events (aggregate_key);
