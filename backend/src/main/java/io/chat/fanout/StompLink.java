package io.chat.fanout;

import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.simp.stomp.ReactorNettyTcpStompClient;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.TaskScheduler;

/**
 * One long-lived STOMP connection to RabbitMQ that heals itself: when it drops, it is opened again
 * with exponential backoff, and {@code onConnected} runs again on the new session (to restore
 * subscriptions). Loss and recovery are logged once each, not per message.
 */
final class StompLink {

    private static final Logger log = LoggerFactory.getLogger(StompLink.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);

    private final String name;
    private final ReactorNettyTcpStompClient client;
    private final StompHeaders connectHeaders;
    private final TaskScheduler scheduler;
    private final Consumer<StompSession> onConnected;

    private volatile StompSession session;
    private volatile boolean running;
    private volatile boolean reportedDown;
    private boolean connecting;
    private Duration nextRetry = FIRST_RETRY;

    StompLink(String name, ReactorNettyTcpStompClient client, StompHeaders connectHeaders, TaskScheduler scheduler,
            Consumer<StompSession> onConnected) {
        this.name = name;
        this.client = client;
        this.connectHeaders = connectHeaders;
        this.scheduler = scheduler;
        this.onConnected = onConnected;
    }

    void start() {
        running = true;
        connect();
    }

    void stop() {
        running = false;
        StompSession current = session;
        session = null;
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

    private synchronized void connect() {
        if (!running || connecting) {
            return;
        }
        connecting = true;
        client.connectAsync(connectHeaders, new Handler()).whenComplete((connected, failure) -> {
            synchronized (this) {
                connecting = false;
            }
            if (failure != null) {
                retryLater(failure);
            }
        });
    }

    private void retryLater(Throwable cause) {
        session = null;
        if (!running) {
            return;
        }
        if (!reportedDown) {
            reportedDown = true;
            log.warn("broker.link_down link={}: {}; events of this instance stay local until it is back "
                    + "(messages are still stored); reconnecting", name, cause.toString());
        }
        Duration delay;
        synchronized (this) {
            delay = nextRetry;
            nextRetry = nextRetry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : nextRetry.multipliedBy(2);
        }
        scheduler.schedule(this::connect, Instant.now().plus(delay));
    }

    private final class Handler extends StompSessionHandlerAdapter {

        @Override
        public void afterConnected(StompSession connected, StompHeaders headers) {
            synchronized (StompLink.this) {
                nextRetry = FIRST_RETRY;
            }
            session = connected;
            onConnected.accept(connected);
            if (reportedDown) {
                reportedDown = false;
                log.info("broker.link_up link={}: connected again, subscriptions restored", name);
            } else {
                log.info("broker.link_up link={}", name);
            }
        }

        @Override
        public void handleTransportError(StompSession failed, Throwable failure) {
            // called for a failed connect and for a lost connection alike
            if (session == failed || session == null) {
                retryLater(failure);
            }
        }

        @Override
        public void handleException(StompSession failed, StompCommand command, StompHeaders headers, byte[] payload,
                Throwable failure) {
            log.warn("broker.frame_failed link={} command={}: {}", name, command, failure.toString());
        }

        @Override
        public Type getPayloadType(StompHeaders headers) {
            return String.class;
        }

        @Override
        public void handleFrame(StompHeaders headers, Object payload) {
            // ERROR frames from the broker; the connection is closed after them and healed by the retry
            log.warn("broker.error link={} message={}", name, headers.getFirst("message"));
        }
    }
}
