package io.chat.realtime;

import java.util.ArrayDeque;

import java.util.concurrent.TimeUnit;

import org.apache.tomcat.util.net.UpgradedSocketTasks;
import org.apache.tomcat.util.threads.TaskQueue;
import org.apache.tomcat.util.threads.TaskThreadFactory;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;

/**
 * Tomcat's connector thread pool, except that the completion of an asynchronous WebSocket write
 * runs on the thread that saw the write complete instead of being handed to the pool.
 *
 * <p>Why: Tomcat hands every asynchronous write's completion to its executor, even a write that
 * finished at once, to keep a sender that writes again from its completion handler from recursing
 * without bound (Tomcat bug 55715). At 10,000 deliveries a second that is 10,000 tasks a second,
 * and in bursts of one event to 200 sockets the pool grows to all its threads, which then spend a
 * third of the server's CPU parking and unparking on the pool's queue. Our only asynchronous writer,
 * {@link SessionOutbox}, never recurses: a completion that arrives while its write is still being
 * started only marks the write done, and the writer's loop goes on to the next frame. So running the
 * completion where the write completed is safe, and costs nothing: the calling thread was about to
 * write the next frame of that socket anyway, or, when the socket had been full, it is already a
 * pool thread that Tomcat dispatched when the socket became writable.
 *
 * <p>Tomcat's completion task is recognised by its class name; a Tomcat that renames it merely has
 * its completions dispatched again, as before ({@code InlineSendCompletionTest} notices).
 *
 * <p>Second, sockets already open come first: at most {@link #MAX_HTTP_LANE} of the pool's threads
 * (and never more than half of them) serve HTTP requests at once (new sockets' upgrades, REST calls); further ones wait in a queue of their
 * own, while frames of open sockets go to the pool at once. Without that, a reconnect storm (the
 * clients of a crashed instance, thousands in a second) took every thread of the pool, and the
 * frames of the sockets already open here waited seconds behind the upgrades. Upgrades beyond what
 * the instance can admit in 2 s are refused by {@code AdmissionControl} once they get through.
 */
final class InlineSendCompletionExecutor extends ThreadPoolExecutor {

    /** The task {@code WsRemoteEndpointImplServer.clearHandler} gives the executor for a completed write. */
    static final String SEND_COMPLETION_TASK =
            "org.apache.tomcat.websocket.server.WsRemoteEndpointImplServer$OnResultRunnable";

    /** Threads that may serve HTTP requests at once: enough for a busy REST API, well under the pool. */
    static final int MAX_HTTP_LANE = 16;

    private final int httpLane;

    /** HTTP requests waiting for the lane; guarded by itself, as is {@code httpRunning}. */
    private final ArrayDeque<Runnable> httpWaiting = new ArrayDeque<>();
    private int httpRunning;

    private InlineSendCompletionExecutor(int minThreads, int maxThreads, long idleMillis, TaskQueue queue,
            TaskThreadFactory threads) {
        super(minThreads, maxThreads, idleMillis, TimeUnit.MILLISECONDS, queue, threads);
        // half of a small pool at most: the other half always reads the frames of open sockets
        this.httpLane = Math.max(1, Math.min(MAX_HTTP_LANE, maxThreads / 2));
    }

    /** A pool set up as Tomcat sets up its own for a connector ({@code AbstractEndpoint.createExecutor}). */
    static InlineSendCompletionExecutor forConnector(String namePrefix, int minThreads, int maxThreads,
            int maxQueueSize, long idleMillis, int priority) {
        TaskQueue queue = new TaskQueue(maxQueueSize);
        TaskThreadFactory threads = new TaskThreadFactory(namePrefix, true, priority);
        InlineSendCompletionExecutor executor =
                new InlineSendCompletionExecutor(minThreads, maxThreads, idleMillis, queue, threads);
        queue.setParent(executor);
        return executor;
    }

    @Override
    public void execute(Runnable command) {
        if (isSendCompletion(command)) {
            command.run();
            return;
        }
        if (UpgradedSocketTasks.servesUpgradedConnection(command)) {
            super.execute(command);
            return;
        }
        synchronized (httpWaiting) {
            if (httpRunning >= httpLane) {
                httpWaiting.add(command);
                return;
            }
            httpRunning++;
        }
        try {
            super.execute(() -> runHttp(command));
        } catch (RuntimeException rejected) {
            synchronized (httpWaiting) {
                httpRunning--;
            }
            throw rejected;
        }
    }

    /** Runs an HTTP request, then those that waited for the lane, until none waits. */
    private void runHttp(Runnable first) {
        Runnable next = first;
        while (next != null) {
            try {
                next.run();
            } finally {
                synchronized (httpWaiting) {
                    next = httpWaiting.poll();
                    if (next == null) {
                        httpRunning--;
                    }
                }
            }
        }
    }

    static boolean isSendCompletion(Runnable command) {
        return SEND_COMPLETION_TASK.equals(command.getClass().getName());
    }
}
