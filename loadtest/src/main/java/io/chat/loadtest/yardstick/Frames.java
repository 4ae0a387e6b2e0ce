package io.chat.loadtest.yardstick;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.TextMessage;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The frames of the chat protocol that the yardstick sends, written with Jackson as the server
 * writes its own; a message frame is written once and the same bytes go to every socket of the chat.
 */
@Component
class Frames {

    private final JsonMapper json = JsonMapper.builder().build();

    TextMessage greeting(long chatId, long seq) {
        ObjectNode frame = json.createObjectNode()
                .put("type", "connection_established")
                .put("message", "Successfully connected to chat")
                .put("chat_id", chatId)
                .put("seq", seq);
        return new TextMessage(json.writeValueAsString(frame));
    }

    TextMessage message(long seq, long chatId, Chats.StoredMessage message) {
        ObjectNode frame = json.createObjectNode().put("type", "message").put("seq", seq);
        ObjectNode data = frame.putObject("data");
        write(data, message);
        data.put("chat_id", chatId);
        if (message.clientId() != null) {
            data.put("client_id", message.clientId());
        }
        return new TextMessage(json.writeValueAsString(frame));
    }

    /** A message as history and the message frame's {@code data} show it. */
    ObjectNode write(ObjectNode data, Chats.StoredMessage message) {
        data.put("id", message.id()).put("text", message.text());
        user(data.putObject("sender"), message.sender());
        return data.put("timestamp", message.timestamp()).put("is_edited", false).put("is_deleted", false);
    }

    ObjectNode user(ObjectNode node, Accounts.Account account) {
        return node.put("id", account.id()).put("username", account.username())
                .put("first_name", account.firstName()).put("last_name", account.lastName());
    }

    ObjectNode object() {
        return json.createObjectNode();
    }

    /** Parses a frame from a client; null when it is not a JSON object. */
    JsonNode read(String text) {
        try {
            JsonNode node = json.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (RuntimeException notJson) {
            return null;
        }
    }
}
