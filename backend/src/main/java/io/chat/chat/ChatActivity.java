package io.chat.chat;

import java.util.Optional;

/**
 * What a chat listing needs from the messages of a chat, provided by the message feature so that
 * chats do not depend on how messages are stored or shown.
 */
public interface ChatActivity {

    /** The newest message of the chat, in the form clients see it, if any. */
    Optional<?> lastMessage(long chatId);

    /** Messages of others, not deleted, newer than the read marker. */
    long unreadCount(long chatId, long userId, long lastReadMessageId);
}
