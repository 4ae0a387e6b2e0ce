package io.chat.fanout;

import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.TaskScheduler;

/**
 * One long-lived STOMP connection to RabbitMQ that heals itself: when it drops, or cannot be opened,
 * it is tried again with exponential backoff, on the next node of a cluster when there are several
 * ({@link RelayNodes}), and {@code onConnected} runs on every new session (to restore
 * subscriptions). It reports each change to a {@link Watcher}, which decides what to log: the link
 * itself logs retries at DEBUG only, so an outage costs one line, not one per attempt (and one
 * {@code broker.link_failover} line when a connection is lost and the link moves to another node).
 *
 * <p>Spring's STOMP client reports a failed connect twice (the connect future and the session
 * handler) and may report a lost connection late; each connect is therefore numbered, and news of
 * an attempt that is no longer the current one is ignored. Without that, every failure would start
 * another retry chain and their number would double at each attempt.
 */
final class StompLink {

    private static final Logger log = LoggerFactory.getLogger(StompLink.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    /** Upper bound of the backoff: a restarted broker is found again within a few seconds. */
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);
    /**
     * A broker that accepts TCP but never answers CONNECT would otherwise hold the link forever:
     * STOMP heartbeats only start once the broker has answered.
     */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** Told of every change of a link; called outside the link's lock. */
    interface Watcher {

        void connected(StompLink link);

        void failed(StompLink link, String cause);
    }

    private final String name;
    private final RelayNodes nodes;
    private final StompHeaders connectHeaders;
    private final TaskScheduler scheduler;
    private final Consumer<StompSession> onConnected;
    private final Watcher watcher;

    private final Object lock = new Object();
    /** Number of the current connect attempt; bumped at each connect and at each failure. Guarded by lock. */
    private long attempt;
    private boolean running;
    private Duration nextRetry = FIRST_RETRY;
    /** Index of the node the current or next attempt goes to. Guarded by lock. */
    private int node;
    /** The last ERROR frame of the broker on the current attempt, to say why it closed. Guarded by lock. */
    private String brokerError;
    private volatile StompSession session;

    StompLink(String name, RelayNodes nodes, StompHeaders connectHeaders, TaskScheduler scheduler,
            Consumer<StompSession> onConnected, Watcher watcher) {
        this.name = name;
        this.nodes = nodes;
        this.connectHeaders = connectHeaders;
        this.scheduler = scheduler;
        this.onConnected = onConnected;
        this.watcher = watcher;
    }

    String name() {
        return name;
    }

    /** The node this link is connected to, or is trying next. */
    BrokerSettings.Address node() {
        synchronized (lock) {
            return nodes.get(node).address();
        }
    }

    void start() {
        synchronized (lock) {
            running = true;
        }
        connect();
    }

    void stop() {
        StompSession current;
        synchronized (lock) {
            running = false;
            attempt++;
            current = session;
            session = null;
        }
        if (current != null && current.isConnected()) {
            try {
                current.disconnect();
            } catch (RuntimeException alreadyGone) {
                // nothing to do: the connection is closing anyway
            }
        }
    }

    /** The live session, or null while disconnected. */
    StompSession session() {
        StompSession current = session;
        return current != null && current.isConnected() ? current : null;
    }

    boolean isConnected() {
        return session() != null;
    }

    private void connect() {
        long current;
        RelayNodes.Node target;
        synchronized (lock) {
            if (!running || session != null) {
                return;
            }
            current = ++attempt;
            brokerError = null;
            target = nodes.get(node);
        }
        log.debug("broker.link_connecting link={} node={} attempt={}", name, target.address(), current);
        try {
            target.client().connectAsync(connectHeaders, new Handler(current)).whenComplete((connected, failure) -> {
                if (failure != null) {
                    failed(current, failure);
                }
            });
        } catch (RuntimeException refused) {
            failed(current, refused);
            return;
        }
        scheduler.schedule(() -> {
            synchronized (lock) {
                if (current != attempt || session != null) {
                    return;
                }
            }
            failed(current, new TimeoutException("no CONNECTED frame within " + CONNECT_TIMEOUT.toSeconds() + " s"));
        }, Instant.now().plus(CONNECT_TIMEOUT));
    }

    private void connected(long current, StompSession connected) {
        boolean stale;
        synchronized (lock) {
            stale = current != attempt || !running;
            if (!stale) {
                session = connected;
                nextRetry = FIRST_RETRY;
            }
        }
        if (stale) {
            // an attempt given up (timed out, or the link stopped) that connected after all
            try {
                connected.disconnect();
            } catch (RuntimeException alreadyGone) {
                // nothing to do
            }
            return;
        }
        log.debug("broker.link_connected link={} node={} attempt={}", name, node(), current);
        onConnected.accept(connected);
        watcher.connected(this);
    }

    private void failed(long current, Throwable cause) {
        Duration delay;
        String reason;
        BrokerSettings.Address from;
        BrokerSettings.Address next;
        boolean lost;
        synchronized (lock) {
            if (current != attempt) {
                return; // already handled, or news of an attempt given up
            }
            attempt++;
            lost = session != null;
            session = null;
            from = nodes.get(node).address();
            reason = from + ": " + cause + (brokerError == null ? "" : " (broker: " + brokerError + ")");
            if (!running) {
                return;
            }
            // the next attempt goes to the next node: a node that went down is left at once
            node = (node + 1) % nodes.size();
            next = nodes.get(node).address();
            delay = nextRetry;
            Duration doubled = nextRetry.multipliedBy(2);
            nextRetry = doubled.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : doubled;
        }
        log.debug("broker.link_retry link={} node={} in={}ms: {}", name, next, delay.toMillis(), reason);
        if (lost && !next.equals(from)) {
            // once per lost connection; the attempts of an outage of every node stay at DEBUG
            log.info("broker.link_failover link={} from={} to={}: {}", name, from, next, reason);
        }
        watcher.failed(this, reason);
        scheduler.schedule(this::connect, Instant.now().plus(delay));
    }

    /** Callbacks of one connect attempt. */
    private final class Handler extends StompSessionHandlerAdapter implements RelayStompClient.AttemptHandler {

        private final long attemptNumber;
        private volatile StompSession created;
        private volatile boolean answered;

        Handler(long attemptNumber) {
            this.attemptNumber = attemptNumber;
        }

        @Override
        public void sessionCreated(StompSession session) {
            created = session;
        }

        @Override
        public void afterConnected(StompSession connected, StompHeaders headers) {
            answered = true;
            connected(attemptNumber, connected);
        }

        @Override
        public void handleTransportError(StompSession failed, Throwable failure) {
            // a failed connect and a lost connection alike
            failed(attemptNumber, failure);
        }

        @Override
        public void handleException(StompSession failed, StompCommand command, StompHeaders headers, byte[] payload,
                Throwable failure) {
            log.warn("broker.frame_failed link={} command={} destination={}: {}", name, command,
                    headers.getDestination(), failure.toString());
        }

        @Override
        public Type getPayloadType(StompHeaders headers) {
            return String.class;
        }

        @Override
        public void handleFrame(StompHeaders headers, Object payload) {
            // an ERROR frame: the broker closes the connection next, and failed() says why
            String error = headers.getFirst("message") + (payload == null ? "" : ": " + payload.toString().strip());
            synchronized (lock) {
                if (attemptNumber == attempt) {
                    brokerError = error;
                }
            }
            log.debug("broker.error link={} attempt={}: {}", name, attemptNumber, error);
            StompSession refused = created;
            if (!answered && refused != null) {
                // CONNECT refused: RabbitMQ would hold the socket open for a while; give up on it now
                failed(attemptNumber, new IllegalStateException("CONNECT refused"));
                try {
                    refused.disconnect();
                } catch (RuntimeException alreadyGone) {
                    // nothing to do: closing anyway
                }
            }
        }
    }
}
