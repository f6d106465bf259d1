-- Search (FTS5) over messages, order ids and listing ids, and the indexes the paged views need.

-- 1. messages gets an explicit INTEGER PRIMARY KEY (`seq`). The search index points at rows by
--    rowid, and only an INTEGER PRIMARY KEY is guaranteed to keep its value through VACUUM (an
--    implicit rowid "may" change). The layout is the same as before (a rowid b-tree plus a unique
--    index on `id`), so `ON CONFLICT(id)` upserts and ingest speed are unchanged.
CREATE TABLE messages_v2 (
    seq               INTEGER PRIMARY KEY,
    id                TEXT NOT NULL UNIQUE,
    conversation_id   TEXT NOT NULL,
    sender_id         TEXT NOT NULL,
    sender_name       TEXT NOT NULL,
    sender_avatar     TEXT NOT NULL DEFAULT '',
    content           TEXT NOT NULL,
    attachments       TEXT NOT NULL DEFAULT '[]',
    sent_at           INTEGER NOT NULL,
    status            TEXT NOT NULL,
    status_rank       INTEGER NOT NULL,
    client_message_id TEXT,
    received_at       INTEGER NOT NULL
);
INSERT INTO messages_v2 (seq, id, conversation_id, sender_id, sender_name, sender_avatar, content,
                         attachments, sent_at, status, status_rank, client_message_id, received_at)
    SELECT rowid, id, conversation_id, sender_id, sender_name, sender_avatar, content,
           attachments, sent_at, status, status_rank, client_message_id, received_at
    FROM messages;
DROP TABLE messages;
ALTER TABLE messages_v2 RENAME TO messages;
CREATE INDEX messages_by_conversation ON messages (conversation_id, sent_at, id);
CREATE UNIQUE INDEX messages_by_client_id ON messages (client_message_id) WHERE client_message_id IS NOT NULL;

-- 2. Message text and sender names: an external-content index over `messages`. The text is
--    stored once (in `messages`); highlight() reads it back from there by `seq`. `remove_diacritics 2`
--    makes "cafe" find "café" (and the other way round).
CREATE VIRTUAL TABLE messages_fts USING fts5(
    content,
    sender_name,
    content = 'messages',
    content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, content, sender_name) VALUES (new.seq, new.content, new.sender_name);
END;

-- Clearing the cache empties the index in one step ('delete-all') and sets this meta key so that
-- deleting a million rows does not re-tokenize each one. An external-content index must be told
-- the old values on delete, so the trigger is only skipped when the whole index is emptied.
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'search_index_bulk_clear') BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content, sender_name)
        VALUES ('delete', old.seq, old.content, old.sender_name);
END;

-- Status upserts do not name these columns, so they never touch the index.
CREATE TRIGGER messages_fts_update AFTER UPDATE OF content, sender_name ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content, sender_name)
        VALUES ('delete', old.seq, old.content, old.sender_name);
    INSERT INTO messages_fts (rowid, content, sender_name) VALUES (new.seq, new.content, new.sender_name);
END;

INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');

-- 3. Order and listing ids: small tables, so a plain FTS5 table that keeps its own copy of the id.
--    Ids are never updated; rows are only deleted when the cache is cleared (which empties this
--    index first, so the per-row delete below scans an empty table).
CREATE VIRTUAL TABLE records_fts USING fts5(
    kind UNINDEXED,                                        -- order | listing
    record_id,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER records_fts_order_insert AFTER INSERT ON orders BEGIN
    INSERT INTO records_fts (kind, record_id) VALUES ('order', new.id);
END;
CREATE TRIGGER records_fts_order_delete AFTER DELETE ON orders BEGIN
    DELETE FROM records_fts WHERE kind = 'order' AND record_id = old.id;
END;
CREATE TRIGGER records_fts_listing_insert AFTER INSERT ON listings BEGIN
    INSERT INTO records_fts (kind, record_id) VALUES ('listing', new.id);
END;
CREATE TRIGGER records_fts_listing_delete AFTER DELETE ON listings BEGIN
    DELETE FROM records_fts WHERE kind = 'listing' AND record_id = old.id;
END;

INSERT INTO records_fts (kind, record_id) SELECT 'order', id FROM orders;
INSERT INTO records_fts (kind, record_id) SELECT 'listing', id FROM listings;

-- 4. Paged views.
CREATE INDEX orders_by_status ON orders (status, updated_at DESC);
CREATE INDEX orders_by_recency ON orders (updated_at DESC);
CREATE INDEX notifications_unread_first ON notifications (read, created_at DESC);
