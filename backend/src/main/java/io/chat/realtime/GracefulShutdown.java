package io.chat.realtime;

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
        try {
            claims.releaseAll();
        } catch (RuntimeException databaseDown) {
            log.warn("cluster.claims_not_released: they lapse by themselves");
        }
        log.info("ws.shutdown closed={} with code 1012", open);
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
