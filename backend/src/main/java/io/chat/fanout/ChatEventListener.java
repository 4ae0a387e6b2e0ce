package io.chat.fanout;

/** Receives the events of the chats this instance subscribed to; implemented by the local session registry. */
public interface ChatEventListener {

    void onEvent(ChatEvent event);
}
