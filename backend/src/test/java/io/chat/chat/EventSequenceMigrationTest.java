package io.chat.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The migration that brings in the chat's event sequence, applied to a database that already holds
 * chats and messages (schema version 2, as deployed before it): existing messages become their
 * chats' first events, numbered 1, 2, 3, ... in id order, and each chat's counter carries on from there;
 * then version 5, after which a message's event is its row in {@code messages} alone.
 */
class EventSequenceMigrationTest {

    static final String SERVER = System.getenv().getOrDefault("CHAT_TEST_DB_SERVER",
            "jdbc:postgresql://127.0.0.1:5432/");
    static final String USER = System.getenv().getOrDefault("CHAT_TEST_DB_USER", "postgres");

    final String database = "chat_migration_" + System.nanoTime();
    SingleConnectionDataSource dataSource;

    @BeforeEach
    void anEmptyDatabase() throws SQLException {
        try (Connection admin = DriverManager.getConnection(SERVER + "postgres", USER, "")) {
            admin.createStatement().execute("CREATE DATABASE " + database);
        }
        dataSource = new SingleConnectionDataSource(SERVER + database, USER, "", true);
    }

    @AfterEach
    void dropIt() throws SQLException {
        dataSource.destroy();
        try (Connection admin = DriverManager.getConnection(SERVER + "postgres", USER, "")) {
            admin.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    @Test
    void existingMessagesAreNumberedInIdOrderPerChatAndCountersCarryOn() {
        migrate("2");
        JdbcClient jdbc = JdbcClient.create(dataSource);
        jdbc.sql("INSERT INTO users (id, username) VALUES (1, 'ann'), (2, 'ben')").update();
        jdbc.sql("INSERT INTO chats (id, name) VALUES (10, 'busy'), (20, 'quiet'), (30, 'empty')").update();
        // the two chats' messages interleave by id
        jdbc.sql("""
                INSERT INTO messages (id, chat_id, sender_id, text, created_at, edited_at, deleted_at) VALUES
                  (100, 10, 1, 'a', now(), NULL, NULL),
                  (101, 20, 2, 'b', now(), NULL, NULL),
                  (102, 10, 2, 'c', now(), now(), NULL),
                  (104, 10, 1, '', now(), NULL, now()),
                  (103, 20, 1, 'd', now(), NULL, NULL)""").update();

        migrate("3");

        assertThat(jdbc.sql("SELECT id, seq FROM messages ORDER BY id").query((row, n) ->
                row.getLong("id") + ":" + row.getLong("seq")).list())
                .containsExactly("100:1", "101:1", "102:2", "103:2", "104:3");
        assertThat(jdbc.sql("SELECT chat_id, seq, type, user_id, message_id FROM chat_events ORDER BY chat_id, seq")
                .query((row, n) -> List.of(row.getLong(1), row.getLong(2), row.getString(3), row.getLong(4),
                        row.getLong(5))).list())
                .containsExactly(List.of(10L, 1L, "message", 1L, 100L), List.of(10L, 2L, "message", 2L, 102L),
                        List.of(10L, 3L, "message", 1L, 104L), List.of(20L, 1L, "message", 2L, 101L),
                        List.of(20L, 2L, "message", 1L, 103L));
        assertThat(jdbc.sql("SELECT id, last_seq FROM chats ORDER BY id").query((row, n) ->
                row.getLong("id") + ":" + row.getLong("last_seq")).list())
                .containsExactly("10:3", "20:2", "30:0");
        jdbc.sql("""
                INSERT INTO chat_events (chat_id, seq, type, user_id, message_id, created_at)
                VALUES (10, 4, 'message_updated', 2, 102, now())""").update();
        jdbc.sql("UPDATE chats SET last_seq = 4 WHERE id = 10").update();

        migrate(null);

        // version 5: a message's event is its row in messages; chat_events keeps the other changes
        assertThat(jdbc.sql("SELECT chat_id, seq, type FROM chat_events ORDER BY chat_id, seq")
                .query((row, n) -> row.getLong(1) + ":" + row.getLong(2) + ":" + row.getString(3)).list())
                .containsExactly("10:4:message_updated");
        assertThat(jdbc.sql("SELECT id, seq FROM messages ORDER BY id").query((row, n) ->
                row.getLong("id") + ":" + row.getLong("seq")).list())
                .containsExactly("100:1", "101:1", "102:2", "103:2", "104:3");
        // the next change of a chat takes the next number
        assertThat(jdbc.sql("UPDATE chats SET last_seq = last_seq + 1 WHERE id = 10 RETURNING last_seq")
                .query(Long.class).single()).isEqualTo(5);
    }

    @Test
    void anEmptyDatabaseMigratesToo() {
        migrate(null);
        assertThat(JdbcClient.create(dataSource).sql("SELECT count(*) FROM chat_events").query(Long.class).single())
                .isZero();
    }

    private void migrate(String target) {
        var configuration = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration");
        if (target != null) {
            configuration.target(target);
        }
        configuration.load().migrate();
    }
}
