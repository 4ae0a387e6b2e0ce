package org.apache.tomcat.websocket;

import java.nio.ByteBuffer;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;

/**
 * Sends a text frame whose UTF-8 bytes are already encoded, and pings, without blocking, through
 * Tomcat's own frame writer.
 *
 * <p>Why this class lives in Tomcat's package: the WebSocket API sends text only as a
 * {@code String}, which Tomcat encodes again for every recipient, and pings only by blocking. The
 * chat server encodes each event once and gives the same bytes to every socket of the chat, and
 * must never block a shared thread on one socket. Tomcat's {@code startMessage} does exactly that
 * but is package-private, so this bridge reaches it from the same package (a plain classpath
 * arrangement: the server's classes and Tomcat's share one class loader). It relies on Tomcat
 * internals: a Tomcat upgrade that changes them fails the build here, and {@link #supports} lets
 * callers fall back to the standard API for any other endpoint.
 */
public final class PreEncodedFrames {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private PreEncodedFrames() {
    }

    /** Whether the endpoint is Tomcat's, which this bridge can drive. */
    public static boolean supports(RemoteEndpoint.Async remote) {
        return remote instanceof WsRemoteEndpointBase;
    }

    /**
     * Starts sending one whole text frame; the handler runs once it is written (possibly at once,
     * on the calling thread). At most one text frame may be in flight per session: the caller waits
     * for the handler before the next.
     *
     * @param utf8 the frame's payload, valid UTF-8; not modified (a duplicate is read)
     */
    public static void sendText(RemoteEndpoint.Async remote, ByteBuffer utf8, SendHandler handler) {
        base(remote).startMessage(Constants.OPCODE_TEXT, utf8.duplicate(), true, handler);
    }

    /** Starts sending a ping with an empty payload; Tomcat slots it between frames already queued. */
    public static void sendPing(RemoteEndpoint.Async remote, SendHandler handler) {
        base(remote).startMessage(Constants.OPCODE_PING, EMPTY.duplicate(), true, handler);
    }

    private static WsRemoteEndpointImplBase base(RemoteEndpoint.Async remote) {
        return ((WsRemoteEndpointBase) remote).base;
    }
}
