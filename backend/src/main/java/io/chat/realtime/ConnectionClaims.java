package io.chat.realtime;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

import io.chat.system.ClusterSettings;

/**
 * One connection per user per chat, across every instance, kept in PostgreSQL. A claim is taken
 * when a connection opens and given back when it closes. It holds while its instance is alive: each
 * instance renews one heartbeat row every {@code chat.cluster.claim-renew-interval} (1 s), on a
 * thread of its own so that no other work delays it, and a claim whose instance has not renewed for
 * {@code chat.cluster.claim-ttl} (4 s: it crashed) is taken over by the next connection of its user.
 * Every {@code chat.cluster.claim-check-interval} the instance also counts its claims in the
 * database and, when some went missing (the claims table is unlogged: PostgreSQL empties it when it
 * recovers from a crash), puts back those of its live connections.
 */
@Component
class ConnectionClaims implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConnectionClaims.class);

    private final JdbcClient jdbc;
    private final LocalSessions sessions;
    private final String instanceId;
    private final Duration ttl;
    private final Duration renewInterval;
    private final Duration checkInterval;
    private volatile ScheduledThreadPoolExecutor heartbeats;
    private volatile boolean running;
    /** Set once the claims and the heartbeat were given back at shutdown: nothing is renewed after. */
    private volatile boolean released;

    ConnectionClaims(JdbcClient jdbc, LocalSessions sessions, ClusterSettings settings) {
        this.jdbc = jdbc;
        this.sessions = sessions;
        this.instanceId = settings.instanceId();
        this.ttl = settings.claimTtl();
        this.renewInterval = settings.claimRenewInterval();
        this.checkInterval = settings.claimCheckInterval();
        log.info("cluster.instance id={}", instanceId);
    }

    /** Before the web server takes its first connection: claims of this instance hold from the start. */
    @Override
    public void start() {
        released = false;
        heartbeat();
        heartbeats = new ScheduledThreadPoolExecutor(2, new CustomizableThreadFactory("chat-heartbeat-"));
        // two threads: a claims check held up by a slow database must not hold up the heartbeat
        heartbeats.scheduleWithFixedDelay(this::renew, renewInterval.toNanos(), renewInterval.toNanos(),
                TimeUnit.NANOSECONDS);
        heartbeats.scheduleWithFixedDelay(this::restoreMissing, checkInterval.toNanos(), checkInterval.toNanos(),
                TimeUnit.NANOSECONDS);
        running = true;
    }

    @Override
    public void stop() {
        running = false; // claims are given back by GracefulShutdown, after the sockets are closed
        ScheduledThreadPoolExecutor executor = heartbeats;
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return 0;
    }

    String instanceId() {
        return instanceId;
    }

    /** What the database said to a connection asking to be let in. */
    enum Outcome {
        /** not a participant of the chat, or no such chat: 4403 */
        NOT_PARTICIPANT,
        /** another connection of the user to the chat holds the claim, on a live instance */
        ALREADY_CONNECTED,
        ADMITTED
    }

    /**
     * The answer to a connection asking to be let in.
     *
     * @param lastSeq the chat's latest event number when the database answered
     * @param holderInstance for {@link Outcome#ALREADY_CONNECTED}: the instance holding the claim
     * @param holderSession for {@link Outcome#ALREADY_CONNECTED}: the connection holding it
     * @param holderHeartbeatAge for {@link Outcome#ALREADY_CONNECTED}: how long ago the holding
     *     instance last renewed its heartbeat; null when it has none
     */
    record Admission(Outcome outcome, long lastSeq, String holderInstance, String holderSession,
            Duration holderHeartbeatAge) {

        static Admission notParticipant() {
            return new Admission(Outcome.NOT_PARTICIPANT, 0, null, null, null);
        }
    }

    /**
     * Checks membership, takes the claim (or one whose instance stopped renewing) and reads the
     * chat's latest event number in one statement, one round trip: every connect pays for it, and a
     * burst of reconnects after a deploy pays for it many times over.
     */
    Admission admit(long chatId, long userId, String sessionId) {
        return jdbc.sql("""
                WITH member AS (
                    SELECT 1 FROM chat_participants WHERE chat_id = :chat AND user_id = :user
                ), claimed AS (
                    INSERT INTO connection_claims (chat_id, user_id, instance_id, session_id)
                    SELECT :chat, :user, :instance, :session FROM member
                    ON CONFLICT (chat_id, user_id) DO UPDATE
                       SET instance_id = EXCLUDED.instance_id, session_id = EXCLUDED.session_id
                     WHERE NOT EXISTS (
                           SELECT 1 FROM cluster_instances alive
                            WHERE alive.instance_id = connection_claims.instance_id
                              AND alive.heartbeat_at > now() - make_interval(secs => :ttl / 1000.0))
                    RETURNING 1
                ), holder AS (
                    SELECT claim.instance_id, claim.session_id,
                           (extract(epoch FROM now() - beat.heartbeat_at) * 1000)::bigint AS heartbeat_age
                      FROM connection_claims claim
                      LEFT JOIN cluster_instances beat ON beat.instance_id = claim.instance_id
                     WHERE claim.chat_id = :chat AND claim.user_id = :user
                )
                SELECT (SELECT count(*) FROM member) AS members, (SELECT count(*) FROM claimed) AS claims,
                       (SELECT last_seq FROM chats WHERE id = :chat) AS last_seq,
                       (SELECT instance_id FROM holder) AS holder_instance,
                       (SELECT session_id FROM holder) AS holder_session,
                       (SELECT heartbeat_age FROM holder) AS holder_heartbeat_age
                """)
                .param("chat", chatId).param("user", userId).param("instance", instanceId)
                .param("session", sessionId).param("ttl", ttl.toMillis())
                .query((row, number) -> {
                    Outcome outcome = row.getInt("members") == 0 ? Outcome.NOT_PARTICIPANT
                            : row.getInt("claims") == 0 ? Outcome.ALREADY_CONNECTED : Outcome.ADMITTED;
                    long age = row.getLong("holder_heartbeat_age");
                    return new Admission(outcome, row.getLong("last_seq"), row.getString("holder_instance"),
                            row.getString("holder_session"), row.wasNull() ? null : Duration.ofMillis(age));
                })
                .single();
    }

    /**
     * Moves the claim from a connection found dead to a new one, if the dead one still holds it.
     *
     * @return false when the claim changed hands meanwhile (the new connection is refused)
     */
    boolean takeOver(long chatId, long userId, String deadSessionId, String sessionId) {
        // the dead connection's own close may have given the claim back already: then it is taken anew
        return jdbc.sql("""
                INSERT INTO connection_claims (chat_id, user_id, instance_id, session_id) VALUES (?, ?, ?, ?)
                ON CONFLICT (chat_id, user_id) DO UPDATE
                   SET instance_id = EXCLUDED.instance_id, session_id = EXCLUDED.session_id
                 WHERE connection_claims.session_id = ?""")
                .params(chatId, userId, instanceId, sessionId, deadSessionId).update() == 1;
    }

    void release(long chatId, long userId, String sessionId) {
        jdbc.sql("DELETE FROM connection_claims WHERE chat_id = ? AND user_id = ? AND session_id = ?")
                .params(chatId, userId, sessionId).update();
    }

    /** On shutdown: frees this instance's claims, and says it is gone so that none is waited for. */
    void releaseAll() {
        released = true;
        jdbc.sql("DELETE FROM connection_claims WHERE instance_id = ?").param(instanceId).update();
        jdbc.sql("DELETE FROM cluster_instances WHERE instance_id = ?").param(instanceId).update();
    }

    /**
     * How long ago the instance last renewed its heartbeat; null when it has no heartbeat row (it
     * stopped and said so, or never was).
     */
    Duration heartbeatAge(String instance) {
        return jdbc.sql("""
                SELECT (extract(epoch FROM now() - heartbeat_at) * 1000)::bigint
                  FROM cluster_instances WHERE instance_id = ?""").param(instance).query(Long.class).optional()
                .map(Duration::ofMillis).orElse(null);
    }

    /** How long an instance may go without renewing before its connections count as dead. */
    Duration ttl() {
        return ttl;
    }

    /** How often a live instance renews its heartbeat. */
    Duration renewInterval() {
        return renewInterval;
    }

    private void renew() {
        if (released) {
            return;
        }
        try {
            heartbeat();
        } catch (RuntimeException databaseDown) {
            log.warn("cluster.heartbeat_failed instance={}: {}", instanceId, databaseDown.toString());
        }
    }

    /**
     * Puts back the claims of this instance's live connections when the database holds fewer than
     * there are (one indexed count per check; the insert only after a loss).
     */
    private void restoreMissing() {
        if (released) {
            return;
        }
        try {
            // counted before the sessions are listed: a session that closes in between is in neither
            long held = jdbc.sql("SELECT count(*) FROM connection_claims WHERE instance_id = ?").param(instanceId)
                    .query(Long.class).single();
            List<ChatSession> live = sessions.all();
            if (held >= live.size()) {
                return;
            }
            List<String> restored = jdbc.sql("""
                    INSERT INTO connection_claims (chat_id, user_id, instance_id, session_id)
                    SELECT claim.chat_id, claim.user_id, ?, claim.session_id
                      FROM unnest(?::bigint[], ?::bigint[], ?::text[]) AS claim (chat_id, user_id, session_id)
                    ON CONFLICT (chat_id, user_id) DO NOTHING
                    RETURNING session_id""")
                    .params(instanceId, live.stream().map(ChatSession::chatId).toArray(Long[]::new),
                            live.stream().map(ChatSession::userId).toArray(Long[]::new),
                            live.stream().map(ChatSession::id).toArray(String[]::new))
                    .query(String.class).list();
            if (restored.isEmpty()) {
                return;
            }
            // a session that closed while its claim was being put back gave its claim back already
            Set<String> put = Set.copyOf(restored);
            for (ChatSession session : live) {
                if (put.contains(session.id()) && sessions.find(session.chatId(), session.id()) == null) {
                    release(session.chatId(), session.userId(), session.id());
                }
            }
            log.warn("cluster.claims_restored instance={} claims={}: they had gone missing (a PostgreSQL "
                    + "crash empties the unlogged claims table)", instanceId, restored.size());
        } catch (RuntimeException databaseDown) {
            log.warn("cluster.claims_not_checked instance={}: {}", instanceId, databaseDown.toString());
        }
    }

    private void heartbeat() {
        jdbc.sql("""
                INSERT INTO cluster_instances (instance_id, heartbeat_at) VALUES (?, now())
                ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = now()""").param(instanceId).update();
    }
}
