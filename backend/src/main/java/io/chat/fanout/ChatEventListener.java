package io.chat.fanout;

/** Receives the events of the chats this instance subscribed to; implemented by the local session registry. */
public interface ChatEventListener {

    void onEvent(ChatEvent event);

    /**
     * Events may have been lost on the way (the broker connection was restored): compare what was
     * delivered with the database. Called once the restored subscriptions route again.
     */
    default void catchUp() {
    }
}
