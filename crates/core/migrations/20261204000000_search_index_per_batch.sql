-- New messages are indexed for search by one INSERT ... SELECT per ingest batch (see
-- store/apply.rs) instead of a trigger per row: measured twice as fast on a growing cache.
-- Deletes and text updates keep their triggers (they are rare and need the old values).
DROP TRIGGER messages_fts_insert;

