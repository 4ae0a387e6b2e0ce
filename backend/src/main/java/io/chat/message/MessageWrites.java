package io.chat.message;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

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

    /** Inserts a new message and returns its id. */
    long insert(long chatId, long senderId, String text, String clientId, Instant createdAt) {
        return jdbc.sql("""
                INSERT INTO messages (chat_id, sender_id, text, created_at, client_id)
                VALUES (?, ?, ?, ?, ?) RETURNING id""")
                .params(chatId, senderId, text, utc(createdAt), clientId).query(Long.class).single();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
