package io.chat.realtime;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Pings every connection each {@code ping-interval} and closes those not heard from (no pong, no
 * frame) for {@code pong-timeout}: a vanished client frees its one-connection slot.
 */
@Component
class KeepAlive {

    private static final Logger log = LoggerFactory.getLogger(KeepAlive.class);
    /** Longer than any admission takes to join its feed (queue 2 s, probe 2.5 s, a crashed holder's heartbeat 4 s). */
    private static final Duration REVOCATION_MEMORY = Duration.ofSeconds(30);

    private final LocalSessions sessions;
    private final long pingIntervalNanos;
    private final long pongTimeoutNanos;

    KeepAlive(LocalSessions sessions, WebSocketSettings settings) {
        this.sessions = sessions;
        this.pingIntervalNanos = settings.pingInterval().toNanos();
        this.pongTimeoutNanos = settings.pongTimeout().toNanos();
    }

    /** Runs often enough to keep both periods to within a few seconds. */
    @Scheduled(fixedDelayString = "${chat.websocket.keep-alive-sweep:1s}")
    void sweep() {
        long now = System.nanoTime();
        sessions.forgetRevocationsBefore(now - REVOCATION_MEMORY.toNanos());
        for (ChatSession session : sessions.all()) {
            if (now - session.lastHeardNanos() >= pongTimeoutNanos) {
                log.info("ws.ping_timeout session={} user={} chat={}", session.id(), session.userId(),
                        session.chatId());
                session.close(CloseCodes.PING_TIMEOUT);
            } else if (now - session.lastPingNanos() >= pingIntervalNanos) {
                session.ping();
            }
        }
    }
}
