package io.chat.realtime;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.SessionLimitExceededException;

import io.chat.auth.AuthenticatedUser;
import io.chat.fanout.ChatEvent;

/**
 * One open connection of one user to one chat. Until it goes live, events are held back, so a
 * reconnecting client gets what it missed first and then live events. The seam is a number of the
 * chat's sequence: the session starts after it ({@link #startAfter}), recovery replays up to it,
 * and only numbered events after it go out live, so nothing is missed or repeated there.
 */
final class ChatSession {

    private static final Logger log = LoggerFactory.getLogger(ChatSession.class);

    private final WebSocketSession socket;
    private final AuthenticatedUser user;
    private final long chatId;
    private final Authentication authentication;
    private final Instant tokenExpiresAt;
    private final Object gate = new Object();
    private final TextFrameAssembler assembler;

    /** Events that arrived before the session went live; null once live. */
    private volatile List<ChatEvent> held = new ArrayList<>();
    /**
     * Numbered events up to this one are not sent live: they were before the session started, or
     * the client said it has them. Written before the session goes live and by the chat's feed, one
     * event at a time, after.
     */
    private long floor;
    private volatile boolean typing;
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile long lastPingNanos = System.nanoTime();
    private volatile ScheduledFuture<?> expiry;

    ChatSession(WebSocketSession socket, AuthenticatedUser user, long chatId, Authentication authentication,
            Instant tokenExpiresAt, int maxFrameBytes) {
        this.socket = socket;
        this.assembler = new TextFrameAssembler(maxFrameBytes);
        this.user = user;
        this.chatId = chatId;
        this.authentication = authentication;
        this.tokenExpiresAt = tokenExpiresAt;
    }

    String id() {
        return socket.getId();
    }

    AuthenticatedUser user() {
        return user;
    }

    long userId() {
        return user.id();
    }

    long chatId() {
        return chatId;
    }

    Authentication authentication() {
        return authentication;
    }

    Instant tokenExpiresAt() {
        return tokenExpiresAt;
    }

    boolean isTyping() {
        return typing;
    }

    void setTyping(boolean typing) {
        this.typing = typing;
    }

    /** @see TextFrameAssembler#add(String, boolean) */
    String assemble(String part, boolean last) throws TextFrameAssembler.TooBig {
        return assembler.add(part, last);
    }

    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }

    long lastPingNanos() {
        return lastPingNanos;
    }

    void expireAt(ScheduledFuture<?> expiry) {
        this.expiry = expiry;
    }

    /** Called by the chat's feed as the session joins it, before it goes live. */
    void startAfter(long seq) {
        synchronized (gate) {
            floor = seq;
        }
    }

    /** Numbered events up to {@code seq} are not sent live: the client has them (it asked to recover after it). */
    void skipUpTo(long seq) {
        synchronized (gate) {
            floor = Math.max(floor, seq);
        }
    }

    /** An event of the chat: sent now if live, held back if recovery is still under way. */
    void deliver(ChatEvent event, TextMessage frame) {
        if (held != null) {
            synchronized (gate) {
                if (held != null) {
                    held.add(event);
                    return;
                }
            }
        }
        if (isNew(event)) {
            send(frame);
        }
    }

    /** Sends what was held back, but what the session's start covered, and lets later events through. */
    void goLive() {
        synchronized (gate) {
            for (ChatEvent event : held) {
                if (isNew(event)) {
                    send(new TextMessage(event.frame()));
                }
            }
            held = null;
        }
    }

    private boolean isNew(ChatEvent event) {
        if (!event.isSequenced()) {
            return true;
        }
        if (event.seq() <= floor) {
            return false;
        }
        floor = event.seq();
        return true;
    }

    void send(String frame) {
        send(new TextMessage(frame));
    }

    void send(TextMessage frame) {
        if (!socket.isOpen()) {
            return;
        }
        try {
            socket.sendMessage(frame);
        } catch (SessionLimitExceededException slow) {
            log.warn("ws.slow_client session={} user={} chat={}: send buffer full, closing", id(), user.id(), chatId);
            close(CloseCodes.TOO_SLOW);
        } catch (IOException | IllegalStateException gone) {
            log.debug("ws.send_failed session={} user={} chat={}: {}", id(), user.id(), chatId, gone.toString());
            close(CloseCodes.SERVER_ERROR);
        }
    }

    void ping() {
        lastPingNanos = System.nanoTime();
        if (!socket.isOpen()) {
            return;
        }
        try {
            socket.sendMessage(new PingMessage());
        } catch (IOException | RuntimeException gone) {
            log.debug("ws.ping_failed session={} user={} chat={}: {}", id(), user.id(), chatId, gone.toString());
        }
    }

    void close(CloseStatus status) {
        ScheduledFuture<?> pending = expiry;
        if (pending != null) {
            pending.cancel(false);
        }
        try {
            if (socket.isOpen()) {
                socket.close(status);
            }
        } catch (IOException | RuntimeException ignored) {
            // already closing; the container finishes the close and calls afterConnectionClosed
        }
    }
}
