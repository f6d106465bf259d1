-- Seller Desk local cache, first schema. Timestamps are epoch milliseconds (UTC).

CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE conversations (
    id                   TEXT PRIMARY KEY NOT NULL,
    state                TEXT NOT NULL DEFAULT 'new',      -- new | archived | deleted | <unknown>
    participants         TEXT NOT NULL DEFAULT '[]',       -- JSON array of {id, name, avatar}
    last_message_content TEXT,
    last_message_at      INTEGER,
    last_read_at         INTEGER NOT NULL DEFAULT 0,       -- local: messages after this are unread
    updated_at           INTEGER NOT NULL
);
CREATE INDEX conversations_by_recency ON conversations (last_message_at DESC);

CREATE TABLE messages (
    id                TEXT PRIMARY KEY NOT NULL,
    conversation_id   TEXT NOT NULL,
    sender_id         TEXT NOT NULL,
    sender_name       TEXT NOT NULL,
    sender_avatar     TEXT NOT NULL DEFAULT '',
    content           TEXT NOT NULL,
    attachments       TEXT NOT NULL DEFAULT '[]',          -- JSON array of attachments
    sent_at           INTEGER NOT NULL,
    status            TEXT NOT NULL,
    status_rank       INTEGER NOT NULL,                    -- sent 1 < delivered 2 < read 3; never lowered
    client_message_id TEXT,
    received_at       INTEGER NOT NULL
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, sent_at, id);
CREATE UNIQUE INDEX messages_by_client_id ON messages (client_message_id) WHERE client_message_id IS NOT NULL;

CREATE TABLE orders (
    id                 TEXT PRIMARY KEY NOT NULL,
    status             TEXT,
    status_at          INTEGER,
    payment_status     TEXT,
    payment_amount     REAL,
    payment_currency   TEXT,
    payment_method     TEXT,
    transaction_id     TEXT,
    payment_at         INTEGER,
    shipping_status    TEXT,
    carrier            TEXT,
    tracking_number    TEXT,
    estimated_delivery INTEGER,
    shipping_location  TEXT,                               -- JSON {city, country, status}
    shipping_at        INTEGER,
    updated_at         INTEGER NOT NULL
);

-- Every order event as received, the order's timeline. The fingerprint makes replays idempotent.
CREATE TABLE order_events (
    order_id    TEXT NOT NULL,
    kind        TEXT NOT NULL,                             -- status | payment | shipping
    at          INTEGER NOT NULL,
    payload     TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    PRIMARY KEY (order_id, fingerprint)
);
CREATE INDEX order_events_by_time ON order_events (order_id, at);

CREATE TABLE listings (
    id                TEXT PRIMARY KEY NOT NULL,
    price             TEXT,                                -- JSON value, as sent
    availability      TEXT,
    status            TEXT,
    changed_at        INTEGER,
    quantity          INTEGER,
    stock_status      TEXT,
    stock_threshold   INTEGER,
    views             TEXT NOT NULL DEFAULT '{}',          -- JSON {period: {views, uniqueViews}}
    updated_at        INTEGER NOT NULL
);

CREATE TABLE notifications (
    id         TEXT PRIMARY KEY NOT NULL,
    source     TEXT NOT NULL,                              -- system | user
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    message    TEXT NOT NULL,
    payload    TEXT NOT NULL,                              -- the whole event, JSON
    read       INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    expires_at INTEGER
);

CREATE TABLE presence (
    user_id    TEXT PRIMARY KEY NOT NULL,
    status     TEXT,
    last_seen  INTEGER,
    activity   TEXT,                                       -- JSON of the last presence.activity
    updated_at INTEGER NOT NULL
);

-- Messages the seller wrote, persisted before the first send attempt.
CREATE TABLE outbox (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,   -- send order
    client_message_id TEXT NOT NULL UNIQUE,
    conversation_id   TEXT NOT NULL,
    content           TEXT NOT NULL,
    attachments       TEXT NOT NULL DEFAULT '[]',
    state             TEXT NOT NULL,                       -- queued | sending | sent | failed
    reason            TEXT,
    lease_owner       TEXT,                                -- process that claimed it for sending
    lease_until       INTEGER,
    server_message_id TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX outbox_pending ON outbox (state, seq);
