package io.chat.chat;

/** Published in the transaction that removes a participant; their open connections are then closed. */
public record ParticipantRemoved(long chatId, long userId) {
}
