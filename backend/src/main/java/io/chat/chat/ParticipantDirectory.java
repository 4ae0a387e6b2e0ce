package io.chat.chat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

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

    ParticipantDirectory(ParticipantRepository participants) {
        this.participants = participants;
    }

    /**
     * A yes from the cache is final (a removal evicts the entry before it closes the user's sessions);
     * a no is checked against the database once, since an addition made on another instance may
     * not have reached this one's cache yet.
     */
    public boolean isParticipant(long chatId, long userId) {
        if (members.computeIfAbsent(chatId, this::load).contains(userId)) {
            return true;
        }
        Set<Long> fresh = load(chatId);
        members.put(chatId, fresh);
        return fresh.contains(userId);
    }

    private Set<Long> load(long chatId) {
        return Set.copyOf(participants.findUserIds(chatId));
    }

    public void forget(long chatId) {
        members.remove(chatId);
    }
}
