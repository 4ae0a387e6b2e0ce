package io.chat.chat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Service;

/**
 * Who is in a chat, kept in memory for the chats this instance has sessions in, so that every
 * frame's authorization costs no database round trip. Entries are dropped when membership changes
 * (on any instance: the change travels with the chat's events) and when the last local session of
 * the chat leaves.
 */
@Service
public class ParticipantDirectory {

    private final ParticipantRepository participants;
    private final ConcurrentMap<Long, Set<Long>> members = new ConcurrentHashMap<>();
    /**
     * Bumped by every {@link #forget}: a list read from the database while it moved may predate a
     * removal, so it answers the one call that read it but is not kept.
     */
    private final AtomicLong forgotten = new AtomicLong();

    ParticipantDirectory(ParticipantRepository participants) {
        this.participants = participants;
    }

    /**
     * A yes from the cache is final (a removal evicts the entry before it closes the user's sessions);
     * a no is checked against the database once, since an addition made on another instance may
     * not have reached this one's cache yet. A list read while a removal was being heard of is not
     * kept, so the cache never brings back a yes that the removal took away.
     */
    public boolean isParticipant(long chatId, long userId) {
        Set<Long> cached = members.get(chatId);
        if (cached != null && cached.contains(userId)) {
            return true;
        }
        return isParticipantNow(chatId, userId);
    }

    /** As the database says now, whatever the cache holds (the list read is kept as above). */
    public boolean isParticipantNow(long chatId, long userId) {
        return loadAndKeep(chatId).contains(userId);
    }

    /** Reads the list outside any lock, and keeps it only if no removal was heard of meanwhile. */
    private Set<Long> loadAndKeep(long chatId) {
        long before = forgotten.get();
        Set<Long> fresh = Set.copyOf(participants.findUserIds(chatId));
        members.compute(chatId, (id, current) -> forgotten.get() == before ? fresh : current);
        return fresh;
    }

    public void forget(long chatId) {
        forgotten.incrementAndGet();
        members.remove(chatId);
    }
}
