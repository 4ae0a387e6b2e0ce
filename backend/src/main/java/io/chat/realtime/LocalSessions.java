package io.chat.realtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.springframework.stereotype.Component;

import io.chat.chat.ParticipantDirectory;
import io.chat.fanout.ChatEvent;
import io.chat.fanout.ChatEventBus;
import io.chat.fanout.ChatEventListener;

/**
 * The sessions open on this instance, grouped by chat in {@link ChatFeed}s that put each chat's
 * events in order. The first session of a chat subscribes this instance to the chat's events and
 * the last one unsubscribes it, so the fan-out carries events only to instances that have someone
 * to give them to (unless the relay is told to subscribe to every chat, when events of chats
 * without a session here are dropped on arrival).
 */
@Component
class LocalSessions implements ChatEventListener {

    private final ConcurrentMap<Long, ChatFeed> feeds = new ConcurrentHashMap<>();
    /** Per chat with local sessions: completes once the fan-out routes the chat's events here. */
    private final ConcurrentMap<Long, CompletableFuture<Void>> routed = new ConcurrentHashMap<>();
    /**
     * Removals heard of lately, by chat and user, with when: a session admitted just before a
     * removal may join its feed just after the removal's event went by, and must still be closed.
     */
    private final ConcurrentMap<Long, Map<Long, Long>> revoked = new ConcurrentHashMap<>();
    private final ChatEventBus bus;
    private final ParticipantDirectory participants;
    private final FeedRepair repair;

    LocalSessions(ChatEventBus bus, ParticipantDirectory participants, FeedRepair repair) {
        this.bus = bus;
        this.participants = participants;
        this.repair = repair;
    }

    /**
     * How a session joined its chat's feed.
     *
     * @param start the number of the chat's sequence the session starts after (see {@link ChatFeed#join})
     * @param routed completes when events of the chat published from now on will reach the session
     * @param firstHere whether the session is the chat's first on this instance, so that the chat was
     *     not routed here before and a removal published by another instance before then was not
     *     heard (never so when the fan-out hears every removal: one instance)
     */
    record Joined(long start, CompletableFuture<Void> routed, boolean firstHere) {
    }

    /** @param committed the chat's latest number as the database said when the session was admitted */
    Joined add(ChatSession session, long committed) {
        long[] start = new long[1];
        ChatFeed[] created = new ChatFeed[1];
        feeds.compute(session.chatId(), (chatId, feed) -> {
            ChatFeed present = feed;
            if (present == null) {
                present = new ChatFeed(chatId, committed, repair);
                routed.put(chatId, bus.subscribe(chatId));
                created[0] = present;
            }
            start[0] = present.join(session, committed);
            return present;
        });
        CompletableFuture<Void> route = routed.getOrDefault(session.chatId(), CompletableFuture.completedFuture(null));
        if (created[0] != null) {
            // events committed after the admission's read but published before the chat was routed
            // here never come through the fan-out: a new feed reads them once it is routed
            ChatFeed feed = created[0];
            route.whenComplete((done, failure) -> feed.checkDatabase());
        }
        return new Joined(start[0], route, created[0] != null && !bus.hearsEveryRemoval());
    }

    /**
     * Whether the user is still a participant, as the database says now (not the cache): for a
     * session whose chat was routed here only as it joined, once routed.
     */
    boolean stillParticipant(ChatSession session) {
        return participants.isParticipantNow(session.chatId(), session.userId());
    }

    void remove(ChatSession session) {
        feeds.computeIfPresent(session.chatId(), (chatId, feed) -> {
            feed.leave(session);
            if (feed.isEmpty()) {
                routed.remove(chatId);
                bus.unsubscribe(chatId);
                participants.forget(chatId);
                return null;
            }
            return feed;
        });
    }

    List<ChatSession> all() {
        List<ChatSession> all = new ArrayList<>();
        feeds.values().forEach(feed -> all.addAll(feed.sessions()));
        return all;
    }

    /** A session of the user in the chat open here, if any. */
    ChatSession findByUser(long chatId, long userId) {
        ChatFeed feed = feeds.get(chatId);
        if (feed == null) {
            return null;
        }
        for (ChatSession session : feed.sessions()) {
            if (session.userId() == userId) {
                return session;
            }
        }
        return null;
    }

    /** The session with this id in the chat, if it is open here. */
    ChatSession find(long chatId, String sessionId) {
        ChatFeed feed = feeds.get(chatId);
        if (feed == null) {
            return null;
        }
        for (ChatSession session : feed.sessions()) {
            if (session.id().equals(sessionId)) {
                return session;
            }
        }
        return null;
    }

    int count() {
        return feeds.values().stream().mapToInt(feed -> feed.sessions().size()).sum();
    }

    @Override
    public void onEvent(ChatEvent event) {
        ChatFeed feed = feeds.get(event.chatId());
        switch (event.audience()) {
            case ALL, OTHERS -> {
                if (feed != null) {
                    feed.accept(event);
                }
            }
            case REVOKED -> {
                participants.forget(event.chatId());
                revoked.computeIfAbsent(event.chatId(), chat -> new ConcurrentHashMap<>())
                        .put(event.userId(), System.nanoTime());
                if (feed != null) {
                    for (ChatSession session : feed.sessions()) {
                        if (session.userId() == event.userId()) {
                            session.close(CloseCodes.ACCESS_DENIED);
                        }
                    }
                }
            }
            case MEMBERSHIP_CHANGED -> participants.forget(event.chatId());
        }
    }

    /**
     * Whether a removal of the user from the chat was heard of since the given time: a session
     * admitted at that time, and joined since, must be closed (its removal's event found no session).
     */
    boolean revokedSince(long chatId, long userId, long sinceNanos) {
        Map<Long, Long> ofChat = revoked.get(chatId);
        Long at = ofChat == null ? null : ofChat.get(userId);
        return at != null && at - sinceNanos >= 0;
    }

    /** Forgets removals older than any admission still in progress could have started. */
    void forgetRevocationsBefore(long nanos) {
        revoked.values().forEach(ofChat -> ofChat.values().removeIf(at -> at - nanos < 0));
        revoked.values().removeIf(Map::isEmpty);
    }

    /** The fan-out may have lost events (it reconnected): every chat is compared with the database. */
    @Override
    public void catchUp() {
        repair.schedule(this::sweep, Duration.ZERO);
    }

    /**
     * Compares each chat's latest number in the database with what its feed delivered, in one
     * query; a feed that is behind reads the rest, unless it comes through the fan-out first.
     */
    void sweep() {
        List<Long> chatIds = new ArrayList<>(feeds.keySet());
        if (chatIds.isEmpty()) {
            return;
        }
        for (Map.Entry<Long, Long> latest : repair.latest(chatIds).entrySet()) {
            ChatFeed feed = feeds.get(latest.getKey());
            if (feed != null) {
                feed.observe(latest.getValue());
            }
        }
    }
}
