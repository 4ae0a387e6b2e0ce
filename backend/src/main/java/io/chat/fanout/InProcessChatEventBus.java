package io.chat.fanout;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * Embedded fan-out for a single instance: an event goes straight to this instance's sessions, on
 * the publisher's thread, so a sender's own copy is on its way before the publish returns.
 */
@Component
@ConditionalOnProperty(name = "chat.broker.mode", havingValue = "embedded", matchIfMissing = true)
class InProcessChatEventBus implements ChatEventBus {

    private final ChatEventListener listener;
    private final Set<Long> subscribed = ConcurrentHashMap.newKeySet();

    InProcessChatEventBus(@Lazy ChatEventListener listener) {
        this.listener = listener;
    }

    @Override
    public void publish(ChatEvent event) {
        // membership changes go through whether or not the chat has sessions here yet, as the relay's
        // own copy does: a removed user's socket may be opening (admitted by the database, not yet
        // joined), and the removal must be remembered to close it as it joins
        if (subscribed.contains(event.chatId()) || event.audience() == ChatEvent.Audience.REVOKED
                || event.audience() == ChatEvent.Audience.MEMBERSHIP_CHANGED) {
            listener.onEvent(event);
        }
    }

    @Override
    public CompletableFuture<Void> subscribe(long chatId) {
        subscribed.add(chatId);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void unsubscribe(long chatId) {
        subscribed.remove(chatId);
    }

    @Override
    public boolean hearsEveryRemoval() {
        return true;
    }
}
