package io.chat.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Set-up through the REST API, as any client does it: users, tokens, chats. */
final class ChatApi {

    /** A user the tool registered, with an access token. */
    record User(long id, String username, String access) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int PARALLEL_SETUP = 8;

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);

    ChatApi(URI base) {
        this.base = base;
    }

    /** Registers and logs in {@code count} users, a few at a time (password hashing is slow by design). */
    List<User> users(int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_SETUP);
        try {
            List<Future<User>> pending = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String username = "lt_" + runId + "_" + i;
                pending.add(pool.submit(() -> user(username)));
            }
            List<User> users = new ArrayList<>();
            for (Future<User> user : pending) {
                users.add(user.get());
            }
            return users;
        } finally {
            pool.shutdownNow();
        }
    }

    long chat(User owner, List<User> members) throws Exception {
        List<Long> ids = members.stream().filter(member -> member.id() != owner.id()).map(User::id).toList();
        return post("/api/chats/", owner.access(), Map.of("name", "load " + runId, "participant_ids", ids))
                .get("id").asLong();
    }

    /** Creates many chats of the same members, a few at a time. */
    List<Long> chats(User owner, List<User> members, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_SETUP);
        try {
            List<Future<Long>> pending = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                pending.add(pool.submit(() -> chat(owner, members)));
            }
            List<Long> chats = new ArrayList<>();
            for (Future<Long> chat : pending) {
                chats.add(chat.get());
            }
            return chats;
        } finally {
            pool.shutdownNow();
        }
    }

    String text(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private User user(String username) throws IOException, InterruptedException {
        String password = "load-test-password";
        JsonNode registered = post("/api/auth/register/", null, Map.of("username", username, "password", password));
        JsonNode tokens = post("/api/token/", null, Map.of("username", username, "password", password));
        return new User(registered.get("id").asLong(), username, tokens.get("access").asString());
    }

    private JsonNode post(String path, String token, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }
}
