package io.chat.realtime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.web.socket.CloseStatus;

import io.chat.auth.AuthenticatedUser;
import io.chat.fanout.ChatEvent;

/**
 * One open connection of one user to one chat. Until it goes live, events are held back, so a
 * reconnecting client gets what it missed first and then live events. The seam is a number of the
 * chat's sequence: the session starts after it ({@link #startAfter}), recovery replays up to it,
 * and only numbered events after it go out live, so nothing is missed or repeated there.
 *
 * <p>Everything it sends goes through its {@link SessionOutbox}, which never makes the sending
 * thread wait on this socket; every close goes through the outbox too, so it happens whatever a
 * concurrent send is doing.
 */
final class ChatSession implements SessionOutbox.Trouble {

    private static final Logger log = LoggerFactory.getLogger(ChatSession.class);
    static final int MAX_SENDS_IN_FLIGHT = 64;

    private final String id;
    private final AuthenticatedUser user;
    private final long chatId;
    private final Authentication authentication;
    private final Instant tokenExpiresAt;
    private final Object gate = new Object();
    private final TextFrameAssembler assembler;
    private final SessionOutbox outbox;

    /** Events that arrived before the session went live, with their frames; null once live. */
    private volatile List<Held> held = new ArrayList<>();
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
    /**
     * Sends of this socket being stored: its frames are read on while earlier ones are stored, up to
     * this many; then reading waits (TCP pushes back on the client) instead of queueing without end.
     */
    private final Semaphore sendSlots = new Semaphore(MAX_SENDS_IN_FLIGHT);
    /** Completed by the next frame or pong after a liveness probe's ping; guarded by gate when replaced. */
    private volatile CompletableFuture<Boolean> probing;

    private record Held(ChatEvent event, OutboundFrame frame) {
    }

    /** How a session reaches its socket, and its limits. */
    record Socket(SessionOutbox.Transport transport, SessionOutbox.Closer closer, long sendBufferBytes,
            Duration closeWait, int maxFrameBytes) {
    }

    ChatSession(String id, AuthenticatedUser user, long chatId, Authentication authentication, Instant tokenExpiresAt,
            Socket socket) {
        this.id = id;
        this.assembler = new TextFrameAssembler(socket.maxFrameBytes());
        this.user = user;
        this.chatId = chatId;
        this.authentication = authentication;
        this.tokenExpiresAt = tokenExpiresAt;
        this.outbox = new SessionOutbox(socket.transport(), socket.closer(), socket.sendBufferBytes(),
                socket.closeWait(), this);
    }

    String id() {
        return id;
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

    void acquireSendSlot() {
        sendSlots.acquireUninterruptibly();
    }

    void releaseSendSlot() {
        sendSlots.release();
    }

    void heard() {
        lastHeardNanos = System.nanoTime();
        CompletableFuture<Boolean> waiting = probing;
        if (waiting != null) {
            waiting.complete(true);
        }
    }

    /**
     * Pings the client now: completes with true as soon as it answers (a pong, or any frame), with
     * false when {@code answerWithin} passes first. However recently it spoke, only an answer to this
     * ping counts: a phone that froze just after sending is dead all the same. Concurrent probes
     * share the one ping. Never blocks the caller.
     */
    CompletableFuture<Boolean> probe(Duration answerWithin) {
        if (isClosing()) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> answer;
        synchronized (gate) {
            CompletableFuture<Boolean> pending = probing;
            if (pending != null && !pending.isDone()) {
                return pending;
            }
            answer = new CompletableFuture<Boolean>().completeOnTimeout(false, answerWithin.toMillis(),
                    TimeUnit.MILLISECONDS);
            probing = answer;
        }
        ping();
        return answer;
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

    /**
     * An event of the chat, queued if live and new to this session, held back if recovery is still
     * under way. Nothing is written here: the caller may hold its feed's lock.
     *
     * @return true when the caller must {@link #flush()} this session once it has let go of its lock
     */
    boolean deliver(ChatEvent event, OutboundFrame frame) {
        if (held != null) {
            synchronized (gate) {
                if (held != null) {
                    held.add(new Held(event, frame));
                    return false;
                }
            }
        }
        return isNew(event) && outbox.enqueue(frame);
    }

    /** Starts writing what {@link #deliver} queued. */
    void flush() {
        outbox.flush();
    }

    /** Sends what was held back, but what the session's start covered, and lets later events through. */
    void goLive() {
        boolean kick = false;
        synchronized (gate) {
            for (Held waiting : held) {
                if (isNew(waiting.event())) {
                    kick |= outbox.enqueue(waiting.frame());
                }
            }
            held = null;
        }
        if (kick) {
            outbox.flush();
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

    /** A frame for this session alone (greeting, replay, error): queued and written at once if idle. */
    void send(String frame) {
        outbox.send(OutboundFrame.of(frame));
    }

    void ping() {
        lastPingNanos = System.nanoTime();
        outbox.ping();
    }

    /** Whether the session is being closed (or was): it counts as nobody's live connection any more. */
    boolean isClosing() {
        return outbox.isClosing();
    }

    /** Closes with this status, whatever is being written; later sends are dropped. */
    void close(CloseStatus status) {
        ScheduledFuture<?> pending = expiry;
        if (pending != null) {
            pending.cancel(false);
        }
        outbox.close(status);
    }

    /** The container closed the socket (either side): nothing more is written to it. */
    void closed() {
        ScheduledFuture<?> pending = expiry;
        if (pending != null) {
            pending.cancel(false);
        }
        outbox.closed();
    }

    @Override
    public void overflowed(long pendingBytes) {
        log.warn("ws.slow_client session={} user={} chat={} pending_bytes={}: closing with 1013", id, user.id(),
                chatId, pendingBytes);
    }

    @Override
    public void writeFailed(Throwable failure) {
        log.info("ws.send_failed session={} user={} chat={}: {}", id, user.id(), chatId, failure.toString());
    }
}
