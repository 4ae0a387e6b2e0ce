package io.chat.message;

/** Events of the message feature, published inside the transaction that made them. */
public final class MessageEvents {

    private MessageEvents() {
    }

    /** A new message was stored. */
    public record Posted(MessageView message) {
    }

    /** A message's text was changed. */
    public record Edited(MessageView message) {
    }

    /** A message was deleted (softly). */
    public record Deleted(MessageView message) {
    }
}
