package io.chat.realtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.TextMessage;

import io.chat.chat.ParticipantDirectory;
import io.chat.fanout.ChatEvent;
import io.chat.fanout.ChatEventBus;
import io.chat.fanout.ChatEventListener;

/**
 * The sessions open on this instance, by chat. The first session of a chat subscribes this
 * instance to the chat's events and the last one unsubscribes it, so the fan-out carries events
 * only to instances that have someone to give them to (unless the relay is told to subscribe to
 * every chat, when events of chats without a session here are dropped on arrival).
 */
@Component
class LocalSessions implements ChatEventListener {

    private final ConcurrentMap<Long, Set<ChatSession>> byChat = new ConcurrentHashMap<>();
    /** Per chat with local sessions: completes once the fan-out routes the chat's events here. */
    private final ConcurrentMap<Long, CompletableFuture<Void>> routed = new ConcurrentHashMap<>();
    private final ChatEventBus bus;
    private final ParticipantDirectory participants;

    LocalSessions(ChatEventBus bus, ParticipantDirectory participants) {
        this.bus = bus;
        this.participants = participants;
    }

    /** @return completes when events of the session's chat published from now on will reach it */
    CompletableFuture<Void> add(ChatSession session) {
        byChat.compute(session.chatId(), (chatId, sessions) -> {
            Set<ChatSession> present = sessions;
            if (present == null) {
                present = ConcurrentHashMap.newKeySet();
                routed.put(chatId, bus.subscribe(chatId));
            }
            present.add(session);
            return present;
        });
        return routed.getOrDefault(session.chatId(), CompletableFuture.completedFuture(null));
    }

    void remove(ChatSession session) {
        byChat.computeIfPresent(session.chatId(), (chatId, sessions) -> {
            sessions.remove(session);
            if (sessions.isEmpty()) {
                routed.remove(chatId);
                bus.unsubscribe(chatId);
                participants.forget(chatId);
                return null;
            }
            return sessions;
        });
    }

    List<ChatSession> all() {
        List<ChatSession> all = new ArrayList<>();
        byChat.values().forEach(all::addAll);
        return all;
    }

    int count() {
        return byChat.values().stream().mapToInt(Set::size).sum();
    }

    @Override
    public void onEvent(ChatEvent event) {
        Set<ChatSession> sessions = byChat.get(event.chatId());
        switch (event.audience()) {
            case ALL, OTHERS -> {
                if (sessions == null) {
                    return;
                }
                TextMessage frame = new TextMessage(event.frame());
                boolean others = event.audience() == ChatEvent.Audience.OTHERS;
                for (ChatSession session : sessions) {
                    if (!others || session.userId() != event.userId()) {
                        session.deliver(event, frame);
                    }
                }
            }
            case REVOKED -> {
                participants.forget(event.chatId());
                if (sessions != null) {
                    for (ChatSession session : sessions) {
                        if (session.userId() == event.userId()) {
                            session.close(CloseCodes.ACCESS_DENIED);
                        }
                    }
                }
            }
            case MEMBERSHIP_CHANGED -> participants.forget(event.chatId());
        }
    }
}
