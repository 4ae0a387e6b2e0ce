package io.chat.realtime;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On shutdown (deploy, scale-in) every connection is closed with 1012 before the web server stops,
 * so clients reconnect at once through the load balancer, and this instance's claims are freed.
 */
@Component
class GracefulShutdown implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);
    /** How long shutdown waits for its 1012 closes to go out before the web server stops anyway. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final LocalSessions sessions;
    private final ConnectionClaims claims;
    private volatile boolean running;

    GracefulShutdown(LocalSessions sessions, ConnectionClaims claims) {
        this.sessions = sessions;
        this.claims = claims;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        int open = sessions.count();
        for (ChatSession session : sessions.all()) {
            session.close(CloseCodes.SERVICE_RESTART);
        }
        awaitClosed();
        try {
            claims.releaseAll();
        } catch (RuntimeException databaseDown) {
            log.warn("cluster.claims_not_released: they lapse by themselves");
        }
        log.info("ws.shutdown closed={} with code 1012", open);
    }

    /**
     * Closes run on the closer's threads; the web server must not stop before they went out. A
     * client that does not read gets at most the send time limit, then its connection is dropped.
     */
    private void awaitClosed() {
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        while (sessions.count() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops first: before the web server and the broker connection go away. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
