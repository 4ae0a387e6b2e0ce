package io.chat.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.TestUser;

/** A server started for a load test with {@code chat.passwords.bcrypt-strength=4} hashes new passwords at 4. */
@ChatServerTest
@TestPropertySource(properties = "chat.passwords.bcrypt-strength=4")
class FastPasswordHashingTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void newPasswordsAreHashedAtTheConfiguredStrengthAndLogInAsUsual() {
        Api api = new Api(port);
        TestUser user = api.newUser();
        String hash = jdbc.sql("SELECT password_hash FROM users WHERE id = ?").param(user.id())
                .query(String.class).single();
        assertThat(hash).startsWith("$2a$04$");
        assertThat(api.post("/api/token/", null, Api.json(Map.of("username", user.username(),
                "password", user.password()))).status()).isEqualTo(200);
    }
}
