package io.chat.realtime;

import io.chat.system.TextCharacters;

/** A client frame that breaks the protocol; the message is the exact text of the error frame. */
class InvalidFrame extends RuntimeException {

    static final String INVALID_JSON = "Invalid JSON format";
    static final String TYPE_REQUIRED = "Message type is required";
    static final String IS_TYPING_BOOLEAN = "Field is_typing must be true or false";
    /** Format of the error for an unknown type; {@code %s} is the type the client sent. */
    static final String UNKNOWN_TYPE = "Unknown message type: %s";

    InvalidFrame(String message) {
        super(message, null, false, false);
    }

    /** Echoes the type, with characters that cannot be sent as UTF-8 replaced by U+FFFD. */
    static InvalidFrame unknownType(String type) {
        return new InvalidFrame(UNKNOWN_TYPE.formatted(TextCharacters.wellFormed(type)));
    }
}
