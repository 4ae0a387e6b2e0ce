package io.chat.realtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.springframework.web.socket.CloseStatus;

/**
 * The outbound path of one socket, owned by that socket: frames queue here, and one write at a time
 * goes to the socket asynchronously. No thread ever waits on this socket: the thread that queues a
 * frame starts the write if none is under way and returns (the write may complete at once, on that
 * thread, when the socket has room); otherwise the completion of the write under way starts the
 * next. So a client that does not read holds up nobody but itself.
 *
 * <p>A client that lets more than {@code limitBytes} pile up (queued and in flight) is closed with
 * 1013, and what it had not received yet is dropped: it reconnects with recovery. Closing is handed
 * to the {@link Closer}, since a close frame may have to wait behind a write the client is not
 * reading; frames queued after a close are dropped.
 */
final class SessionOutbox {

    /** The socket itself, as this outbox drives it. */
    interface Transport {

        /** Starts writing one text frame; {@code done} runs when written (maybe at once, on this thread), with the failure if any. */
        void sendText(OutboundFrame frame, Consumer<Throwable> done);

        /** Starts writing a ping; it does not wait for frames queued here. */
        void sendPing(Consumer<Throwable> done);
    }

    /** Closes the socket where waiting for the close frame to go out can hold up no one else. */
    interface Closer {

        void close(CloseStatus status);

        /** Runs the task after the delay, unless the outbox ran it first (it is idempotent). */
        void later(Duration delay, Runnable task);
    }

    /** Told of what goes wrong, once each: the session logs it and closes the socket. */
    interface Trouble {

        /** The client fell more than the limit behind; the outbox closes it with 1013 next. */
        void overflowed(long pendingBytes);

        /** A write failed; the outbox closes the socket with 1011 next. */
        void writeFailed(Throwable failure);
    }

    private final Transport transport;
    private final Closer closer;
    private final long limitBytes;
    private final Duration closeWait;
    private final Trouble trouble;

    // Guarded by this.
    private final ArrayDeque<OutboundFrame> queue = new ArrayDeque<>();
    private long pendingBytes;
    private boolean writing;
    private boolean closing;
    /** A close waiting for the write under way to complete, so that its frame can follow; null otherwise. */
    private CloseStatus pendingClose;

    /**
     * @param closeWait how long a close waits for the write under way (one the client is not
     *     reading) before the socket is closed anyway, its close frame then stuck behind that write
     */
    SessionOutbox(Transport transport, Closer closer, long limitBytes, Duration closeWait, Trouble trouble) {
        this.transport = transport;
        this.closer = closer;
        this.limitBytes = limitBytes;
        this.closeWait = closeWait;
        this.trouble = trouble;
    }

    /**
     * Queues a frame without writing it: the caller then calls {@link #flush()}, outside whatever
     * lock it holds, when this returns true.
     *
     * @return true when no write is under way, so the caller must start one with {@link #flush()}
     */
    boolean enqueue(OutboundFrame frame) {
        long behind;
        synchronized (this) {
            if (closing) {
                return false;
            }
            if (pendingBytes + frame.size() <= limitBytes) {
                pendingBytes += frame.size();
                queue.add(frame);
                return !writing;
            }
            behind = pendingBytes + frame.size();
        }
        trouble.overflowed(behind);
        close(CloseCodes.TOO_SLOW);
        return false;
    }

    /** Queues a frame and starts writing it if the socket is idle. */
    void send(OutboundFrame frame) {
        if (enqueue(frame)) {
            flush();
        }
    }

    /** Starts writing what is queued, unless a write is under way (its completion goes on). */
    void flush() {
        synchronized (this) {
            if (writing || queue.isEmpty() || closing) {
                return;
            }
            writing = true;
        }
        writeQueued();
    }

    /**
     * Writes queued frames one after the other, on this thread for as long as each write completes at
     * once; a write that has to wait for the client continues from its completion instead.
     */
    private void writeQueued() {
        while (true) {
            OutboundFrame next;
            synchronized (this) {
                next = closing ? null : queue.poll();
                if (next == null) {
                    writing = false;
                }
            }
            if (next == null) {
                closeIfPending();
                return;
            }
            Completion completion = new Completion(next.size());
            try {
                transport.sendText(next, completion);
            } catch (RuntimeException failure) {
                completion.accept(failure);
            }
            if (!completion.continuesLater()) {
                if (completion.failed) {
                    return;
                }
                continue; // written at once: the next one, here
            }
            return;
        }
    }

    /** Starts a ping unless the socket is closing; a failed ping is left to the keep-alive's timeout. */
    void ping() {
        synchronized (this) {
            if (closing) {
                return;
            }
        }
        try {
            transport.sendPing(failure -> {
            });
        } catch (RuntimeException failure) {
            // the socket is going away; the keep-alive's timeout or the container's close ends it
        }
    }

    /**
     * Drops what is queued, stops writing, and has the socket closed with this status (once). A
     * write under way is let finish first, so that the close frame follows it rather than being
     * stuck behind it: a slow client that reads again gets its 1013; one that never does is closed
     * after {@code closeWait} anyway.
     */
    void close(CloseStatus status) {
        boolean now;
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            queue.clear();
            now = !writing;
            if (!now) {
                pendingClose = status;
            }
        }
        if (now) {
            closer.close(status);
        } else {
            closer.later(closeWait, this::closeIfPending);
        }
    }

    private void closeIfPending() {
        CloseStatus status;
        synchronized (this) {
            status = pendingClose;
            pendingClose = null;
        }
        if (status != null) {
            closer.close(status);
        }
    }

    /** The socket is gone (closed by either side): nothing more is written. */
    void closed() {
        synchronized (this) {
            closing = true;
            queue.clear();
        }
    }

    /** Whether a close was asked for (or the socket is gone): a closing socket is no longer anyone's live connection. */
    synchronized boolean isClosing() {
        return closing;
    }

    synchronized long pendingBytes() {
        return pendingBytes;
    }

    /**
     * The end of one write. If it ran before {@code sendText} returned, the loop in
     * {@link #writeQueued()} goes on; otherwise this continues with the next frame itself.
     */
    private final class Completion implements Consumer<Throwable> {

        private static final int RUNNING = 0;
        private static final int DONE_AT_ONCE = 1;
        private static final int LATER = 2;

        private final int size;
        private final AtomicInteger state = new AtomicInteger(RUNNING);
        private volatile boolean failed;

        Completion(int size) {
            this.size = size;
        }

        @Override
        public void accept(Throwable failure) {
            synchronized (SessionOutbox.this) {
                pendingBytes -= size;
            }
            if (failure != null) {
                failed = true;
                boolean first;
                synchronized (SessionOutbox.this) {
                    first = !closing;
                    writing = false; // nothing more will be written: a close need not wait
                }
                if (first) {
                    trouble.writeFailed(failure);
                    close(CloseCodes.SERVER_ERROR);
                }
            }
            if (!state.compareAndSet(RUNNING, DONE_AT_ONCE) && failure == null) {
                writeQueued(); // the next frame, or the close that waited for this write
            }
        }

        /** Called once after {@code sendText} returned: true when the completion will come later. */
        boolean continuesLater() {
            return state.compareAndSet(RUNNING, LATER);
        }
    }
}
