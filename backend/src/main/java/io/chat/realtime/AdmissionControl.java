package io.chat.realtime;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Where new sockets are admitted: a few threads of their own, off the web server's, so that the
 * database round trips of a burst of opens never hold a thread that reads the frames of sockets
 * already open. Bounded by time rather than by count: an open that could not be admitted within
 * {@link #BUDGET} is refused at once with 1013 {@code Try again later} (the client retries after a
 * random, doubling delay) instead of queueing behind the others until every one of them times out.
 *
 * <p>How many opens fit in the budget is measured, not configured: each admission step's time is
 * averaged (it grows when the CPU or the database is busy), and an open is let in while the steps
 * already waiting would be done, by the pool's threads, within three quarters of the budget (the
 * rest is the open's own step and the greeting). A stall that the average cannot see yet (the
 * database stopped answering) shows as an open that has waited half the budget: new ones are then
 * refused at once. One that waited past the budget all the same is refused when its turn comes.
 */
@Component
class AdmissionControl implements DisposableBean {

    /** The longest an open may wait to be admitted (PROTOCOL.md: refused beyond 2 s). */
    static final Duration BUDGET = Duration.ofSeconds(2);
    /** However slow the steps were lately, this many may wait: a few slow steps must not refuse everyone. */
    private static final int MIN_WAITING = 32;
    /** Weight of the newest step in the average: about the last ten steps count. */
    private static final double NEWEST = 0.1;
    /** What a step is taken to cost before any was measured. */
    private static final long FIRST_GUESS_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final ThreadPoolExecutor executor;
    private final int threads;
    private final long budgetNanos;
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile double stepNanos = FIRST_GUESS_NANOS;

    @Autowired
    AdmissionControl(WebSocketSettings settings) {
        this(settings.admissionThreads(), BUDGET);
    }

    AdmissionControl(int threads, Duration budget) {
        this.threads = threads;
        this.budgetNanos = budget.toNanos();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new CustomizableThreadFactory("chat-admission-"));
    }

    /** A step and when it was queued: the queue's head tells how long opens are waiting now. */
    private record Queued(Runnable step, long queuedAt) implements Runnable {

        @Override
        public void run() {
            step.run();
        }
    }

    /**
     * Queues the first step of an open, unless more are waiting than the budget allows.
     *
     * @param late runs instead of the step when its turn came after the budget had passed
     * @return false when the open must be refused now (nothing was queued)
     */
    boolean tryAdmit(Runnable step, Runnable late) {
        long now = System.nanoTime();
        if (waiting.get() >= limit() || now - oldestQueuedAt(now) > budgetNanos / 2) {
            return false;
        }
        run(() -> {
            if (System.nanoTime() - now > budgetNanos) {
                late.run();
            } else {
                step.run();
            }
        }, now);
        return true;
    }

    private long oldestQueuedAt(long now) {
        return executor.getQueue().peek() instanceof Queued head ? head.queuedAt() : now;
    }

    /** Runs a later step of an open already admitted (after a probe): never refused. */
    Executor steps() {
        return step -> run(step, System.nanoTime());
    }

    /** Opens that may wait now. */
    int limit() {
        double fits = threads * (budgetNanos * 0.75) / stepNanos;
        return (int) Math.max(MIN_WAITING, Math.min(Integer.MAX_VALUE, fits));
    }

    int waiting() {
        return waiting.get();
    }

    private void run(Runnable step, long queuedAt) {
        waiting.incrementAndGet();
        executor.execute(new Queued(() -> {
            waiting.decrementAndGet();
            long started = System.nanoTime();
            try {
                step.run();
            } finally {
                long took = System.nanoTime() - started;
                stepNanos = stepNanos + NEWEST * (took - stepNanos);
            }
        }, queuedAt));
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
