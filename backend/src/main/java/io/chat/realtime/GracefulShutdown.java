package io.chat.realtime;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On shutdown (deploy, scale-in) the instance first drains: it reports not ready and refuses new
 * upgrades for {@code chat.shutdown.drain-delay}, long enough for the load balancer to take it out
 * of its pool; then every connection is closed with 1012 before the web server stops, so clients
 * reconnect at once, through the load balancer, to another instance; and its claims are freed.
 */
@Component
class GracefulShutdown implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);
    /** How long shutdown waits for its 1012 closes to go out before the web server stops anyway. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final LocalSessions sessions;
    private final ConnectionClaims claims;
    private final DrainingGate gate;
    private final ApplicationEventPublisher events;
    private final Duration drainDelay;
    private volatile boolean running;
    private volatile boolean started;

    GracefulShutdown(LocalSessions sessions, ConnectionClaims claims, DrainingGate gate,
            ApplicationEventPublisher events, ShutdownSettings settings) {
        this.sessions = sessions;
        this.claims = claims;
        this.gate = gate;
        this.events = events;
        this.drainDelay = settings.drainDelay();
    }

    /** Also after a stop that was not the end (a paused test context restarted): serving again. */
    @Override
    public void start() {
        gate.stopDraining();
        if (running || started) {
            AvailabilityChangeEvent.publish(events, this, ReadinessState.ACCEPTING_TRAFFIC);
        }
        started = true;
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        drain();
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

    private void drain() {
        gate.startDraining();
        AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
        if (drainDelay.isZero() || drainDelay.isNegative()) {
            return;
        }
        log.info("ws.draining sockets={} for={}ms: not ready, new upgrades refused (503), open sockets served",
                sessions.count(), drainDelay.toMillis());
        try {
            Thread.sleep(drainDelay.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
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
