package io.chat.message;

import io.chat.auth.UserSummary;
import io.chat.chat.ChatEventType;

/** One event of a chat's sequence as read back from the database, with what its frame shows now. */
public sealed interface StoredEvent permits StoredEvent.OfMessage, StoredEvent.Read {

    long chatId();

    long seq();

    ChatEventType type();

    /** Who acted: the author of a message event, the reader of {@code messages_read}. */
    long actorId();

    /**
     * A {@code message}, {@code message_updated} or {@code message_deleted} event.
     *
     * @param message the message in its current state, whatever the event did to it at the time
     */
    record OfMessage(long chatId, long seq, ChatEventType type, MessageView message) implements StoredEvent {

        @Override
        public long actorId() {
            return message.sender().id();
        }
    }

    /** A {@code messages_read} event. */
    record Read(long chatId, long seq, UserSummary reader, long lastReadMessageId) implements StoredEvent {

        @Override
        public ChatEventType type() {
            return ChatEventType.MESSAGES_READ;
        }

        @Override
        public long actorId() {
            return reader.id();
        }
    }
}
