-- The inbox is ordered by last activity (the newest message, or the last update for a
-- conversation without messages). Indexing that expression lets the first page be read straight
-- off the index, and the unread counts be computed for that page only, instead of for every
-- conversation before sorting them all.
DROP INDEX conversations_by_recency;
CREATE INDEX conversations_by_activity ON conversations (COALESCE(last_message_at, updated_at) DESC, id);
