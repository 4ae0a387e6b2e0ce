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

    public boolean isParticipant(long chatId, long userId) {
        return members.computeIfAbsent(chatId, id -> Set.copyOf(participants.findUserIds(id))).contains(userId);
    }

    /** Reads the database, bypassing and refreshing the cache: for decisions at connect time. */
    public boolean isParticipantNow(long chatId, long userId) {
        Set<Long> fresh = Set.copyOf(participants.findUserIds(chatId));
        members.put(chatId, fresh);
        return fresh.contains(userId);
    }

    public void forget(long chatId) {
        members.remove(chatId);
    }
}
