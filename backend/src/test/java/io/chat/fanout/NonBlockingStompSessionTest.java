package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.ConnectionHandlingStompSession;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.tcp.TcpConnection;

/** Frames go to the broker connection without their sender waiting for the write, and never pile up without bound. */
class NonBlockingStompSessionTest {

    private final List<CompletableFuture<Void>> writes = new ArrayList<>();
    private final AtomicInteger closes = new AtomicInteger();
    private final List<Throwable> failures = new ArrayList<>();
    private final AtomicReference<TcpConnection<byte[]>> handedToSpring = new AtomicReference<>();

    @Test
    void aSendReturnsBeforeItsWriteIsDone() {
        TcpConnection<byte[]> connection = connect();
        CompletableFuture<Void> sent = connection.sendAsync(frame());
        assertThat(sent).isCompleted();
        assertThat(writes).hasSize(1).allMatch(write -> !write.isDone());
    }

    @Test
    void aFailedWriteIsReportedAndClosesTheConnection() {
        TcpConnection<byte[]> connection = connect();
        connection.sendAsync(frame());
        writes.get(0).completeExceptionally(new IllegalStateException("broken pipe"));
        assertThat(failures).hasSize(1);
        assertThat(closes).hasValue(1);
    }

    @Test
    void sendsFailAtOnceWhileTooManyWritesAreUnfinishedAndGoAgainOnceTheyFinish() {
        TcpConnection<byte[]> connection = connect();
        for (int i = 0; i < NonBlockingStompSession.MAX_UNWRITTEN; i++) {
            assertThat(connection.sendAsync(frame())).isCompleted();
        }
        assertThat(connection.sendAsync(frame())).isCompletedExceptionally();
        assertThat(writes).hasSize(NonBlockingStompSession.MAX_UNWRITTEN);
        writes.get(0).complete(null);
        assertThat(connection.sendAsync(frame())).isCompleted().isNotCompletedExceptionally();
    }

    /** Connects a session over a connection whose writes finish when the test says. */
    private TcpConnection<byte[]> connect() {
        ConnectionHandlingStompSession spring = (ConnectionHandlingStompSession) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ConnectionHandlingStompSession.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("afterConnected")) {
                        @SuppressWarnings("unchecked")
                        TcpConnection<byte[]> connection = (TcpConnection<byte[]>) args[0];
                        handedToSpring.set(connection);
                    }
                    return null;
                });
        TcpConnection<byte[]> socket = new TcpConnection<>() {
            @Override
            public CompletableFuture<Void> sendAsync(Message<byte[]> message) {
                CompletableFuture<Void> write = new CompletableFuture<>();
                writes.add(write);
                return write;
            }

            @Override
            public void onReadInactivity(Runnable runnable, long duration) {
            }

            @Override
            public void onWriteInactivity(Runnable runnable, long duration) {
            }

            @Override
            public void close() {
                closes.incrementAndGet();
            }
        };
        new NonBlockingStompSession(spring, failures::add).afterConnected(socket);
        return handedToSpring.get();
    }

    private static Message<byte[]> frame() {
        return MessageBuilder.withPayload(new byte[] {1}).build();
    }
}
