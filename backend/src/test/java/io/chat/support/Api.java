package io.chat.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/** A REST client of the running server, with shortcuts for the set-up most tests need. */
public final class Api {

    private static final AtomicLong SEQUENCE = new AtomicLong(System.nanoTime() % 1_000_000_000L);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Api(int port) {
        this("http://127.0.0.1:" + port);
    }

    public Api(String base) {
        this.base = base;
    }

    public String wsUrl(long chatId) {
        return base.replaceFirst("^http", "ws") + "/ws/chat/" + chatId + "/";
    }

    public static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    public static JsonNode parse(String text) {
        return JSON.readTree(text);
    }

    /** A unique username for this test run. */
    public static String uniqueName(String prefix) {
        return prefix + "_" + SEQUENCE.incrementAndGet();
    }

    public TestUser newUser() {
        return newUser(uniqueName("user"));
    }

    public TestUser newUser(String username) {
        String password = "password-" + username;
        Response registered = post("/api/auth/register/", null,
                json(Map.of("username", username, "password", password, "first_name", "First " + username,
                        "last_name", "Last")));
        if (registered.status() != 201) {
            throw new AssertionError("registration failed: " + registered.status() + " " + registered.text());
        }
        Response tokens = post("/api/token/", null, json(Map.of("username", username, "password", password)));
        if (tokens.status() != 200) {
            throw new AssertionError("login failed: " + tokens.status() + " " + tokens.text());
        }
        return new TestUser(registered.json().get("id").asLong(), username, password,
                tokens.json().get("access").asString(), tokens.json().get("refresh").asString());
    }

    /** A chat made by {@code owner} with the others as participants; returns its id. */
    public long newChat(TestUser owner, TestUser... others) {
        Response created = post("/api/chats/", owner.access(), json(Map.of("name", "chat",
                "participant_ids", Arrays.stream(others).map(TestUser::id).toList())));
        if (created.status() != 201) {
            throw new AssertionError("chat creation failed: " + created.status() + " " + created.text());
        }
        return created.json().get("id").asLong();
    }

    /** Ids of every stored message of the chat, in id order, read page by page as a client would. */
    public List<Long> messageIds(long chatId, TestUser reader) {
        List<Long> ids = new ArrayList<>();
        Long after = 0L;
        while (after != null) {
            JsonNode page = get("/api/chats/" + chatId + "/messages/?limit=200&after_id=" + after, reader.access())
                    .json();
            page.get("results").forEach(message -> ids.add(message.get("id").asLong()));
            after = page.get("has_more").asBoolean() ? ids.get(ids.size() - 1) : null;
        }
        return ids;
    }

    /**
     * The chat's events after {@code afterSeq}, as {@code GET /api/chats/{id}/events/} lists them, every
     * page, each checked against its frame's schema in {@code docs/asyncapi.yaml}.
     */
    public List<JsonNode> events(long chatId, long afterSeq, TestUser reader) {
        List<JsonNode> events = new ArrayList<>();
        long after = afterSeq;
        while (true) {
            JsonNode page = get("/api/chats/" + chatId + "/events/?limit=1000&after_seq=" + after, reader.access())
                    .json();
            for (JsonNode event : page.get("results")) {
                // each is shaped as its socket frame, so the frame schemas of asyncapi.yaml hold for it too
                List<String> problems = FrameSchemas.checkServerFrame(event.toString());
                if (!problems.isEmpty()) {
                    throw new AssertionError("events that break docs/asyncapi.yaml:\n" + String.join("\n", problems));
                }
                events.add(event);
            }
            if (!page.get("has_more").asBoolean()) {
                return events;
            }
            after = events.get(events.size() - 1).get("seq").asLong();
        }
    }

    public Response get(String path, String token) {
        return send(request(path, token).GET());
    }

    public Response post(String path, String token, String body) {
        return send(request(path, token).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"));
    }

    public Response patch(String path, String token, String body) {
        return send(request(path, token).method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"));
    }

    public Response delete(String path, String token) {
        return send(request(path, token).DELETE());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            JsonNode json;
            try {
                json = text == null || text.isBlank() ? MissingNode.getInstance() : JSON.readTree(text);
            } catch (RuntimeException notJson) {
                json = MissingNode.getInstance();
            }
            return new Response(response.statusCode(), response.headers(), text, json);
        } catch (IOException failure) {
            throw new IllegalStateException(failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }
}
