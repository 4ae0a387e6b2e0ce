package io.chat.auth;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A person who chats: a local account with a password, or one known from an external OpenID provider. */
@Entity
@Table(name = "users")
class UserAccount {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, length = 150)
    private String username;

    private String passwordHash;

    @Column(nullable = false, length = 150)
    private String firstName;

    @Column(nullable = false, length = 150)
    private String lastName;

    private String externalSubject;

    @Column(nullable = false)
    private Instant createdAt;

    protected UserAccount() {
    }

    private UserAccount(String username, String passwordHash, String firstName, String lastName,
            String externalSubject) {
        this.username = username;
        this.passwordHash = passwordHash;
        this.firstName = firstName;
        this.lastName = lastName;
        this.externalSubject = externalSubject;
        this.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    static UserAccount local(String username, String passwordHash, String firstName, String lastName) {
        return new UserAccount(username, passwordHash, firstName, lastName, null);
    }

    static UserAccount external(String subject, String username, String firstName, String lastName) {
        return new UserAccount(username, null, firstName, lastName, subject);
    }

    Long id() {
        return id;
    }

    String username() {
        return username;
    }

    String passwordHash() {
        return passwordHash;
    }

    UserSummary summary() {
        return new UserSummary(id, username, firstName, lastName);
    }
}
