package io.chat.realtime;

import java.util.concurrent.TimeUnit;

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
 */
final class InlineSendCompletionExecutor extends ThreadPoolExecutor {

    /** The task {@code WsRemoteEndpointImplServer.clearHandler} gives the executor for a completed write. */
    static final String SEND_COMPLETION_TASK =
            "org.apache.tomcat.websocket.server.WsRemoteEndpointImplServer$OnResultRunnable";

    private InlineSendCompletionExecutor(int minThreads, int maxThreads, long idleMillis, TaskQueue queue,
            TaskThreadFactory threads) {
        super(minThreads, maxThreads, idleMillis, TimeUnit.MILLISECONDS, queue, threads);
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
        super.execute(command);
    }

    static boolean isSendCompletion(Runnable command) {
        return SEND_COMPLETION_TASK.equals(command.getClass().getName());
    }
}
