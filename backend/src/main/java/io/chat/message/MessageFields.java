package io.chat.message;

import tools.jackson.databind.JsonNode;

/** Reads message fields from a JSON object the same way for socket frames and REST bodies. */
public final class MessageFields {

    private MessageFields() {
    }

    /** The raw text, or null when it is missing or not a string (reported as empty text). */
    public static String text(JsonNode object) {
        JsonNode text = object.get("text");
        return text != null && text.isString() ? text.stringValue() : null;
    }

    /** The idempotency key, or null when absent. */
    public static String clientId(JsonNode object) {
        JsonNode clientId = object.get("client_id");
        if (clientId == null || clientId.isNull()) {
            return null;
        }
        if (!clientId.isString()) {
            throw MessageRejected.invalidClientId();
        }
        return clientId.stringValue();
    }
}
