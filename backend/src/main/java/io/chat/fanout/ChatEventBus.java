package io.chat.fanout;

/**
 * Carries chat events to every instance that has a session in the chat. An instance subscribes to
 * a chat while it holds at least one session in it; events reach its {@link ChatEventListener}.
 * Publishing never blocks on a broker and never fails the caller: storage has already happened,
 * and fan-out is best effort on top of it (clients recover what they missed by id).
 */
public interface ChatEventBus {

    void publish(ChatEvent event);

    /** Starts delivery of the chat's events to this instance; called for the chat's first local session. */
    void subscribe(long chatId);

    /** Stops delivery; called when the chat's last local session leaves. */
    void unsubscribe(long chatId);
}
