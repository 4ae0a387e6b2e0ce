package io.chat.message;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A stored message. Deleting is soft: the row stays, its text is emptied and its deletion time set. */
@Entity
@Table(name = "messages")
class ChatMessage {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private long chatId;

    @Column(nullable = false)
    private long senderId;

    @Column(nullable = false)
    private String text;

    @Column(nullable = false)
    private Instant createdAt;

    private Instant editedAt;

    private Instant deletedAt;

    private String clientId;

    protected ChatMessage() {
    }

    void edit(String newText, Instant at) {
        this.text = newText;
        this.editedAt = at;
    }

    void delete(Instant at) {
        this.text = "";
        this.deletedAt = at;
    }

    Long id() {
        return id;
    }

    long chatId() {
        return chatId;
    }

    long senderId() {
        return senderId;
    }

    String text() {
        return text;
    }

    Instant createdAt() {
        return createdAt;
    }

    boolean isEdited() {
        return editedAt != null;
    }

    boolean isDeleted() {
        return deletedAt != null;
    }

    String clientId() {
        return clientId;
    }

}
