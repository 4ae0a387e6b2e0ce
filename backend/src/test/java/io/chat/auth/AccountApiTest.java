package io.chat.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.Response;
import io.chat.support.TestUser;
import io.chat.support.TokenMinter;

/** Registration, login, refresh and the user endpoints of PROTOCOL.md part 2. */
@ChatServerTest
class AccountApiTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void registrationCreatesAUserWithAHashedPassword() {
        Api api = new Api(port);
        String name = Api.uniqueName("john_doe");
        Response created = api.post("/api/auth/register/", null, Api.json(Map.of("username", name,
                "password", "secret-pass", "first_name", "John", "last_name", "Doe")));
        assertThat(created.status()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.json().toString()).isEqualTo("{\"id\":" + id + ",\"username\":\"" + name
                + "\",\"first_name\":\"John\",\"last_name\":\"Doe\"}");
        String hash = jdbc.sql("SELECT password_hash FROM users WHERE id = ?").param(id).query(String.class).single();
        assertThat(hash).startsWith("$2").doesNotContain("secret-pass");
        // without the trailing slash too
        assertThat(api.post("/api/auth/register", null, Api.json(Map.of("username", name + "_2",
                "password", "secret-pass"))).status()).isEqualTo(201);
    }

    @Test
    void registrationRefusesTakenInvalidOrShortWithFieldErrors() {
        Api api = new Api(port);
        TestUser taken = api.newUser();
        Response duplicate = api.post("/api/auth/register/", null,
                Api.json(Map.of("username", taken.username(), "password", "secret-pass")));
        assertProblem(duplicate, 400);
        assertThat(duplicate.json().get("errors").get("username").get(0).asString())
                .isEqualTo("A user with that username already exists.");

        for (String bad : new String[] {"with space", "x".repeat(151), "semi;colon", ""}) {
            Response invalid = api.post("/api/auth/register/", null, Api.json(Map.of("username", bad,
                    "password", "secret-pass")));
            assertProblem(invalid, 400);
            assertThat(invalid.json().get("errors").has("username")).as(bad).isTrue();
        }
        Response shortPassword = api.post("/api/auth/register/", null,
                Api.json(Map.of("username", Api.uniqueName("shorty"), "password", "1234567")));
        assertProblem(shortPassword, 400);
        assertThat(shortPassword.json().get("errors").get("password").get(0).asString())
                .isEqualTo("This password is too short. It must contain at least 8 characters.");
        Response missing = api.post("/api/auth/register/", null, "{}");
        assertThat(missing.json().get("errors").get("username").get(0).asString()).isEqualTo("This field is required.");
        assertThat(missing.json().get("errors").get("password").get(0).asString()).isEqualTo("This field is required.");
    }

    @Test
    void malformedOrMistypedBodiesAreBadRequests() {
        Api api = new Api(port);
        assertProblem(api.post("/api/auth/register/", null, "{\"username\": 5, \"password\": \"secret-pass\"}"), 400);
        assertThat(api.post("/api/auth/register/", null, "{\"username\": 5, \"password\": \"secret-pass\"}")
                .json().get("errors").has("username")).isTrue();
        Response malformed = api.post("/api/auth/register/", null, "{\"username\": ");
        assertProblem(malformed, 400);
        assertThat(malformed.json().get("detail").asString()).isEqualTo("Invalid JSON format");
        assertProblem(api.post("/api/token/", null, "[]"), 400);
        assertProblem(api.post("/api/token/", null, "{\"username\": [\"a\"], \"password\": true}"), 400);
    }

    @Test
    void loginGivesAccessAndRefreshAndRefreshGivesAccess() {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        Response tokens = api.post("/api/token/", null,
                Api.json(Map.of("username", alice.username(), "password", alice.password())));
        assertThat(tokens.status()).isEqualTo(200);
        assertThat(tokens.json().get("access").asString()).isNotBlank();
        assertThat(tokens.json().get("refresh").asString()).isNotBlank();
        Response refreshed = api.post("/api/token/refresh/", null,
                Api.json(Map.of("refresh", tokens.json().get("refresh").asString())));
        assertThat(refreshed.status()).isEqualTo(200);
        String access = refreshed.json().get("access").asString();
        assertThat(api.get("/api/users/me/", access).json().get("id").asLong()).isEqualTo(alice.id());
    }

    @Test
    void badCredentialsAndBadRefreshTokensAre401() {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        for (Map<String, String> credentials : new Map[] {
                Map.of("username", alice.username(), "password", "wrong-password"),
                Map.of("username", "nobody_" + alice.username(), "password", "whatever-pass")}) {
            Response refused = api.post("/api/token/", null, Api.json(credentials));
            assertProblem(refused, 401);
            assertThat(refused.json().get("detail").asString())
                    .isEqualTo("No active account found with the given credentials");
        }
        assertProblem(api.post("/api/token/", null, Api.json(Map.of("username", alice.username()))), 400);
        for (String refresh : new String[] {alice.access(), "garbage", TokenMinter.sign(
                "another-secret-that-is-also-32-bytes-long", TokenMinter.claims(alice.id(), "refresh", 300).build())}) {
            Response refused = api.post("/api/token/refresh/", null, Api.json(Map.of("refresh", refresh)));
            assertProblem(refused, 401);
            assertThat(refused.json().get("detail").asString()).isEqualTo("Token is invalid or expired");
        }
    }

    @Test
    void meAndPrefixSearch() {
        Api api = new Api(port);
        String prefix = Api.uniqueName("Zed");
        TestUser zed = api.newUser(prefix + "_one");
        api.newUser(prefix + "_two");
        api.newUser("other_" + prefix);
        Response me = api.get("/api/users/me/", zed.access());
        assertThat(me.json().get("username").asString()).isEqualTo(zed.username());
        Response found = api.get("/api/users/?search=" + prefix.toLowerCase(), zed.access());
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json()).hasSize(2);
        found.json().forEach(user -> assertThat(user.get("username").asString()).startsWith(prefix));
    }

    @Test
    void everyOtherEndpointNeedsAValidToken() {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        for (String token : new String[] {null, "garbage", alice.refresh(), TokenMinter.access(alice.id(), -5),
                TokenMinter.unsigned(alice.id()), TokenMinter.access(987_654_321L, 300)}) {
            for (String path : new String[] {"/api/users/me/", "/api/chats/", "/api/chats/1/messages/"}) {
                Response refused = api.get(path, token);
                assertProblem(refused, 401);
                assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                        value -> assertThat(value).startsWith("Bearer"));
            }
        }
        Response health = api.get("/actuator/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("components").get("db").get("status").asString()).isEqualTo("UP");
        assertThat(health.json().get("components").get("broker").get("status").asString()).isEqualTo("UP");
        assertThat(health.json().get("components").get("db").has("details")).as("no details for anonymous callers")
                .isFalse();
        assertThat(api.get("/actuator/health", alice.access()).json().get("components").get("db").has("details"))
                .isTrue();
        assertThat(api.get("/actuator/prometheus", null).status()).isEqualTo(200);
    }

    static void assertProblem(Response response, int status) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(status);
        assertThat(response.json().get("detail").asString()).isNotBlank();
    }
}
