-- The chat's event sequence. Every change of a chat's state (a message, an edit, a deletion, a
-- read marker) takes the chat's next number, 1, 2, 3, ... in commit order: the transaction that
-- makes the change increments chats.last_seq, which locks the chat's row until it commits, so the
-- next change of the same chat waits for it and numbers are never given out of commit order.
-- Instances deliver a chat's events in this order, fill gaps from chat_events, and replay it to
-- clients that reconnect with ?since_seq=N.

ALTER TABLE chats ADD COLUMN last_seq BIGINT NOT NULL DEFAULT 0;

-- the number of the `message` event that created the message; ids grow in the same order
ALTER TABLE messages ADD COLUMN seq BIGINT;

CREATE TABLE chat_events (
    chat_id              BIGINT      NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    seq                  BIGINT      NOT NULL,
    type                 VARCHAR(20) NOT NULL,
    -- who acted: the sender, editor or deleter of a message, the reader of messages_read
    user_id              BIGINT      NOT NULL,
    -- the message of message, message_updated and message_deleted; frames show its current state.
    -- No foreign key: an event outlives nothing it refers to (messages are deleted softly), and a
    -- key would cost a lookup on every send.
    message_id           BIGINT,
    -- the reader's marker after messages_read
    last_read_message_id BIGINT,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (chat_id, seq),
    CONSTRAINT chat_events_type_check
        CHECK (type IN ('message', 'message_updated', 'message_deleted', 'messages_read')),
    CONSTRAINT chat_events_reference_check
        CHECK ((type = 'messages_read') = (message_id IS NULL))
);

-- Existing messages become the first events of their chats, numbered in id order.
UPDATE messages
   SET seq = numbered.seq
  FROM (SELECT id, row_number() OVER (PARTITION BY chat_id ORDER BY id) AS seq FROM messages) AS numbered
 WHERE messages.id = numbered.id;

INSERT INTO chat_events (chat_id, seq, type, user_id, message_id, created_at)
SELECT chat_id, seq, 'message', sender_id, id, created_at FROM messages;

UPDATE chats
   SET last_seq = counted.last_seq
  FROM (SELECT chat_id, max(seq) AS last_seq FROM messages GROUP BY chat_id) AS counted
 WHERE chats.id = counted.chat_id;

ALTER TABLE messages ALTER COLUMN seq SET NOT NULL;
