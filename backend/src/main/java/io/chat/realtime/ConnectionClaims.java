package io.chat.realtime;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * One connection per user per chat, across every instance, kept in PostgreSQL. A claim is taken
 * when a connection opens and given back when it closes; while it lives, its instance renews it.
 * A crashed instance renews nothing, so its claims lapse after {@code chat.cluster.claim-ttl}.
 */
@Component
class ConnectionClaims {

    private static final Logger log = LoggerFactory.getLogger(ConnectionClaims.class);

    private final JdbcClient jdbc;
    private final String instanceId;
    private final long ttlMillis;

    ConnectionClaims(JdbcClient jdbc, ClusterSettings settings) {
        this.jdbc = jdbc;
        this.instanceId = StringUtils.hasText(settings.instanceId())
                ? settings.instanceId() : UUID.randomUUID().toString();
        this.ttlMillis = settings.claimTtl().toMillis();
        log.info("cluster.instance id={}", instanceId);
    }

    /** What the database said to a connection asking to be let in. */
    enum Outcome {
        /** not a participant of the chat, or no such chat: 4403 */
        NOT_PARTICIPANT,
        /** a live connection of the user to the chat holds the claim: 4409 */
        ALREADY_CONNECTED,
        ADMITTED
    }

    /**
     * The answer to a connection asking to be let in.
     *
     * @param lastSeq the chat's latest event number when the database answered
     */
    record Admission(Outcome outcome, long lastSeq) {
    }

    /**
     * Checks membership, takes the claim and reads the chat's latest event number in one statement,
     * one round trip: every connect pays for it, and a burst of reconnects after a deploy pays for it
     * many times over.
     */
    Admission admit(long chatId, long userId, String sessionId) {
        return jdbc.sql("""
                WITH member AS (
                    SELECT 1 FROM chat_participants WHERE chat_id = :chat AND user_id = :user
                ), claimed AS (
                    INSERT INTO connection_claims (chat_id, user_id, instance_id, session_id, expires_at)
                    SELECT :chat, :user, :instance, :session, now() + make_interval(secs => :ttl / 1000.0)
                      FROM member
                    ON CONFLICT (chat_id, user_id) DO UPDATE
                       SET instance_id = EXCLUDED.instance_id, session_id = EXCLUDED.session_id,
                           expires_at = EXCLUDED.expires_at
                     WHERE connection_claims.expires_at < now()
                    RETURNING 1
                )
                SELECT (SELECT count(*) FROM member) AS members, (SELECT count(*) FROM claimed) AS claims,
                       (SELECT last_seq FROM chats WHERE id = :chat) AS last_seq
                """)
                .param("chat", chatId).param("user", userId).param("instance", instanceId)
                .param("session", sessionId).param("ttl", ttlMillis)
                .query((row, number) -> new Admission(row.getInt("members") == 0 ? Outcome.NOT_PARTICIPANT
                        : row.getInt("claims") == 0 ? Outcome.ALREADY_CONNECTED : Outcome.ADMITTED,
                        row.getLong("last_seq")))
                .single();
    }

    void release(long chatId, long userId, String sessionId) {
        jdbc.sql("DELETE FROM connection_claims WHERE chat_id = ? AND user_id = ? AND session_id = ?")
                .params(chatId, userId, sessionId).update();
    }

    void releaseAll() {
        jdbc.sql("DELETE FROM connection_claims WHERE instance_id = ?").param(instanceId).update();
    }

    @Scheduled(fixedDelayString = "${chat.cluster.claim-renew-interval:10s}")
    void renew() {
        try {
            jdbc.sql("UPDATE connection_claims SET expires_at = now() + make_interval(secs => ? / 1000.0) "
                    + "WHERE instance_id = ?").params(ttlMillis, instanceId).update();
        } catch (RuntimeException databaseDown) {
            log.warn("cluster.claims_not_renewed instance={}: {}", instanceId, databaseDown.toString());
        }
    }
}
