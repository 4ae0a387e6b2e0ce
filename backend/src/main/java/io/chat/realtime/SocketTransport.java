package io.chat.realtime;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import org.apache.tomcat.websocket.PreEncodedFrames;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;

/**
 * A session's socket as {@link SessionOutbox} writes to it: the container's asynchronous sends.
 * On Tomcat, frames go out as the bytes encoded once for all recipients ({@link PreEncodedFrames});
 * on any other container, through the standard asynchronous API (encoded per send, and pings
 * through the blocking API, which such containers are not known to block on).
 */
final class SocketTransport implements SessionOutbox.Transport {

    /** Tomcat's per-session setting for writes that do block: the close frame. */
    static final String BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    private final RemoteEndpoint.Async remote;
    private final boolean preEncoded;
    private final RealtimeMetrics metrics;

    SocketTransport(WebSocketSession socket, long blockingSendTimeoutMillis, RealtimeMetrics metrics) {
        this.metrics = metrics;
        Session nativeSession = ((NativeWebSocketSession) socket).getNativeSession(Session.class);
        this.remote = nativeSession.getAsyncRemote();
        this.preEncoded = PreEncodedFrames.supports(remote);
        // a close frame waits behind a write the client is not reading for at most this long; then
        // the container gives up and drops the connection
        nativeSession.getUserProperties().put(BLOCKING_SEND_TIMEOUT, blockingSendTimeoutMillis);
    }

    @Override
    public void sendText(OutboundFrame frame, Consumer<Throwable> done) {
        ByteBuffer utf8 = frame.utf8().duplicate(); // the buffer is shared by every recipient
        SendHandler handler = result -> {
            if (result.isOK()) {
                metrics.written(frame);
            }
            done.accept(result.isOK() ? null : result.getException());
        };
        if (preEncoded) {
            PreEncodedFrames.sendText(remote, utf8, handler);
        } else {
            remote.sendText(StandardCharsets.UTF_8.decode(utf8.duplicate()).toString(), handler);
        }
    }

    @Override
    public void sendPing(Consumer<Throwable> done) {
        if (preEncoded) {
            PreEncodedFrames.sendPing(remote, result -> done.accept(result.isOK() ? null : result.getException()));
            return;
        }
        try {
            remote.sendPing(ByteBuffer.allocate(0));
            done.accept(null);
        } catch (java.io.IOException failure) {
            done.accept(failure);
        }
    }
}
