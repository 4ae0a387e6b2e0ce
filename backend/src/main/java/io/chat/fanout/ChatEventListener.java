package io.chat.fanout;

/**
 * Receives the events of the chats this instance subscribed to, and every membership change made
 * on this instance (a socket may be opening in any chat); implemented by the local session registry.
 */
public interface ChatEventListener {

    void onEvent(ChatEvent event);

    /**
     * Events may have been lost on the way (the broker connection was restored): compare what was
     * delivered with the database. Called once the restored subscriptions route again.
     */
    default void catchUp() {
    }
}
