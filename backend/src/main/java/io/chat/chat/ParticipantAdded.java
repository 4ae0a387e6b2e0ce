package io.chat.chat;

/** Published in the transaction that adds a participant; listeners act after it commits. */
public record ParticipantAdded(long chatId, long userId) {
}
