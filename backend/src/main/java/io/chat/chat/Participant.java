package io.chat.chat;

import java.io.Serializable;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A user's place in a chat, with the read marker that unread counts are measured from. */
@Entity
@Table(name = "chat_participants")
@IdClass(Participant.Key.class)
class Participant {

    @Id
    private Long chatId;

    @Id
    private Long userId;

    @Column(nullable = false)
    private Instant joinedAt;

    @Column(nullable = false)
    private long lastReadMessageId;

    protected Participant() {
    }

    Participant(long chatId, long userId) {
        this.chatId = chatId;
        this.userId = userId;
        this.joinedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    Long chatId() {
        return chatId;
    }

    Long userId() {
        return userId;
    }

    long lastReadMessageId() {
        return lastReadMessageId;
    }

    /** Composite key (chat, user). */
    static class Key implements Serializable {

        private Long chatId;
        private Long userId;

        protected Key() {
        }

        Key(long chatId, long userId) {
            this.chatId = chatId;
            this.userId = userId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(chatId, key.chatId) && Objects.equals(userId, key.userId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(chatId, userId);
        }
    }
}
