package io.chat.realtime;

/** A client frame that breaks the protocol; the message is the exact text of the error frame. */
class InvalidFrame extends RuntimeException {

    static final String INVALID_JSON = "Invalid JSON format";
    static final String TYPE_REQUIRED = "Message type is required";
    static final String IS_TYPING_BOOLEAN = "Field is_typing must be true or false";

    InvalidFrame(String message) {
        super(message, null, false, false);
    }

    static InvalidFrame unknownType(String type) {
        return new InvalidFrame("Unknown message type: " + type);
    }
}
