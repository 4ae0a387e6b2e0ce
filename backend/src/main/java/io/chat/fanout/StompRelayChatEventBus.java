package io.chat.fanout;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
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
 * <p>How the subscriber connection subscribes ({@code chat.broker.relay.subscriptions}): per chat,
 * for each chat with a local session (RabbitMQ declares and binds a queue for each, so an instance
 * receives only its chats' events, but the first socket of a chat on an instance waits for that
 * queue); or once to every chat ({@code /topic/chat.*}: one queue per instance, nothing to do in the
 * broker when sockets open and close, and every instance receives every chat's events, dropping
 * those of chats it has no session in).
 *
 * <p>What an operator sees in RabbitMQ's console: each subscription's queue is named after the
 * deployment's prefix, the instance and the chat ({@link RelayQueueNames}); it is auto-deleted, so
 * it goes away with its subscription or its connection. Events are tagged with the configured
 * instance id ({@code chat.cluster.instance-id}), the same id that names the queues and the
 * instance's log lines.
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
    /** Chats with a local session; guarded by itself, as is {@code active}. */
    private final Set<Long> wanted = new HashSet<>();
    /** Subscriptions made, each with the subscriber session it was made on. */
    private final Map<Long, Subscribed> active = new HashMap<>();
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
            BrokerSettings.Subscriptions subscriptions, ChatEventCodec codec, StompLinkFactory links) {
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
        synchronized (wanted) {
            wanted.add(chatId);
            StompSession session = subscriber.session();
            if (everyChat) {
                return session == null ? CompletableFuture.completedFuture(null) : subscribeToEveryChat(session);
            }
            Subscribed existing = active.get(chatId);
            if (session == null || existing != null && existing.session() == session) {
                return CompletableFuture.completedFuture(null);
            }
            return subscribeOn(session, chatId);
        }
    }

    @Override
    public void unsubscribe(long chatId) {
        synchronized (wanted) {
            wanted.remove(chatId);
            if (everyChat) {
                return; // the subscription to every chat stays
            }
            Subscribed subscribed = active.remove(chatId);
            if (subscribed != null && subscribed.session().isConnected()) {
                try {
                    subscribed.subscription().unsubscribe();
                } catch (RuntimeException lost) {
                    log.debug("broker.unsubscribe_failed chat={}: {}", chatId, lost.toString());
                }
            }
        }
    }

    boolean isConnected() {
        return publisher.isConnected() && subscriber.isConnected();
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

    int subscriptionCount() {
        synchronized (wanted) {
            return wanted.size();
        }
    }

    /**
     * Makes again, on a new subscriber session, every subscription still wanted. One already made on
     * this very session (a chat opened between the connect and this call) is kept: subscribing twice
     * would deliver each event twice. Once the broker routes them all, the listener compares every
     * chat with the database: events published while the link was down never come through it.
     */
    private void restoreSubscriptions(StompSession session) {
        List<CompletableFuture<Void>> routing = new ArrayList<>();
        synchronized (wanted) {
            if (everyChat) {
                routing.add(subscribeToEveryChat(session));
            } else {
                active.values().removeIf(subscribed -> subscribed.session() != session);
                for (Long chatId : wanted) {
                    if (!active.containsKey(chatId)) {
                        routing.add(subscribeOn(session, chatId));
                    }
                }
            }
        }
        CompletableFuture.allOf(routing.toArray(CompletableFuture[]::new))
                .whenComplete((routed, failure) -> listener.catchUp());
    }

    /** Subscribes with a receipt, so that callers can wait until the broker routes the chat to us. */
    private CompletableFuture<Void> subscribeOn(StompSession session, long chatId) {
        CompletableFuture<Void> routed = new CompletableFuture<>();
        Subscribed subscribed = subscribeWithReceipt(session, codec.destination(chatId), queueNames.chat(chatId),
                routed);
        if (subscribed != null) {
            active.put(chatId, subscribed);
        }
        return routed;
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

    /** @return the subscription, or null when the session was lost (then restored on reconnection) */
    private Subscribed subscribeWithReceipt(StompSession session, String destination, String queue,
            CompletableFuture<Void> routed) {
        try {
            StompHeaders headers = new StompHeaders();
            headers.setDestination(destination);
            // RabbitMQ's STOMP plugin names the queue it declares for a topic subscription after this
            // header; the queue stays what the plugin makes for /topic: non-durable, auto-deleted
            headers.set(QUEUE_NAME, queue);
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
    }

    @Override
    public boolean isRunning() {
        return running;
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
