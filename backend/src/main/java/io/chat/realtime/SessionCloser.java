package io.chat.realtime;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * Closes sockets on threads of its own. A close frame goes out after the frame the socket is
 * writing, and a client that stopped reading may hold that write for up to
 * {@code chat.websocket.send-time-limit}, after which the container drops the connection; such a
 * wait must not hold up a request thread, the relay or a scheduler. Every close goes through here
 * (expiry, removal, ping timeout, slow client, shutdown), so each of them happens whatever the
 * socket is doing.
 */
@Component
class SessionCloser implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SessionCloser.class);
    /** Closes that may wait at the same time; the rest queue (a mass of stuck clients is closed in waves). */
    private static final int THREADS = 32;

    private final RealtimeMetrics metrics;
    private final ThreadPoolExecutor executor;
    /** Only starts delayed closes on the executor: never runs one itself. */
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
            new CustomizableThreadFactory("chat-closer-timer-"));

    SessionCloser(RealtimeMetrics metrics) {
        this.metrics = metrics;
        executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new CustomizableThreadFactory("chat-closer-"));
        executor.allowCoreThreadTimeOut(true);
    }

    /** A closer for one socket: hands its close to these threads. */
    SessionOutbox.Closer closerOf(WebSocketSession socket) {
        return new SessionOutbox.Closer() {
            @Override
            public void close(CloseStatus status) {
                if (status.getCode() == CloseCodes.TOO_SLOW.getCode()) {
                    metrics.slowClientClosed(); // once per session: its outbox closes once
                }
                executor.execute(() -> SessionCloser.close(socket, status));
            }

            @Override
            public void later(Duration delay, Runnable task) {
                timer.schedule(() -> executor.execute(task), delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        };
    }

    private static void close(WebSocketSession socket, CloseStatus status) {
        try {
            if (socket.isOpen()) {
                socket.close(status);
            }
        } catch (IOException | RuntimeException alreadyGone) {
            log.debug("ws.close_failed session={}: {}", socket.getId(), alreadyGone.toString());
        }
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
        executor.shutdown();
    }
}
