package io.chat.realtime;

/** The closed set of frames a client may send, after validation. */
sealed interface InboundFrame {

    /** {@code {"type": "message", "text": "...", "client_id": "..."}}; text already trimmed. */
    record SendMessage(String text, String clientId) implements InboundFrame {
    }

    /** {@code {"type": "typing", "is_typing": true}} */
    record Typing(boolean isTyping) implements InboundFrame {
    }

    /** {@code {"type": "read_messages"}} */
    record ReadMessages() implements InboundFrame {
    }

    /** {@code {"type": "edit_message", "message_id": 123, "text": "..."}}; text already trimmed. */
    record EditMessage(long messageId, String text) implements InboundFrame {
    }

    /** {@code {"type": "delete_message", "message_id": 123}} */
    record DeleteMessage(long messageId) implements InboundFrame {
    }
}
