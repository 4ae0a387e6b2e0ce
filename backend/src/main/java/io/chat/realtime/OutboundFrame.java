package io.chat.realtime;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.chat.fanout.ChatEvent;

/**
 * A text frame encoded once, as UTF-8, and shared by every socket it goes to: each write reads a
 * duplicate of the same read-only buffer.
 *
 * @param text the JSON, for logs and tests; never sent as such
 * @param event whether it is a live event of the chat (counted as delivered when written), rather
 *     than a frame for one session (greeting, replay, error)
 * @param committedAt when the event was committed, for its latency; null when unknown
 */
record OutboundFrame(String text, ByteBuffer utf8, boolean event, Instant committedAt) {

    /** A frame for one session: a greeting, a replayed event, an error. */
    static OutboundFrame of(String text) {
        return new OutboundFrame(text, encode(text), false, null);
    }

    /** A live event of the chat, for every session it goes to. */
    static OutboundFrame of(ChatEvent event) {
        return new OutboundFrame(event.frame(), encode(event.frame()), true, event.committedAt());
    }

    private static ByteBuffer encode(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    }

    int size() {
        return utf8.remaining();
    }
}
