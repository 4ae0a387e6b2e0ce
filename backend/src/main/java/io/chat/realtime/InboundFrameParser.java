package io.chat.realtime;

import org.springframework.stereotype.Component;

import io.chat.message.MessageFields;
import io.chat.message.MessageLimits;
import io.chat.message.MessageRejected;
import io.chat.message.MessageText;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a text frame into an {@link InboundFrame}, running the contract's checks in the contract's
 * order (JSON, type, text rules, ids); the rate limit, which needs the database, comes later.
 */
@Component
class InboundFrameParser {

    private final JsonMapper json;
    private final MessageLimits limits;

    InboundFrameParser(JsonMapper json, MessageLimits limits) {
        this.json = json;
        this.limits = limits;
    }

    /**
     * @throws InvalidFrame or {@link MessageRejected} with the error frame's text
     */
    InboundFrame parse(String payload) {
        JsonNode frame = readObject(payload);
        JsonNode type = frame.get("type");
        if (type == null || !type.isString()) {
            throw new InvalidFrame(InvalidFrame.TYPE_REQUIRED);
        }
        return switch (type.stringValue()) {
            case "message" -> new InboundFrame.SendMessage(text(frame), MessageFields.clientId(frame));
            case "typing" -> new InboundFrame.Typing(isTyping(frame));
            case "read_messages" -> new InboundFrame.ReadMessages();
            case "edit_message" -> {
                String text = text(frame);
                yield new InboundFrame.EditMessage(messageId(frame), text);
            }
            case "delete_message" -> new InboundFrame.DeleteMessage(messageId(frame));
            default -> throw InvalidFrame.unknownType(type.stringValue());
        };
    }

    private JsonNode readObject(String payload) {
        try {
            JsonNode node = json.readTree(payload);
            if (node == null || !node.isObject()) {
                throw new InvalidFrame(InvalidFrame.INVALID_JSON);
            }
            return node;
        } catch (JacksonException malformed) {
            throw new InvalidFrame(InvalidFrame.INVALID_JSON);
        }
    }

    private String text(JsonNode frame) {
        return MessageText.validate(MessageFields.text(frame), limits.maxMessageLength());
    }

    private static boolean isTyping(JsonNode frame) {
        JsonNode isTyping = frame.get("is_typing");
        if (isTyping == null || !isTyping.isBoolean()) {
            throw new InvalidFrame(InvalidFrame.IS_TYPING_BOOLEAN);
        }
        return isTyping.booleanValue();
    }

    private static long messageId(JsonNode frame) {
        JsonNode id = frame.get("message_id");
        if (id == null || !id.isIntegralNumber() || !id.canConvertToLong() || id.longValue() <= 0) {
            throw new InvalidFrame(MessageRejected.NOT_FOUND);
        }
        return id.longValue();
    }
}
