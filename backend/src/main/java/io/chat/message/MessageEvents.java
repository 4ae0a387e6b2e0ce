package io.chat.message;

/**
 * Events of the message feature, published inside the transaction that made them, each with its
 * number in the chat's event sequence.
 */
public final class MessageEvents {

    private MessageEvents() {
    }

    /** A new message was stored as event {@code seq} of its chat. */
    public record Posted(MessageView message, long seq) {
    }

    /** A message's text was changed, as event {@code seq} of its chat. */
    public record Edited(MessageView message, long seq) {
    }

    /** A message was deleted (softly), as event {@code seq} of its chat. */
    public record Deleted(MessageView message, long seq) {
    }
}
