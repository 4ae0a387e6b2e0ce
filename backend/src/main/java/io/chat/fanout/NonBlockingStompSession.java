package io.chat.fanout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.ConnectionHandlingStompSession;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.tcp.TcpConnection;

/**
 * Spring's STOMP session, except that a frame it sends is handed to the connection and not waited
 * for. Spring's session waits, on the calling thread, until each frame is written to the socket
 * (its {@code execute} calls {@code sendAsync(...).get()}): every publish held its sender's thread
 * until the broker connection's event loop got round to the write, and every subscription for a
 * chat new to this instance held the admission's locks as long, a few to tens of milliseconds under
 * load. Frames still leave in the order they were sent (one connection writes them in the order it
 * was handed them); a write that fails is reported to {@code onWriteFailure}, and the connection
 * that failed it is closed, which the link notices and reconnects, restoring its subscriptions and
 * catching every chat up from the database, as after any loss. Writes not done yet are bounded
 * ({@link #MAX_UNWRITTEN}): a broker that stops reading (RabbitMQ's flow control) makes further
 * sends fail at once, as a lost link does, instead of piling up in memory; other instances then
 * read those events from the database.
 */
final class NonBlockingStompSession implements ConnectionHandlingStompSession {

    /** Frames handed to the connection and not yet written, past which a send fails at once. */
    static final int MAX_UNWRITTEN = 10_000;

    private final ConnectionHandlingStompSession session;
    private final Consumer<Throwable> onWriteFailure;

    NonBlockingStompSession(ConnectionHandlingStompSession session, Consumer<Throwable> onWriteFailure) {
        this.session = session;
        this.onWriteFailure = onWriteFailure;
    }

    @Override
    public void afterConnected(TcpConnection<byte[]> connection) {
        session.afterConnected(new HandOffConnection(connection));
    }

    /** A connection whose sends return at once; their outcome is watched, not awaited. */
    private final class HandOffConnection implements TcpConnection<byte[]> {

        private final TcpConnection<byte[]> connection;
        private final AtomicInteger unwritten = new AtomicInteger();

        HandOffConnection(TcpConnection<byte[]> connection) {
            this.connection = connection;
        }

        @Override
        public CompletableFuture<Void> sendAsync(Message<byte[]> message) {
            if (unwritten.incrementAndGet() > MAX_UNWRITTEN) {
                unwritten.decrementAndGet();
                return CompletableFuture.failedFuture(
                        new IllegalStateException(MAX_UNWRITTEN + " frames not yet written to the broker"));
            }
            connection.sendAsync(message).whenComplete((sent, failure) -> {
                unwritten.decrementAndGet();
                if (failure != null) {
                    onWriteFailure.accept(failure);
                    connection.close();
                }
            });
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onReadInactivity(Runnable runnable, long duration) {
            connection.onReadInactivity(runnable, duration);
        }

        @Override
        public void onWriteInactivity(Runnable runnable, long duration) {
            connection.onWriteInactivity(runnable, duration);
        }

        @Override
        public void close() {
            connection.close();
        }
    }

    @Override
    public CompletableFuture<StompSession> getSession() {
        return session.getSession();
    }

    @Override
    public String getSessionId() {
        return session.getSessionId();
    }

    @Override
    public StompHeaderAccessor getConnectHeaders() {
        return session.getConnectHeaders();
    }

    @Override
    public boolean isConnected() {
        return session.isConnected();
    }

    @Override
    public void setAutoReceipt(boolean enabled) {
        session.setAutoReceipt(enabled);
    }

    @Override
    public Receiptable send(String destination, Object payload) {
        return session.send(destination, payload);
    }

    @Override
    public Receiptable send(StompHeaders headers, Object payload) {
        return session.send(headers, payload);
    }

    @Override
    public Subscription subscribe(String destination, StompFrameHandler handler) {
        return session.subscribe(destination, handler);
    }

    @Override
    public Subscription subscribe(StompHeaders headers, StompFrameHandler handler) {
        return session.subscribe(headers, handler);
    }

    @Override
    public Receiptable acknowledge(String messageId, boolean consumed) {
        return session.acknowledge(messageId, consumed);
    }

    @Override
    public Receiptable acknowledge(StompHeaders headers, boolean consumed) {
        return session.acknowledge(headers, consumed);
    }

    @Override
    public void disconnect() {
        session.disconnect();
    }

    @Override
    public void disconnect(StompHeaders headers) {
        session.disconnect(headers);
    }

    @Override
    public void afterConnectFailure(Throwable failure) {
        session.afterConnectFailure(failure);
    }

    @Override
    public void handleMessage(Message<byte[]> message) {
        session.handleMessage(message);
    }

    @Override
    public void handleFailure(Throwable failure) {
        session.handleFailure(failure);
    }

    @Override
    public void afterConnectionClosed() {
        session.afterConnectionClosed();
    }
}
