package io.chat.fanout;

import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
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
 * copy that comes back to its publisher is dropped. So a broker outage costs only cross-instance
 * fan-out: sends are still stored and acknowledged, local sessions still get them live, and clients
 * of other instances recover the rest by id when they reconnect. Publishing never blocks the caller
 * and never fails it.
 */
final class StompRelayChatEventBus implements ChatEventBus, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StompRelayChatEventBus.class);

    private final ChatEventListener listener;
    private final String instanceId;
    private final StompLink publisher;
    private final StompLink subscriber;
    /** Chats with a local session; guarded by itself, as is {@code active}. */
    private final Set<Long> wanted = new HashSet<>();
    /** Subscriptions on the current subscriber session. */
    private final Map<Long, StompSession.Subscription> active = new HashMap<>();
    private volatile boolean running;

    StompRelayChatEventBus(ChatEventListener listener, StompLinkFactory links) {
        this.listener = listener;
        // names this instance's events, so that it can drop its own echo; new at each start
        this.instanceId = UUID.randomUUID().toString();
        this.publisher = links.link("publisher", session -> {
        });
        this.subscriber = links.link("subscriber", this::restoreSubscriptions);
    }

    /** Makes the links; a seam that keeps connection settings out of this class. */
    interface StompLinkFactory {
        StompLink link(String name, Consumer<StompSession> onConnected);
    }

    @Override
    public void publish(ChatEvent event) {
        listener.onEvent(event);
        StompSession session = publisher.session();
        if (session == null) {
            return; // logged once by the link; other instances' clients recover by id
        }
        try {
            session.send(ChatEventCodec.headers(event, instanceId), event.frame());
        } catch (RuntimeException lost) {
            log.debug("broker.publish_failed chat={}: {}", event.chatId(), lost.toString());
        }
    }

    @Override
    public CompletableFuture<Void> subscribe(long chatId) {
        synchronized (wanted) {
            wanted.add(chatId);
            StompSession session = subscriber.session();
            if (session == null) {
                return CompletableFuture.completedFuture(null);
            }
            return subscribeOn(session, chatId);
        }
    }

    @Override
    public void unsubscribe(long chatId) {
        synchronized (wanted) {
            wanted.remove(chatId);
            StompSession.Subscription subscription = active.remove(chatId);
            if (subscription != null && subscriber.isConnected()) {
                try {
                    subscription.unsubscribe();
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

    int subscriptionCount() {
        synchronized (wanted) {
            return wanted.size();
        }
    }

    private void restoreSubscriptions(StompSession session) {
        synchronized (wanted) {
            active.clear();
            for (Long chatId : wanted) {
                subscribeOn(session, chatId);
            }
        }
    }

    /** Subscribes with a receipt, so that callers can wait until the broker routes the chat to us. */
    private CompletableFuture<Void> subscribeOn(StompSession session, long chatId) {
        CompletableFuture<Void> routed = new CompletableFuture<>();
        try {
            StompHeaders headers = new StompHeaders();
            headers.setDestination(ChatEventCodec.destination(chatId));
            headers.setReceipt("sub-" + chatId + "-" + UUID.randomUUID());
            StompSession.Subscription subscription = session.subscribe(headers, new Inbound());
            subscription.addReceiptTask(() -> routed.complete(null));
            subscription.addReceiptLostTask(() -> routed.complete(null));
            active.put(chatId, subscription);
        } catch (RuntimeException lost) {
            // still wanted: restored when the subscriber link is back
            log.debug("broker.subscribe_failed chat={}: {}", chatId, lost.toString());
            routed.complete(null);
        }
        return routed;
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
            ChatEvent event = ChatEventCodec.event(headers, (String) payload);
            if (event != null) {
                listener.onEvent(event);
            }
        }
    }
}
