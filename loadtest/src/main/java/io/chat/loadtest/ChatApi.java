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
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Set-up through the REST API, as any client does it: users, tokens, chats; and history, to read a run back. */
final class ChatApi {

    /** A user the tool registered, with an access token. */
    record User(long id, String username, String access) {
    }

    /** One stored message as history gives it: enough to tell the tool's own messages apart. */
    record StoredMessage(long id, String text) {
    }

    /** A page of history, oldest first. */
    record HistoryPage(List<StoredMessage> results, boolean hasMore) {
    }

    /** The server's largest history page. */
    static final int HISTORY_PAGE = 200;
    private static final String PASSWORD = "load-test-password";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int PARALLEL_SETUP = 8;

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    /** Access tokens taken again after the first expired (they live 5 minutes on a default server), by user id. */
    private final Map<Long, String> renewed = new ConcurrentHashMap<>();

    ChatApi(URI base) {
        this.base = base;
    }

    /** Registers and logs in {@code count} users, a few at a time (password hashing is slow by design). */
    List<User> users(int count) throws Exception {
        return users("", count);
    }

    /**
     * Registers and logs in {@code count} users whose names set them apart from the run's other
     * groups of users ({@code group}: a few letters, or empty).
     */
    List<User> users(String group, int count) throws Exception {
        List<Callable<User>> registrations = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String username = "lt_" + runId + group + "_" + i;
            registrations.add(() -> user(username));
        }
        return inParallel(registrations);
    }

    /** Runs the calls a few at a time and gives their results in the calls' order; the first failure fails all. */
    private static <T> List<T> inParallel(List<Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_SETUP);
        try {
            List<Future<T>> pending = new ArrayList<>();
            for (Callable<T> call : calls) {
                pending.add(pool.submit(call));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> result : pending) {
                results.add(result.get());
            }
            return results;
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
        List<Callable<Long>> creations = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            creations.add(() -> chat(owner, members));
        }
        return inParallel(creations);
    }

    /**
     * Creates one chat per group, each by the group's first user with the others as participants, a
     * few at a time. The creator logs in again for it: each user's own token must reach the server
     * first when its socket opens, as a newcomer's does, not in set-up, where verifying it would warm
     * the server's cache of verified tokens for the open that is timed.
     */
    List<Long> chatsOf(List<List<User>> groups) throws Exception {
        List<Callable<Long>> creations = new ArrayList<>();
        for (List<User> group : groups) {
            creations.add(() -> {
                User first = group.get(0);
                return chat(new User(first.id(), first.username(), login(first.username())), group);
            });
        }
        return inParallel(creations);
    }

    /** The chat's messages after {@code afterId}, oldest first, as {@code reader} (a member) sees them. */
    HistoryPage messagesAfter(long chatId, User reader, long afterId) throws IOException, InterruptedException {
        String path = "/api/chats/" + chatId + "/messages/?after_id=" + afterId + "&limit=" + HISTORY_PAGE;
        HttpResponse<String> response = get(path, renewed.getOrDefault(reader.id(), reader.access()));
        if (response.statusCode() == 401) {
            renewed.put(reader.id(), login(reader.username()));
            response = get(path, renewed.get(reader.id()));
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        JsonNode page = JSON.readTree(response.body());
        List<StoredMessage> results = new ArrayList<>();
        for (JsonNode message : page.path("results")) {
            results.add(new StoredMessage(message.path("id").asLong(MessageFrames.ABSENT),
                    message.path("text").asString("")));
        }
        // a server that leaves out has_more is read until a page comes back short
        boolean hasMore = page.has("has_more") ? page.get("has_more").asBoolean()
                : results.size() == HISTORY_PAGE;
        return new HistoryPage(results, hasMore);
    }

    String text(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private User user(String username) throws IOException, InterruptedException {
        JsonNode registered = post("/api/auth/register/", null, Map.of("username", username, "password", PASSWORD));
        return new User(registered.get("id").asLong(), username, login(username));
    }

    private String login(String username) throws IOException, InterruptedException {
        return post("/api/token/", null, Map.of("username", username, "password", PASSWORD)).get("access").asString();
    }

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
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
