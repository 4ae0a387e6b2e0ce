package org.apache.tomcat.util.net;

import org.apache.coyote.http11.upgrade.UpgradeProcessorBase;

/**
 * Tells a connector task that serves an upgraded connection (a WebSocket: a frame to read, a write
 * that can go on) from one that serves an HTTP request (a new socket's upgrade, a REST call).
 *
 * <p>Why this class lives in Tomcat's package: the task's connection is a protected field of
 * {@code SocketProcessorBase}, read here from the same package (the server's classes and Tomcat's
 * share one class loader, as for {@code org.apache.tomcat.websocket.PreEncodedFrames}). A task of
 * another kind, or a Tomcat whose internals changed, counts as an HTTP request: it is then merely
 * not given priority.
 */
public final class UpgradedSocketTasks {

    private UpgradedSocketTasks() {
    }

    /** Whether the task is a socket event of a connection already upgraded. */
    public static boolean servesUpgradedConnection(Runnable task) {
        if (task instanceof SocketProcessorBase<?> processor) {
            SocketWrapperBase<?> socket = processor.socketWrapper;
            return socket != null && socket.getCurrentProcessor() instanceof UpgradeProcessorBase;
        }
        return false;
    }
}
