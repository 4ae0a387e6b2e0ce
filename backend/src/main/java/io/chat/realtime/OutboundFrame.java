package io.chat.realtime;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A text frame encoded once, as UTF-8, and shared by every socket it goes to: each write reads a
 * duplicate of the same read-only buffer.
 *
 * @param text the JSON, for logs and tests; never sent as such
 */
record OutboundFrame(String text, ByteBuffer utf8) {

    static OutboundFrame of(String text) {
        return new OutboundFrame(text, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer());
    }

    int size() {
        return utf8.remaining();
    }
}
