package io.chat.chat;

/**
 * A participant marked every message of a chat read; published inside the transaction that did it.
 *
 * @param lastReadMessageId the participant's marker afterwards
 * @param seq the event's number in the chat's sequence
 */
public record MessagesMarkedRead(long chatId, long userId, long lastReadMessageId, long seq) {
}
