package io.chat.message;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The statements of a send, in plain SQL. Every message runs them, and profiling showed
 * Hibernate's per-query work (building the native query, binding, the persist machinery) costing
 * several times what PostgreSQL spent on the same statements. Reads and the rare edits stay on JPA.
 * Callers hold the transaction.
 */
@Component
class MessageWrites {

    private final JdbcClient jdbc;

    MessageWrites(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Serializes one sender's sends cluster-wide until the transaction ends, so the rate-limit count
     * cannot be raced past by two instances at once, nor can two resends of one client id both insert.
     */
    void lockSender(long senderId) {
        jdbc.sql("SELECT count(*) FROM (SELECT pg_advisory_xact_lock(?)) AS sender_lock")
                .param(senderId).query(Long.class).single();
    }

    /**
     * A sender's messages since the given time, counted no further than {@code cap}: the rate limit
     * only needs to know whether the cap is reached, so a busy sender costs no more than a quiet one.
     */
    long countSentSince(long senderId, Instant since, int cap) {
        return jdbc.sql("""
                SELECT count(*) FROM (
                    SELECT 1 FROM messages WHERE sender_id = ? AND created_at > ? LIMIT ?
                ) AS recent""")
                .params(senderId, utc(since), cap).query(Long.class).single();
    }

    /** Where a new message was stored: its id and the number of its event in the chat's sequence. */
    record Inserted(long id, long seq) {
    }

    /**
     * Takes the chat's next event number (see {@link io.chat.chat.ChatEventLog}), inserts the message
     * with it and records its event, in one round trip. The message's id is drawn after the chat's
     * lock is held, so ids grow in commit order within a chat, as the numbers do.
     *
     * @return empty when the chat does not exist
     */
    Optional<Inserted> insert(long chatId, long senderId, String text, String clientId, Instant createdAt) {
        return jdbc.sql("""
                WITH next AS (
                    UPDATE chats SET last_seq = last_seq + 1 WHERE id = :chat RETURNING last_seq
                ), message AS (
                    INSERT INTO messages (chat_id, sender_id, text, created_at, client_id, seq)
                    SELECT :chat, :sender, :text, :at, :clientId, last_seq FROM next
                    RETURNING id, seq
                ), event AS (
                    INSERT INTO chat_events (chat_id, seq, type, user_id, message_id, created_at)
                    SELECT :chat, seq, 'message', :sender, id, :at FROM message
                )
                SELECT id, seq FROM message""")
                .param("chat", chatId).param("sender", senderId).param("text", text).param("at", utc(createdAt))
                .param("clientId", clientId)
                .query((row, number) -> new Inserted(row.getLong("id"), row.getLong("seq"))).optional();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
