package io.chat.realtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.springframework.web.socket.TextMessage;

/**
 * A socket between its upgrade and the end of its admission, which runs on other threads
 * ({@link AdmissionControl}). Text the client sends meanwhile is kept, in order, and handed on once
 * the session is greeted; the container's close, if it comes first, is noted, so that exactly one
 * side (the admission, or the close) gives back what the admission took. One lock orders the two.
 */
final class PendingOpen {

    /** What became of a part of a text frame offered while the socket was being admitted. */
    enum Held {
        /** kept, to be handed on after the greeting */
        KEPT,
        /** more than a frame's worth of text before the greeting: the socket is closed with 1009 */
        TOO_MUCH,
        /** the admission is over: handle the part now (dropped when the socket was refused) */
        SETTLED
    }

    private List<TextMessage> held = new ArrayList<>();
    private int heldChars;
    private boolean settled;
    private boolean closed;
    private ChatSession session;

    /** Keeps a part of a text frame that came before the admission ended; at most {@code maxChars} in all. */
    synchronized Held hold(TextMessage part, int maxChars) {
        if (settled) {
            return Held.SETTLED;
        }
        heldChars += part.getPayload().length();
        if (heldChars > maxChars) {
            return Held.TOO_MUCH;
        }
        held.add(part);
        return Held.KEPT;
    }

    /** The admitted session, or null while admitting, or after a refusal. */
    synchronized ChatSession session() {
        return session;
    }

    /**
     * The session was greeted: makes it the socket's and hands on, in order, what the client sent
     * meanwhile. A frame that arrives while these are handed on waits for them (this lock).
     *
     * @return false when the socket had closed already: the caller gives back what it took
     */
    synchronized boolean admitted(ChatSession admitted, Map<String, Object> attributes, String attribute,
            BiConsumer<ChatSession, TextMessage> handler) {
        if (closed) {
            return false;
        }
        session = admitted;
        attributes.put(attribute, admitted);
        settled = true;
        List<TextMessage> waiting = held;
        held = null;
        waiting.forEach(part -> handler.accept(admitted, part));
        return true;
    }

    /** The socket was refused: what it sent is dropped. */
    synchronized void refused() {
        settled = true;
        held = null;
    }

    /**
     * The container closed the socket.
     *
     * @return the admitted session, for the caller to end; null when there is none yet (the
     *     admission sees the close and gives back what it took) or it was refused
     */
    synchronized ChatSession closed() {
        closed = true;
        settled = true;
        held = null;
        return session;
    }
}
