package io.chat.realtime;

import org.springframework.stereotype.Component;

import io.chat.message.MessageView;
import tools.jackson.databind.json.JsonMapper;

/** Encodes the frames the server sends. Each event is encoded once, whatever its number of recipients. */
@Component
class ServerFrames {

    static final String CONNECTED_TEXT = "Successfully connected to chat";

    private final JsonMapper json;

    ServerFrames(JsonMapper json) {
        this.json = json;
    }

    String connectionEstablished(long chatId) {
        return json.writeValueAsString(new ConnectionEstablished("connection_established", CONNECTED_TEXT, chatId));
    }

    /** {@code message}, {@code message_updated} or {@code message_deleted}. */
    String message(String type, MessageView message) {
        return json.writeValueAsString(new MessageFrame(type, message));
    }

    String typing(long userId, String username, boolean isTyping) {
        return json.writeValueAsString(new TypingFrame("typing", userId, username, isTyping));
    }

    String messagesRead(long userId, String username, long lastReadMessageId) {
        return json.writeValueAsString(new MessagesReadFrame("messages_read", userId, username, lastReadMessageId));
    }

    String error(String message) {
        return json.writeValueAsString(new ErrorFrame("error", message));
    }

    record ConnectionEstablished(String type, String message, long chatId) {
    }

    record MessageFrame(String type, MessageView data) {
    }

    record TypingFrame(String type, long userId, String username, boolean isTyping) {
    }

    record MessagesReadFrame(String type, long userId, String username, long lastReadMessageId) {
    }

    record ErrorFrame(String type, String message) {
    }
}
