package io.chat.fanout;

import java.lang.reflect.Type;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;

/**
 * Relay fan-out: chat events cross instances through RabbitMQ's STOMP plugin.
 *
 * <p>An instance holds exactly two STOMP connections whatever its number of clients: one publishes,
 * one carries a subscription for each chat that has at least one local session. An event goes to
 * this instance's own sessions directly and, tagged with the instance's id, to the chat's topic; the
 * copy that comes back to its publisher is dropped. So a broker outage costs only live cross-instance
 * fan-out: sends are still stored and acknowledged, local sessions still get them live, and the
 * other instances find them in the database (their feeds compare their chats with it every
 * {@code chat.broker.relay.poll-interval}, and once more when the subscriber link is restored).
 * Publishing never blocks the caller and never fails it.
 *
 * <p>How the subscriber connection subscribes ({@code chat.broker.relay.subscriptions}): per chat
 * (the instance's one queue is bound to each chat it has a session in, or had one in lately: see
 * {@link RelayBindings}, so an instance receives only its chats' events and an open costs the broker
 * one binding at most); or once to every chat ({@code /topic/chat.*}: nothing to do in the broker when
 * sockets open and close, but every instance receives every chat's events, dropping those of chats
 * it has no session in).
 *
 * <p>What an operator sees in RabbitMQ's console: each instance's queue is named after the
 * deployment's prefix and the instance ({@link RelayQueueNames}), its bindings are the routing keys
 * of the instance's chats, and it is auto-deleted, so it goes away with its consumer. Events are
 * tagged with the configured instance id ({@code chat.cluster.instance-id}), the same id that names
 * the queues and the instance's log lines.
 */
final class StompRelayChatEventBus implements ChatEventBus, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StompRelayChatEventBus.class);
    /** The STOMP plugin's SUBSCRIBE header that names the queue of a topic subscription. */
    private static final String QUEUE_NAME = "x-queue-name";

    private final ChatEventListener listener;
    private final String instanceId;
    private final ChatEventCodec codec;
    private final RelayQueueNames queueNames;
    private final StompLink publisher;
    private final StompLink subscriber;
    /** In every-chat mode: chats with a local session; guarded by itself. */
    private final Set<Long> wanted = new HashSet<>();
    /** In per-chat mode: the instance's queue and its bindings; null in every-chat mode. */
    private final RelayBindings bindings;
    private final RelayState state;
    private final boolean everyChat;
    /** In every-chat mode: the one subscription and when it routes; guarded by {@code wanted}. */
    private Subscribed allChats;
    private CompletableFuture<Void> allChatsRouted = CompletableFuture.completedFuture(null);
    private volatile boolean running;
    /** Events not handed to the broker (link down, or the send failed): other instances read them from the database. */
    private final LongAdder publishFailures = new LongAdder();

    /**
     * @param instanceId tags this instance's events so that it can drop its own echo, and names its
     *     queues: instances must not share one
     */
    StompRelayChatEventBus(ChatEventListener listener, String instanceId, String relayAddresses,
            BrokerSettings.Subscriptions subscriptions, ChatEventCodec codec, StompLinkFactory links,
            BindingsFactory bindingsFactory) {
        this.listener = listener;
        this.everyChat = subscriptions == BrokerSettings.Subscriptions.EVERY_CHAT;
        this.instanceId = instanceId;
        this.codec = codec;
        this.queueNames = new RelayQueueNames(codec.prefix(), instanceId);
        this.state = new RelayState(relayAddresses, instanceId, this::isConnected, this::subscriptionCount,
                this::nodes);
        this.publisher = links.link("publisher", session -> {
        }, state);
        this.subscriber = links.link("subscriber", this::restoreSubscriptions, state);
        this.bindings = everyChat ? null : bindingsFactory.bindings(queueNames, new BindingsSubscriber());
    }

    /** Makes the per-chat bindings; a seam that keeps AMQP connection settings out of this class. */
    interface BindingsFactory {
        RelayBindings bindings(RelayQueueNames names, RelayBindings.Subscriber subscriber);
    }

    /** Makes the links; a seam that keeps connection settings out of this class. */
    interface StompLinkFactory {
        StompLink link(String name, Consumer<StompSession> onConnected, StompLink.Watcher watcher);
    }

    /** A subscription and the session that carries it: one made on a lost session must be made again. */
    private record Subscribed(StompSession session, StompSession.Subscription subscription) {
    }

    @Override
    public void publish(ChatEvent event) {
        listener.onEvent(event);
        StompSession session = publisher.session();
        if (session == null) {
            publishFailures.increment();
            return; // logged once by RelayState; other instances read it from the database
        }
        try {
            session.send(codec.headers(event, instanceId), event.frame());
        } catch (RuntimeException lost) {
            publishFailures.increment();
            log.debug("broker.publish_failed chat={}: {}", event.chatId(), lost.toString());
        }
    }

    @Override
    public CompletableFuture<Void> subscribe(long chatId) {
        if (!everyChat) {
            return bindings.bind(chatId);
        }
        synchronized (wanted) {
            wanted.add(chatId);
            StompSession session = subscriber.session();
            return session == null ? CompletableFuture.completedFuture(null) : subscribeToEveryChat(session);
        }
    }

    @Override
    public void unsubscribe(long chatId) {
        if (!everyChat) {
            bindings.release(chatId);
            return;
        }
        synchronized (wanted) {
            wanted.remove(chatId); // the subscription to every chat stays
        }
    }

    boolean isConnected() {
        return publisher.isConnected() && subscriber.isConnected() && (everyChat || bindings.isReady());
    }

    /** In per-chat mode, the queue the instance's chats are bound to (null before the first); else null. */
    String chatsQueue() {
        return everyChat ? null : bindings.queue();
    }

    boolean publisherConnected() {
        return publisher.isConnected();
    }

    boolean subscriberConnected() {
        return subscriber.isConnected();
    }

    /** Events not handed to the broker since the start. */
    long publishFailures() {
        return publishFailures.sum();
    }

    /** Times the relay came back after an outage since the start. */
    long reconnects() {
        return state.restored();
    }

    /** The id this instance tags its events with, as its log lines name it. */
    String origin() {
        return instanceId;
    }

    /** The RabbitMQ node each link is connected to, or is trying next. */
    String nodes() {
        return "publisher=" + publisher.node() + " subscriber=" + subscriber.node();
    }

    BrokerSettings.Address publisherNode() {
        return publisher.node();
    }

    BrokerSettings.Address subscriberNode() {
        return subscriber.node();
    }

    /** What the names of this instance's queues begin with. */
    String queuePrefix() {
        return queueNames.instancePrefix();
    }

    /** Chats routed to this instance: those with a local session, and in per-chat mode those lingering. */
    int subscriptionCount() {
        if (!everyChat) {
            return bindings.boundCount();
        }
        synchronized (wanted) {
            return wanted.size();
        }
    }

    /**
     * Routes events to this instance again on a new subscriber session: in per-chat mode, a new
     * queue bound to every chat still wanted ({@link RelayBindings}); else the one subscription to
     * every chat. Once the broker routes them, the listener compares every chat with the database:
     * events published while the link was down never come through it.
     */
    private void restoreSubscriptions(StompSession session) {
        if (!everyChat) {
            bindings.subscriberConnected(session, subscriber.node());
            return;
        }
        CompletableFuture<Void> routing;
        synchronized (wanted) {
            routing = subscribeToEveryChat(session);
        }
        routing.whenComplete((routed, failure) -> listener.catchUp());
    }

    /** Once per subscriber session; later callers share its receipt. */
    private CompletableFuture<Void> subscribeToEveryChat(StompSession session) {
        if (allChats == null || allChats.session() != session) {
            CompletableFuture<Void> routed = new CompletableFuture<>();
            allChats = subscribeWithReceipt(session, codec.everyChat(), queueNames.everyChat(), routed);
            allChatsRouted = routed;
        }
        return allChatsRouted;
    }

    /**
     * @param queue the name of the queue the plugin declares for a topic, or null for an existing queue
     * @return the subscription, or null when the session was lost (then restored on reconnection)
     */
    private Subscribed subscribeWithReceipt(StompSession session, String destination, String queue,
            CompletableFuture<Void> routed) {
        try {
            StompHeaders headers = new StompHeaders();
            headers.setDestination(destination);
            if (queue != null) {
                // RabbitMQ's STOMP plugin names the queue it declares for a topic subscription after
                // this header; the queue stays what the plugin makes for /topic: non-durable, auto-deleted
                headers.set(QUEUE_NAME, queue);
            }
            headers.setReceipt("sub-" + UUID.randomUUID());
            StompSession.Subscription subscription = session.subscribe(headers, new Inbound());
            subscription.addReceiptTask(() -> routed.complete(null));
            subscription.addReceiptLostTask(() -> routed.complete(null));
            return new Subscribed(session, subscription);
        } catch (RuntimeException lost) {
            log.debug("broker.subscribe_failed destination={} queue={}: {}", destination, queue, lost.toString());
            routed.complete(null);
            return null;
        }
    }

    @Override
    public void start() {
        running = true;
        publisher.start();
        subscriber.start();
    }

    @Override
    public void stop() {
        running = false;
        publisher.stop();
        subscriber.stop();
        if (bindings != null) {
            bindings.stop();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** What the per-chat bindings need of this bus: the subscriber link, the listener and the state. */
    private final class BindingsSubscriber implements RelayBindings.Subscriber {

        @Override
        public StompSession.Subscription consume(StompSession session, String queue, Runnable confirmed) {
            CompletableFuture<Void> routed = new CompletableFuture<>();
            routed.thenRun(confirmed);
            Subscribed subscribed = subscribeWithReceipt(session, "/amq/queue/" + queue, null, routed);
            return subscribed == null ? null : subscribed.subscription();
        }

        @Override
        public void rebuilt() {
            listener.catchUp();
            state.connected(subscriber);
        }

        @Override
        public void failed(String cause) {
            state.failed(subscriber, "AMQP bindings: " + cause);
        }
    }

    /** Delivers events of other instances to this instance's sessions. */
    private final class Inbound implements StompFrameHandler {

        @Override
        public Type getPayloadType(StompHeaders headers) {
            return String.class;
        }

        @Override
        public void handleFrame(StompHeaders headers, Object payload) {
            if (instanceId.equals(headers.getFirst(ChatEventCodec.ORIGIN))) {
                return; // already delivered locally when it was published
            }
            ChatEvent event = codec.event(headers, (String) payload);
            if (event != null) {
                listener.onEvent(event);
            }
        }
    }
}
