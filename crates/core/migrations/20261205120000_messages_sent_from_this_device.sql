-- Whether a cached message is the echo of one this device sent (its client message id is in the
-- outbox, whose rows stay once sent). With `sender_id` equal to the seller's id, this is what
-- makes a message the seller's own: a client message id alone, which anyone can put in a
-- message, is not enough.
ALTER TABLE messages ADD COLUMN from_outbox INTEGER NOT NULL DEFAULT 0;

UPDATE messages SET from_outbox = 1
 WHERE client_message_id IS NOT NULL
   AND client_message_id IN (SELECT client_message_id FROM outbox);
