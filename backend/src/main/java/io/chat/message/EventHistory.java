package io.chat.message;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.chat.auth.UserDirectory;
import io.chat.auth.UserSummary;
import io.chat.chat.ChatEventType;

/**
 * Reads a chat's event sequence back: to fill a gap in live delivery, to replay what a reconnecting
 * client missed, and for {@code GET /api/chats/{id}/events/}. Each event shows the current state of
 * its message, so a replay never resurrects a text that was since edited or deleted.
 */
@Component
public class EventHistory {

    /**
     * A new message's event is its row in {@code messages} (numbered by {@code seq}); every other
     * change is a {@code chat_events} row. Each half is read in seq order up to the limit, so that
     * PostgreSQL merges two bounded index scans instead of sorting the whole range.
     */
    private static final String EVENTS = """
            SELECT * FROM (
                (SELECT e.chat_id, e.seq, e.type, e.user_id, e.last_read_message_id,
                        m.id, m.sender_id, m.text, m.created_at, m.edited_at, m.deleted_at, m.client_id
                   FROM chat_events e LEFT JOIN messages m ON m.id = e.message_id
                  WHERE e.chat_id = :chat AND e.seq > :after AND e.seq <= :upTo
                  ORDER BY e.seq LIMIT :limit)
                UNION ALL
                (SELECT m.chat_id, m.seq, 'message', m.sender_id, NULL,
                        m.id, m.sender_id, m.text, m.created_at, m.edited_at, m.deleted_at, m.client_id
                   FROM messages m
                  WHERE m.chat_id = :chat AND m.seq > :after AND m.seq <= :upTo
                  ORDER BY m.seq LIMIT :limit)
            ) AS events
            ORDER BY seq
            LIMIT :limit""";

    private final JdbcClient jdbc;
    private final UserDirectory users;

    EventHistory(JdbcClient jdbc, UserDirectory users) {
        this.jdbc = jdbc;
        this.users = users;
    }

    /** Events numbered after {@code afterSeq} up to {@code upToSeq}, the oldest first, at most {@code limit}. */
    public List<StoredEvent> between(long chatId, long afterSeq, long upToSeq, int limit) {
        return jdbc.sql(EVENTS).param("chat", chatId).param("after", afterSeq).param("upTo", upToSeq)
                .param("limit", limit)
                .query(this::event).list().stream().filter(event -> event != null).toList();
    }

    /** Events numbered after {@code afterSeq}, the oldest first, at most {@code limit}. */
    public List<StoredEvent> after(long chatId, long afterSeq, int limit) {
        return between(chatId, afterSeq, Long.MAX_VALUE, limit);
    }

    /**
     * Messages with an id after {@code afterId} created by event {@code upToSeq} or earlier, in id
     * order: the newest {@code max} of them, and whether older ones were left out.
     */
    public MessagePage messagesAfter(long chatId, long afterId, long upToSeq, int max) {
        List<SequencedMessage> newestFirst = jdbc.sql("""
                SELECT id, sender_id, text, created_at, edited_at, deleted_at, client_id, chat_id, seq
                  FROM messages
                 WHERE chat_id = ? AND id > ? AND seq <= ?
                 ORDER BY id DESC
                 LIMIT ?""")
                .params(chatId, afterId, upToSeq, max + 1)
                .query((row, number) -> new SequencedMessage(row.getLong("seq"), message(row, row.getLong("chat_id"))))
                .list();
        boolean complete = newestFirst.size() <= max;
        List<SequencedMessage> page = new ArrayList<>(newestFirst.subList(0, Math.min(max, newestFirst.size())));
        Collections.reverse(page);
        return new MessagePage(page, complete);
    }

    /** A message with the number of the event that created it. */
    public record SequencedMessage(long seq, MessageView message) {
    }

    /** Messages in id order; {@code complete} is false when older ones were left out. */
    public record MessagePage(List<SequencedMessage> messages, boolean complete) {
    }

    /** @return the event, or null for one whose message no longer exists (it cannot be shown) */
    private StoredEvent event(ResultSet row, int number) throws SQLException {
        long chatId = row.getLong("chat_id");
        long seq = row.getLong("seq");
        ChatEventType type = ChatEventType.ofWireName(row.getString("type"));
        if (type == ChatEventType.MESSAGES_READ) {
            long readerId = row.getLong("user_id");
            UserSummary reader = users.find(readerId).orElseGet(() -> new UserSummary(readerId, "", "", ""));
            return new StoredEvent.Read(chatId, seq, reader, row.getLong("last_read_message_id"));
        }
        row.getLong("id");
        if (row.wasNull()) {
            return null;
        }
        return new StoredEvent.OfMessage(chatId, seq, type, message(row, chatId));
    }

    private MessageView message(ResultSet row, long chatId) throws SQLException {
        long senderId = row.getLong("sender_id");
        UserSummary sender = users.find(senderId).orElseGet(() -> new UserSummary(senderId, "", "", ""));
        return new MessageView(row.getLong("id"), row.getString("text"), sender, instant(row, "created_at"),
                row.getObject("edited_at") != null, row.getObject("deleted_at") != null, chatId,
                row.getString("client_id"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        return row.getObject(column, OffsetDateTime.class).toInstant();
    }
}
