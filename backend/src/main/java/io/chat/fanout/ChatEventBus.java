package io.chat.fanout;

import java.util.concurrent.CompletableFuture;

/**
 * Carries chat events to every instance that has a session in the chat. An instance subscribes to
 * a chat while it holds at least one session in it; events reach its {@link ChatEventListener}.
 * Publishing never blocks on a broker and never fails the caller: storage has already happened,
 * and fan-out is best effort on top of it (receivers fill what it loses from the database, where
 * every numbered event is).
 */
public interface ChatEventBus {

    void publish(ChatEvent event);

    /**
     * Starts delivery of the chat's events to this instance; called for the chat's first local session.
     *
     * @return completes once events published anywhere from now on will arrive (at once when the
     *     broker is unreachable: its outage is then a gap, filled from the database)
     */
    CompletableFuture<Void> subscribe(long chatId);

    /** Stops delivery; called when the chat's last local session leaves. */
    void unsubscribe(long chatId);

    /**
     * Whether a removal published anywhere reaches this instance's listener even for a chat it was
     * not subscribed to (one instance: always), so that a socket joining a chat new to this
     * instance need not read its membership again.
     */
    default boolean hearsEveryRemoval() {
        return false;
    }
}
