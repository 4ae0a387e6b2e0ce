package io.chat.fanout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.simp.stomp.StompSession;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * Per-chat routing in relay mode: one queue per instance, bound to the routing key of each chat the
 * instance serves. The queue is declared and the bindings are added and removed over an AMQP 0-9-1
 * connection used for nothing else; the events themselves still come through the STOMP subscriber,
 * which consumes that one queue. Why not a STOMP subscription per chat: RabbitMQ's STOMP plugin
 * declares, binds and deletes a queue for each, about 6 ms of the broker's CPU per chat opened and
 * left, and the first socket of a chat waited for it; a binding costs about 0.5 ms to add and as
 * much to remove (docs/benchmarks.md, "Per-chat routing"). A chat stays bound for
 * {@code chat.broker.relay.binding-linger} after its last local session leaves, so a reconnect or
 * a page reload costs the broker nothing.
 *
 * <p>The queue is auto-deleted: when the subscriber's STOMP connection goes, so do the queue and
 * its bindings, and each new subscriber session gets a new queue, bound to every chat still wanted,
 * before it consumes it. The AMQP connection goes to the node the subscriber is connected to, so
 * that the queue lives where its consumer is and both fail over together.
 *
 * <p>Threads: every AMQP call runs on one thread of its own: the client allows one call at a time
 * per channel anyway, and callers never wait for the broker (they get a future). Bindings asked for
 * while the thread is busy are made together, each without waiting for its answer, then confirmed
 * by one call that RabbitMQ answers after all of them.
 */
final class RelayBindings {

    private static final Logger log = LoggerFactory.getLogger(RelayBindings.class);
    /** Where RabbitMQ's STOMP plugin publishes {@code /topic/} destinations. */
    private static final String EXCHANGE = "amq.topic";
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);
    /** A queue whose STOMP consumer never came (its session lost on the way) is deleted after this. */
    private static final int UNUSED_QUEUE_EXPIRES_MILLIS = 60_000;
    private static final CompletableFuture<Void> ROUTED = CompletableFuture.completedFuture(null);

    /** What the bindings need of the relay's subscriber link. */
    interface Subscriber {

        /**
         * Consumes the queue on the session; {@code confirmed} runs once the broker answered.
         *
         * @return the subscription, or null when the session is lost (a new one rebuilds everything)
         */
        StompSession.Subscription consume(StompSession session, String queue, Runnable confirmed);

        /** Routing was rebuilt on a new queue: events of the meantime must be read from the database. */
        void rebuilt();

        /** Bindings cannot be made: the relay is down until the next rebuild. */
        void failed(String cause);
    }

    private final ConnectionFactory factory;
    private final RelayQueueNames names;
    private final ChatEventCodec codec;
    private final Duration linger;
    private final String connectionName;
    private final UnaryOperator<BrokerSettings.Address> amqpNodeOf;
    private final Subscriber subscriber;
    private final ScheduledExecutorService worker;

    /** Chats with a local session. */
    private final Set<Long> wanted = ConcurrentHashMap.newKeySet();
    /** Chats bound to the queue being consumed: a session opening in one of them need not wait. */
    private final Set<Long> routed = ConcurrentHashMap.newKeySet();
    /** Bindings asked for and not made yet, with the future their callers wait on. */
    private final ConcurrentMap<Long, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    /** Whether the queue is bound and consumed, so that new bindings can be made on it. */
    private volatile boolean ready;

    // confined to the worker thread
    private Connection connection;
    private BrokerSettings.Address connectedTo;
    private Channel channel;
    private StompSession session;
    private BrokerSettings.Address sessionNode;
    private StompSession.Subscription consuming;
    /** Written on the worker thread; read by health and tests. */
    private volatile String queue;
    private Set<Long> bound = new HashSet<>();
    /** Chats whose last local session left, with when: unbound once they have lingered long enough. */
    private final Map<Long, Long> released = new HashMap<>();
    private Duration nextRetry = FIRST_RETRY;
    /** Bumped by every new subscriber session and every failure: a retry of an older one is dropped. */
    private long attempt;

    /**
     * @param factory credentials and virtual host set; the host and port are set here per node
     * @param amqpNodeOf the AMQP listener of the node whose STOMP listener is given
     */
    RelayBindings(ConnectionFactory factory, RelayQueueNames names, ChatEventCodec codec, Duration linger,
            String connectionName, UnaryOperator<BrokerSettings.Address> amqpNodeOf, Subscriber subscriber) {
        this.factory = factory;
        this.names = names;
        this.codec = codec;
        this.linger = linger;
        this.connectionName = connectionName;
        this.amqpNodeOf = amqpNodeOf;
        this.subscriber = subscriber;
        factory.setAutomaticRecoveryEnabled(false); // recovery follows the subscriber's node: see rebuild
        factory.setTopologyRecoveryEnabled(false);
        this.worker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "relay-bindings");
            thread.setDaemon(true);
            return thread;
        });
        long sweep = Math.max(100, linger.toMillis() / 2);
        worker.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    /**
     * Routes the chat's events to this instance.
     *
     * @return completes once events published from now on reach the queue; at once when the chat is
     *     bound already, or when routing is being rebuilt (which binds it, then has every chat
     *     compared with the database)
     */
    CompletableFuture<Void> bind(long chatId) {
        wanted.add(chatId);
        if (routed.contains(chatId) || !ready) {
            return ROUTED;
        }
        CompletableFuture<Void> binding = pending.computeIfAbsent(chatId, id -> new CompletableFuture<>());
        if (drainQueued.compareAndSet(false, true)) {
            execute(this::drain);
        }
        return binding;
    }

    /** The chat's last local session left: it is unbound once it has lingered. */
    void release(long chatId) {
        wanted.remove(chatId);
        execute(() -> released.put(chatId, System.nanoTime()));
    }

    /** A new subscriber session: a new queue, bound to every chat still wanted, then consumed. */
    void subscriberConnected(StompSession newSession, BrokerSettings.Address node) {
        execute(() -> {
            session = newSession;
            sessionNode = node;
            consuming = null; // went with the old session
            attempt++;
            rebuild();
        });
    }

    boolean isReady() {
        return ready;
    }

    /** Chats bound to the instance's queue, lingering ones included. */
    int boundCount() {
        return routed.size();
    }

    /** The queue being consumed, or null before the first. */
    String queue() {
        return queue;
    }

    void stop() {
        ready = false;
        worker.shutdownNow();
        Connection current = connection;
        if (current != null) {
            try {
                current.close(1000);
            } catch (IOException | RuntimeException alreadyGone) {
                // closing anyway
            }
        }
    }

    private void execute(Runnable task) {
        try {
            worker.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            pending.values().forEach(binding -> binding.complete(null));
        }
    }

    private void rebuild() {
        ready = false;
        routed.clear();
        StompSession current = session;
        if (current == null || !current.isConnected()) {
            completePending();
            return; // the subscriber link reconnects, and calls again
        }
        try {
            Channel open = openChannel();
            String fresh = names.chats();
            open.queueDeclare(fresh, false, false, true, Map.of("x-expires", UNUSED_QUEUE_EXPIRES_MILLIS));
            Set<Long> toBind = new HashSet<>(wanted);
            long now = System.nanoTime();
            released.forEach((chatId, since) -> {
                if (now - since < linger.toNanos()) {
                    toBind.add(chatId);
                }
            });
            bindAll(open, fresh, toBind);
            StompSession.Subscription previous = consuming;
            queue = fresh;
            bound = toBind;
            consuming = subscriber.consume(current, fresh, () -> execute(() -> confirmed(current, fresh)));
            if (previous != null) {
                unsubscribeQuietly(previous); // its queue goes with it; the catch-up fills the gap
            }
            log.debug("broker.bindings_rebuilt queue={} chats={}", fresh, toBind.size());
        } catch (IOException | TimeoutException | RuntimeException failure) {
            broken(failure);
        }
    }

    private void confirmed(StompSession confirmedSession, String confirmedQueue) {
        if (confirmedSession != session || !confirmedQueue.equals(queue) || !confirmedSession.isConnected()) {
            return;
        }
        routed.addAll(bound);
        ready = true;
        nextRetry = FIRST_RETRY;
        completePending();
        subscriber.rebuilt();
    }

    private Channel openChannel() throws IOException, TimeoutException {
        BrokerSettings.Address node = amqpNodeOf.apply(sessionNode);
        if (connection == null || !connection.isOpen() || !node.equals(connectedTo)) {
            closeConnection();
            factory.setHost(node.host());
            factory.setPort(node.port());
            Connection opened = factory.newConnection(connectionName);
            opened.addShutdownListener(cause -> {
                if (!cause.isInitiatedByApplication()) {
                    execute(() -> lost(opened, cause));
                }
            });
            connection = opened;
            connectedTo = node;
            channel = null;
        }
        if (channel == null || !channel.isOpen()) {
            channel = connection.createChannel();
        }
        return channel;
    }

    /** Binds each chat without waiting, then waits once: RabbitMQ answers a channel's calls in order. */
    private void bindAll(Channel open, String target, Set<Long> chats) throws IOException {
        for (long chatId : chats) {
            open.queueBindNoWait(target, EXCHANGE, codec.routingKey(chatId), null);
        }
        open.queueDeclarePassive(target);
    }

    private void drain() {
        drainQueued.set(false);
        if (!ready || channel == null || !channel.isOpen()) {
            completePending(); // the rebuild under way binds them
            return;
        }
        List<Long> chats = new ArrayList<>(pending.keySet());
        Set<Long> fresh = new HashSet<>();
        for (long chatId : chats) {
            if (!bound.contains(chatId)) {
                fresh.add(chatId);
            }
        }
        try {
            bindAll(channel, queue, fresh);
        } catch (IOException | RuntimeException failure) {
            broken(failure);
            return;
        }
        bound.addAll(fresh);
        for (long chatId : chats) {
            routed.add(chatId);
            CompletableFuture<Void> binding = pending.remove(chatId);
            if (binding != null) {
                binding.complete(null);
            }
        }
    }

    /** Unbinds the chats that lingered long enough without a local session. */
    private void sweep() {
        long now = System.nanoTime();
        List<Long> expired = new ArrayList<>();
        released.entrySet().removeIf(entry -> {
            if (now - entry.getValue() >= linger.toNanos()) {
                expired.add(entry.getKey());
                return true;
            }
            return false;
        });
        for (long chatId : expired) {
            // taken out first, then wanted checked: a bind() in between either sees it still routed
            // (and then wanted is seen here) or binds it again
            routed.remove(chatId);
            if (wanted.contains(chatId)) {
                routed.add(chatId);
                continue;
            }
            if (!bound.remove(chatId) || !ready || channel == null || !channel.isOpen()) {
                continue;
            }
            try {
                channel.queueUnbind(queue, EXCHANGE, codec.routingKey(chatId));
            } catch (IOException | RuntimeException failure) {
                broken(failure);
                return;
            }
        }
    }

    private void lost(Connection which, ShutdownSignalException cause) {
        if (which == connection) {
            broken(cause);
        }
    }

    /** The channel or connection failed: start over on a new queue, after a backoff. */
    private void broken(Throwable failure) {
        boolean wasReady = ready;
        ready = false;
        routed.clear();
        completePending();
        closeConnection();
        String cause = (connectedTo == null ? "" : connectedTo + ": ") + failure;
        if (wasReady) {
            log.debug("broker.bindings_lost: {}", cause);
        }
        subscriber.failed(cause);
        long retry = ++attempt;
        Duration delay = nextRetry;
        Duration doubled = nextRetry.multipliedBy(2);
        nextRetry = doubled.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : doubled;
        worker.schedule(() -> {
            if (retry == attempt) {
                rebuild();
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void completePending() {
        for (Long chatId : new ArrayList<>(pending.keySet())) {
            CompletableFuture<Void> binding = pending.remove(chatId);
            if (binding != null) {
                binding.complete(null);
            }
        }
    }

    private void closeConnection() {
        Connection current = connection;
        connection = null;
        channel = null;
        if (current != null && current.isOpen()) {
            try {
                current.close(1000);
            } catch (IOException | RuntimeException alreadyGone) {
                // closing anyway
            }
        }
    }

    private static void unsubscribeQuietly(StompSession.Subscription subscription) {
        try {
            subscription.unsubscribe();
        } catch (RuntimeException lost) {
            // the session is gone, and the subscription with it
        }
    }
}
