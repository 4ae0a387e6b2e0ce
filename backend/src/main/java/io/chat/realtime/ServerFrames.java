package io.chat.realtime;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.chat.message.MessageView;
import io.chat.message.StoredEvent;
import tools.jackson.databind.json.JsonMapper;

/**
 * Encodes the frames the server sends. Each event is encoded once, whatever its number of recipients.
 * The frame records are also what {@code GET /api/chats/{id}/events/} lists, so the REST history and
 * the socket show an event alike.
 */
@Component
class ServerFrames {

    static final String CONNECTED_TEXT = "Successfully connected to chat";

    /** The error frame's text when handling a frame failed on the server (the failure is logged). */
    static final String INTERNAL_ERROR = "Internal server error";

    private final JsonMapper json;

    ServerFrames(JsonMapper json) {
        this.json = json;
    }

    /**
     * @param seq the chat's latest event number when the connection went live
     * @param recovered null without a recovery parameter; otherwise whether everything missed was replayed
     */
    String connectionEstablished(long chatId, long seq, Boolean recovered) {
        return json.writeValueAsString(
                new ConnectionEstablished("connection_established", CONNECTED_TEXT, chatId, seq, recovered));
    }

    /** {@code message}, {@code message_updated} or {@code message_deleted}, numbered {@code seq}. */
    String message(String type, long seq, MessageView message) {
        return json.writeValueAsString(new MessageFrame(type, seq, message));
    }

    /** The answer to an idempotent resend: a reply to its sender, not an event, so it carries no seq. */
    String resendAnswer(MessageView message) {
        return json.writeValueAsString(new UnsequencedMessageFrame("message", message));
    }

    String typing(long userId, String username, boolean isTyping) {
        return json.writeValueAsString(new TypingFrame("typing", userId, username, isTyping));
    }

    String messagesRead(long seq, long userId, String username, long lastReadMessageId) {
        return json.writeValueAsString(frameOf(seq, userId, username, lastReadMessageId));
    }

    /** The frame of an event read back from the database, as it would have gone out live. */
    Object frameOf(StoredEvent event) {
        if (event instanceof StoredEvent.Read read) {
            return frameOf(read.seq(), read.reader().id(), read.reader().username(), read.lastReadMessageId());
        }
        StoredEvent.OfMessage changed = (StoredEvent.OfMessage) event;
        return new MessageFrame(changed.type().wireName(), changed.seq(), changed.message());
    }

    String encode(StoredEvent event) {
        return json.writeValueAsString(frameOf(event));
    }

    String error(String message) {
        return json.writeValueAsString(new ErrorFrame("error", message));
    }

    private static MessagesReadFrame frameOf(long seq, long userId, String username, long lastReadMessageId) {
        return new MessagesReadFrame("messages_read", seq, userId, username, lastReadMessageId);
    }

    record ConnectionEstablished(String type, String message, long chatId, long seq,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean recovered) {
    }

    record MessageFrame(String type, long seq, MessageView data) {
    }

    record UnsequencedMessageFrame(String type, MessageView data) {
    }

    record TypingFrame(String type, long userId, String username, boolean isTyping) {
    }

    record MessagesReadFrame(String type, long seq, long userId, String username, long lastReadMessageId) {
    }

    record ErrorFrame(String type, String message) {
    }
}
