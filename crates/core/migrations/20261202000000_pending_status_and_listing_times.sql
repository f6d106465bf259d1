-- Correct under a real network: events arrive out of order.

-- 1. A chat.status can arrive before its message. It waits here and is applied (never lowering
--    a status) when the message arrives. Rows for messages that never come are pruned.
CREATE TABLE pending_statuses (
    message_id      TEXT PRIMARY KEY NOT NULL,
    conversation_id TEXT NOT NULL,
    status          TEXT NOT NULL,
    status_rank     INTEGER NOT NULL,
    received_at     INTEGER NOT NULL
);

-- 2. Price, availability and status each keep the time of their own latest change, so an older
--    change of one field is not dropped because another field changed later. `changed_at` stays
--    the latest of the three.
ALTER TABLE listings ADD COLUMN price_changed_at INTEGER;
ALTER TABLE listings ADD COLUMN availability_changed_at INTEGER;
ALTER TABLE listings ADD COLUMN status_changed_at INTEGER;
-- Before this, only the latest time of any field was known: it is the safe bound for each.
UPDATE listings SET price_changed_at = changed_at WHERE price IS NOT NULL;
UPDATE listings SET availability_changed_at = changed_at WHERE availability IS NOT NULL;
UPDATE listings SET status_changed_at = changed_at WHERE status IS NOT NULL;
