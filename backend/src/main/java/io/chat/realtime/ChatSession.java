package io.chat.realtime;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
 * reconnecting client gets its missed messages first and then live events, without a gap or a
 * repeat at the seam.
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
        send(frame);
    }

    /**
     * Sends what was held back, less the messages recovery already sent, and lets later events through.
     */
    void goLive(Set<Long> alreadySent) {
        synchronized (gate) {
            for (ChatEvent event : held) {
                if (event.messageId() == 0 || !alreadySent.contains(event.messageId())) {
                    send(new TextMessage(event.frame()));
                }
            }
            held = null;
        }
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
