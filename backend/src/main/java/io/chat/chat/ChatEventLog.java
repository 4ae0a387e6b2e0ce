package io.chat.chat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;


/**
 * The chat's event sequence in PostgreSQL: {@code chats.last_seq}, and the events themselves: a new
 * message's event is its row in {@code messages} (numbered by its {@code seq}), every other change a
 * row of the {@code chat_events} log.
 *
 * <p>A change takes its number with {@link #next}, which increments the chat's row and so holds
 * that row's lock until the transaction ends: the next change of the same chat waits for the commit,
 * so numbers follow commit order with no gap (a rolled-back change gives its number back). Whoever
 * takes a number must take every other lock it needs before this one (a sender's rate-limit lock
 * comes first), so that two changes never wait for each other.
 */
@Component
public class ChatEventLog {

    private final JdbcClient jdbc;

    ChatEventLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Takes the chat's next event number for a change the actor makes; callers hold the transaction.
     * Membership is read in a statement of its own once the chat's lock is held: a statement that
     * waited for the lock would still see the participants as they were when it started, and so
     * miss a removal that committed while it waited (removals take the same lock, {@link #lock}).
     *
     * @throws NotParticipant when the chat does not exist or the actor is not in it; the caller's
     *         transaction must then roll back, which gives the number back
     */
    public long next(long chatId, long actorId) {
        long seq = jdbc.sql("UPDATE chats SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq")
                .param(chatId).query(Long.class).optional()
                .orElseThrow(NotParticipant::new);
        if (!isParticipant(chatId, actorId)) {
            throw new NotParticipant();
        }
        return seq;
    }

    /**
     * Takes the chat's lock without taking a number, until the transaction ends: a removal waits
     * here for every change under way in the chat to commit, and a change that comes later waits
     * for the removal and then finds its actor gone. A chat that does not exist locks nothing; the
     * membership read that follows finds no one.
     */
    public void lock(long chatId) {
        jdbc.sql("SELECT id FROM chats WHERE id = ? FOR NO KEY UPDATE").param(chatId).query(Long.class).optional();
    }

    private boolean isParticipant(long chatId, long userId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM chat_participants WHERE chat_id = ? AND user_id = ?)")
                .params(chatId, userId).query(Boolean.class).single();
    }

    /**
     * Records the event that took number {@code seq}, in the transaction that took it: an edit, a
     * deletion or a read marker (a new message is its own record).
     */
    public void append(long chatId, long seq, ChatEventType type, long userId, Long messageId,
            Long lastReadMessageId, Instant at) {
        jdbc.sql("""
                INSERT INTO chat_events (chat_id, seq, type, user_id, message_id, last_read_message_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(chatId, seq, type.wireName(), userId, messageId, lastReadMessageId, at.atOffset(ZoneOffset.UTC))
                .update();
    }

    /** The latest event number of each of the given chats that exists (0 for a chat without events). */
    public Map<Long, Long> latest(Collection<Long> chatIds) {
        Map<Long, Long> latest = new HashMap<>();
        if (chatIds.isEmpty()) {
            return latest;
        }
        jdbc.sql("SELECT id, last_seq FROM chats WHERE id = ANY(?)")
                .param(chatIds.toArray(Long[]::new))
                .query((row, number) -> latest.put(row.getLong("id"), row.getLong("last_seq")))
                .list();
        return latest;
    }
}
