package io.chat.message;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.chat.auth.UserSummary;

/**
 * The statements of a batch of sends (see {@link SendBatches}), in plain SQL: each works on the
 * whole batch in one round trip. Profiling showed Hibernate's per-query work costing several times
 * what PostgreSQL spent on the same statements; reads and the rare edits stay on JPA. Callers hold
 * the transaction.
 */
@Component
class MessageWrites {

    /**
     * {@link #storeLoneSend}'s statement. Positional parameters, in the order written: with named
     * ones, Spring rewrote the statement's text at every send (a sixth of what the server allocated
     * per message).
     */
    private static final String LONE_SEND = """
            WITH member AS (
                SELECT EXISTS (SELECT 1 FROM chat_participants WHERE chat_id = ? AND user_id = ?) AS yes
            ), original AS (
                SELECT id, seq, sender_id, text, created_at, edited_at, deleted_at, client_id
                  FROM messages WHERE chat_id = ? AND sender_id = ? AND client_id = ?
            ), recent AS (
                SELECT count(*) AS sent FROM (
                    SELECT 1 FROM messages WHERE sender_id = ? AND created_at > ? LIMIT ?
                ) AS counted
            ), stored AS (
                INSERT INTO messages (chat_id, sender_id, text, created_at, client_id, seq)
                SELECT ?, ?, ?, ?, ?, ?
                 WHERE (SELECT yes FROM member) AND NOT EXISTS (SELECT 1 FROM original)
                   AND (SELECT sent FROM recent) < ?
                RETURNING id
            )
            SELECT member.yes AS participant, recent.sent, stored.id AS new_id,
                   original.id, original.seq, original.sender_id, original.text, original.created_at,
                   original.edited_at, original.deleted_at, original.client_id
              FROM member CROSS JOIN recent LEFT JOIN stored ON true LEFT JOIN original ON true""";

    private final JdbcClient jdbc;

    MessageWrites(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Waits for one sender's lock (see {@link #tryLockSenders}), holding no other, and then for the
     * chat's row lock (the one {@code ChatEventLog.lock} takes), in one round trip: PostgreSQL runs
     * the two sub-selects in the order they are written, so the sender's lock always comes first.
     */
    void lockSenderThenChat(long senderId, long chatId) {
        jdbc.sql("""
                SELECT (SELECT count(*) FROM (SELECT pg_advisory_xact_lock(?)) AS sender_lock) AS sender,
                       (SELECT id FROM chats WHERE id = ? FOR NO KEY UPDATE) AS chat""")
                .params(senderId, chatId).query((row, number) -> row.getLong("sender")).single();
    }

    /**
     * Serializes each sender's sends cluster-wide until the transaction ends, so the rate-limit count
     * cannot be raced past by two transactions at once, nor can two resends of one client id both
     * insert. A lock held by another transaction is not waited for: its sends go into a later batch.
     * Waiting while holding the locks of other senders would chain batches of different chats that
     * share a sender into one queue.
     *
     * @return the senders whose lock this transaction now holds
     */
    Set<Long> tryLockSenders(Collection<Long> senderIds) {
        if (senderIds.size() == 1) {
            long sender = senderIds.iterator().next();
            return Boolean.TRUE.equals(jdbc.sql("SELECT pg_try_advisory_xact_lock(?)").param(sender)
                    .query(Boolean.class).single()) ? Set.of(sender) : Set.of();
        }
        Set<Long> locked = new HashSet<>();
        jdbc.sql("""
                SELECT sender, pg_try_advisory_xact_lock(sender) AS locked
                  FROM unnest(?::bigint[]) AS sender""")
                .param(senderIds.toArray(Long[]::new))
                .query((row, number) -> row.getBoolean("locked") && locked.add(row.getLong("sender"))).list();
        return locked;
    }

    /**
     * Each sender's messages since the given time, counted no further than {@code cap} (the rate
     * limit only needs to know whether the cap is reached, so a busy sender costs no more than a
     * quiet one), or -1 for a sender who is not a participant of the chat: membership is checked
     * here, in the transaction that stores, so a removal that committed first is never missed.
     */
    Map<Long, Integer> countSentSince(long chatId, Collection<Long> senderIds, Instant since, int cap) {
        Map<Long, Integer> counts = new HashMap<>();
        if (senderIds.size() == 1) {
            // the usual batch, one sender: plain parameters, so that PostgreSQL plans the statement
            // once per connection; planned with an array, it was planned again at every execution
            // (0.13 ms of a send's 0.6 ms in the database)
            long sender = senderIds.iterator().next();
            counts.put(sender, jdbc.sql("""
                    SELECT CASE WHEN EXISTS (SELECT 1 FROM chat_participants WHERE chat_id = ? AND user_id = ?)
                                THEN (SELECT count(*) FROM (
                                          SELECT 1 FROM messages WHERE sender_id = ? AND created_at > ? LIMIT ?
                                      ) AS recent)
                                ELSE -1 END""")
                    .params(chatId, sender, sender, utc(since), cap).query(Integer.class).single());
            return counts;
        }
        jdbc.sql("""
                SELECT sender,
                       CASE WHEN EXISTS (SELECT 1 FROM chat_participants WHERE chat_id = ? AND user_id = sender)
                            THEN (SELECT count(*) FROM (
                                      SELECT 1 FROM messages WHERE sender_id = sender AND created_at > ? LIMIT ?
                                  ) AS recent)
                            ELSE -1 END AS sent
                  FROM unnest(?::bigint[]) AS sender""")
                .params(chatId, utc(since), cap, senderIds.toArray(Long[]::new))
                .query((row, number) -> counts.put(row.getLong("sender"), row.getInt("sent"))).list();
        return counts;
    }

    /** Messages of the chat already stored under one of the client ids, with the number of their event. */
    List<Stored> findByClientIds(long chatId, Collection<String> clientIds, Map<Long, UserSummary> senders) {
        return jdbc.sql("""
                SELECT id, seq, sender_id, text, created_at, edited_at, deleted_at, client_id
                  FROM messages WHERE chat_id = ? AND client_id = ANY(?::text[]) AND sender_id = ANY(?::bigint[])""")
                .params(chatId, clientIds.toArray(String[]::new), senders.keySet().toArray(Long[]::new))
                .query((row, number) -> new Stored(row.getLong("seq"), view(row, chatId, senders))).list();
    }

    /**
     * The locks of a batch of one send, and its event number: waits for the sender's lock (as
     * {@link #lockSenderThenChat}) and then takes the chat's next number, which locks the chat's row
     * until the transaction ends, in one statement (the sender's lock is a one-time filter that
     * PostgreSQL evaluates before it reads the chat). A send then rejected must roll its
     * transaction back, which gives the number back.
     *
     * @return the number, or empty when the chat does not exist
     */
    OptionalLong lockSenderAndTakeNumber(long senderId, long chatId) {
        return jdbc.sql("""
                UPDATE chats SET last_seq = last_seq + 1
                 WHERE id = ? AND (SELECT count(*) FROM (SELECT pg_advisory_xact_lock(?)) AS sender_lock) = 1
                RETURNING last_seq""")
                .params(chatId, senderId).query(Long.class).optional()
                .map(OptionalLong::of).orElseGet(OptionalLong::empty);
    }

    /**
     * Decides and stores a batch of one send (nearly every batch of a quiet chat) in one statement,
     * once {@link #lockSenderAndTakeNumber} has taken the locks and its number: membership, an
     * earlier message under the same client id, the rate limit, and, when all pass, the message.
     * Membership is read by a statement that starts once the locks are held, so a removal that
     * committed meanwhile is seen. One round trip instead of three: each is a wake-up of the
     * database's process and then of ours, and on a busy machine every wake-up can wait for a CPU.
     *
     * @return what was found, and the new message's id when it was stored
     */
    LoneSend storeLoneSend(long chatId, long seq, UserSummary sender, String text, String clientId,
            Instant createdAt, Instant rateWindowStart, int cap) {
        SqlParameterValue client = new SqlParameterValue(Types.VARCHAR, clientId);
        OffsetDateTime since = utc(rateWindowStart);
        long senderId = sender.id();
        return jdbc.sql(LONE_SEND)
                .params(chatId, senderId, chatId, senderId, client, senderId, since, cap, chatId, senderId, text,
                        utc(createdAt), client, seq, cap)
                .query((row, number) -> {
                    Stored original = row.getObject("id") == null ? null
                            : new Stored(row.getLong("seq"), view(row, chatId, Map.of(sender.id(), sender)));
                    Inserted inserted = row.getObject("new_id") == null ? null
                            : new Inserted(row.getLong("new_id"), seq);
                    return new LoneSend(row.getBoolean("participant"), row.getInt("sent"), original, inserted);
                }).single();
    }

    /**
     * What {@link #storeLoneSend} found and did.
     *
     * @param sentBefore the sender's messages within the rate window before this one, counted no further than the cap
     * @param original the message already stored under the send's client id, or null
     * @param inserted the new message, or null when nothing was stored (the number must be given back)
     */
    record LoneSend(boolean participant, int sentBefore, Stored original, Inserted inserted) {
    }

    /** A stored message and the number of the event that created it. */
    record Stored(long seq, MessageView message) {
    }

    /** Where a new message was stored: its id and the number of its event in the chat's sequence. */
    record Inserted(long id, long seq) {
    }

    /**
     * Takes as many of the chat's event numbers as there are messages (see
     * {@link io.chat.chat.ChatEventLog}) and inserts the messages with them, in order, in one round
     * trip: a message's row is its event (see {@link EventHistory}). The ids are drawn row by row after the chat's lock is held,
     * so ids grow in commit order within a chat, as the numbers do.
     *
     * @return one entry per message, in the order given; empty when the chat does not exist
     */
    List<Inserted> insert(long chatId, List<Long> senderIds, List<String> texts, List<String> clientIds,
            Instant createdAt) {
        List<Inserted> inserted = jdbc.sql("""
                WITH next AS (
                    UPDATE chats SET last_seq = last_seq + :count WHERE id = :chat RETURNING last_seq
                ), stored AS (
                    INSERT INTO messages (chat_id, sender_id, text, created_at, client_id, seq)
                    SELECT :chat, batch.sender, batch.text, :at, batch.client_id, next.last_seq - :count + batch.ord
                      FROM next, unnest(:senders::bigint[], :texts::text[], :clientIds::text[])
                           WITH ORDINALITY AS batch (sender, text, client_id, ord)
                    RETURNING id, seq
                )
                SELECT id, seq FROM stored ORDER BY seq""")
                .param("chat", chatId).param("count", senderIds.size()).param("at", utc(createdAt))
                .param("senders", senderIds.toArray(Long[]::new)).param("texts", texts.toArray(String[]::new))
                .param("clientIds", clientIds.toArray(String[]::new))
                .query((row, number) -> new Inserted(row.getLong("id"), row.getLong("seq"))).list();
        for (int i = 1; i < inserted.size(); i++) {
            if (inserted.get(i).id() < inserted.get(i - 1).id()) {
                // never seen; a reader relying on ids would miss messages, so the batch must not commit
                throw new IllegalStateException("message ids out of event order in chat " + chatId);
            }
        }
        return inserted;
    }

    /** A message row as clients see it; senders are looked up in the given map, filled by the caller. */
    static MessageView view(ResultSet row, long chatId, Map<Long, UserSummary> senders) throws SQLException {
        long senderId = row.getLong("sender_id");
        UserSummary sender = senders.getOrDefault(senderId, new UserSummary(senderId, "", "", ""));
        return new MessageView(row.getLong("id"), row.getString("text"), sender,
                row.getObject("created_at", OffsetDateTime.class).toInstant(), row.getObject("edited_at") != null,
                row.getObject("deleted_at") != null, chatId, row.getString("client_id"));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
