-- The chat schema. This directory is the only place the schema is defined:
-- the application runs it through Flyway at start, and CI runs it with flyway:migrate.

CREATE TABLE users (
    id               BIGSERIAL PRIMARY KEY,
    username         VARCHAR(150) NOT NULL,
    password_hash    VARCHAR(255),
    first_name       VARCHAR(150) NOT NULL DEFAULT '',
    last_name        VARCHAR(150) NOT NULL DEFAULT '',
    -- `sub` of an external OpenID provider's tokens; null for local users
    external_subject VARCHAR(255),
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT users_username_key UNIQUE (username),
    CONSTRAINT users_external_subject_key UNIQUE (external_subject)
);

-- "username starts with" search, case-insensitive
CREATE INDEX users_username_lower_prefix_idx ON users (lower(username) text_pattern_ops);

CREATE TABLE chats (
    id         BIGSERIAL PRIMARY KEY,
    name       VARCHAR(255) NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE chat_participants (
    chat_id              BIGINT      NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    user_id              BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- read marker: every message with an id up to this one counts as read by the participant
    last_read_message_id BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (chat_id, user_id)
);

-- "the caller's chats"
CREATE INDEX chat_participants_user_idx ON chat_participants (user_id);

CREATE TABLE messages (
    id         BIGSERIAL PRIMARY KEY,
    chat_id    BIGINT        NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    sender_id  BIGINT        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    text       TEXT          NOT NULL,
    created_at TIMESTAMPTZ   NOT NULL,
    edited_at  TIMESTAMPTZ,
    deleted_at TIMESTAMPTZ,
    -- idempotency key chosen by the client, unique per chat and sender
    client_id  VARCHAR(64)
);

-- history pages, recovery, last message and unread counts: all walk one chat by id
CREATE INDEX messages_chat_id_idx ON messages (chat_id, id);
-- the sliding-window rate limit counts a sender's recent messages
CREATE INDEX messages_sender_created_idx ON messages (sender_id, created_at);
CREATE UNIQUE INDEX messages_idempotency_key ON messages (chat_id, sender_id, client_id)
    WHERE client_id IS NOT NULL;

-- One open WebSocket connection per user per chat, across every server instance.
-- An instance renews its claims while the connections live; a crashed instance's
-- claims lapse at expires_at, so its users are not locked out.
CREATE TABLE connection_claims (
    chat_id     BIGINT      NOT NULL,
    user_id     BIGINT      NOT NULL,
    instance_id VARCHAR(64) NOT NULL,
    session_id  VARCHAR(64) NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (chat_id, user_id)
);

CREATE INDEX connection_claims_instance_idx ON connection_claims (instance_id);
