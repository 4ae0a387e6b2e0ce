package io.chat.loadtest.yardstick;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * One socket's frames, queued in the chat's order under the chat's lock and written after it, by
 * whichever thread finds the socket free: a blocking write holds up that one thread, never the
 * chat. Unbounded: the yardstick sets no limits, so a client that stops reading is never closed
 * and its frames pile up here.
 */
final class Outbox {

    private final WebSocketSession session;
    private final Queue<TextMessage> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writing = new ReentrantLock();

    Outbox(WebSocketSession session) {
        this.session = session;
    }

    void add(TextMessage frame) {
        queue.add(frame);
    }

    /** Writes what is queued, unless another thread is writing to this socket (it will write it). */
    void flush() {
        // checked again after the unlock: a frame queued while the writer was finishing is not left behind
        while (!queue.isEmpty() && writing.tryLock()) {
            try {
                TextMessage frame;
                while ((frame = queue.poll()) != null) {
                    session.sendMessage(frame);
                }
            } catch (IOException | RuntimeException gone) {
                queue.clear(); // the socket is closing; its close handler takes it out of the chat
                return;
            } finally {
                writing.unlock();
            }
        }
    }
}
