package io.chat.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.chat.support.Api;
import io.chat.support.Response;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server run with {@code logging.structured.format.console=ecs}, as the README suggests for a
 * log collector: a process of its own (logging is configured once per JVM), whose every console line
 * is one JSON document in Elastic Common Schema, the application's event lines among them, and still
 * without tokens or passwords.
 */
class StructuredLoggingTest {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path log = Files.createTempFile("chat-structured", ".log");
    private Process server;

    StructuredLoggingTest() throws IOException {
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroy();
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        Files.deleteIfExists(log);
    }

    @Test
    void everyConsoleLineIsAnEcsJsonDocumentWithTheEventLinesAndNoSecrets() throws Exception {
        int port = freePort();
        Api api = start(port, "--logging.structured.format.console=ecs");
        TestUser alice = api.newUser();
        TestUser bob = api.newUser();
        long chat = api.newChat(alice, bob);
        try (WsClient socket = WsClient.open(api.wsUrl(chat), alice.access())) {
            socket.sendJson(Map.of("type", "message", "text", "logged as JSON"));
            socket.nextOfType("message");
        }
        Response refused = api.post("/api/token/", null,
                Api.json(Map.of("username", alice.username(), "password", "not-" + alice.password())));
        assertThat(refused.status()).isEqualTo(401);

        List<JsonNode> lines = awaitLines(sofar -> sofar.stream().anyMatch(line -> message(line).startsWith("ws.disconnected"))
                && sofar.stream().anyMatch(line -> message(line).startsWith("auth.login_failed")));
        for (JsonNode line : lines) {
            assertThat(field(line, "@timestamp")).as(line.toString()).isNotEmpty();
            assertThat(field(line, "log.level")).as(line.toString()).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
            assertThat(field(line, "log.logger")).as(line.toString()).isNotEmpty();
            assertThat(field(line, "service.name")).as(line.toString()).isEqualTo("chat");
        }
        JsonNode connected = lines.stream().filter(line -> message(line).startsWith("ws.connected")).findFirst().orElseThrow();
        assertThat(message(connected)).contains("user=" + alice.id()).contains("chat=" + chat);
        assertThat(field(connected, "log.level")).isEqualTo("INFO");
        assertThat(lines).anyMatch(line -> message(line).startsWith("message.sent"));

        String all = Files.readString(log);
        assertThat(all).doesNotContain(alice.access()).doesNotContain(bob.access())
                // the startup guide shows the form, ?token=<access>; nothing else may follow token=
                .doesNotContainPattern("token=(?!<access>)")
                .doesNotContain(alice.password()).doesNotContain("logged as JSON");
    }

    /** The console lines so far, each parsed (a line that is not JSON fails the test), once they satisfy the wait. */
    private List<JsonNode> awaitLines(Predicate<List<JsonNode>> complete) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            List<JsonNode> parsed = new ArrayList<>();
            for (String line : Files.readAllLines(log)) {
                if (!line.isBlank()) {
                    try {
                        parsed.add(JSON.readTree(line));
                    } catch (RuntimeException notJson) {
                        throw new AssertionError("a console line that is not JSON: " + line, notJson);
                    }
                }
            }
            if (complete.test(parsed) || System.nanoTime() > deadline) {
                assertThat(complete.test(parsed)).as("the expected lines in " + parsed).isTrue();
                return parsed;
            }
            Thread.sleep(200);
        }
    }

    private static String message(JsonNode line) {
        return line.path("message").asString("");
    }

    /** An ECS field, written either nested ({"log": {"level": ...}}) or with a dotted name. */
    private static String field(JsonNode line, String dotted) {
        JsonNode flat = line.get(dotted);
        if (flat != null) {
            return flat.asString();
        }
        JsonNode node = line;
        for (String part : dotted.split("\\.")) {
            node = node.path(part);
        }
        return node.isMissingNode() ? "" : node.asString();
    }

    /** The server from the test classpath with the test profile (the test database), in a JVM of its own. */
    private Api start(int port, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.chat.ChatApplication", "--spring.profiles.active=test", "--server.port=" + port));
        command.addAll(List.of(args));
        server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Api api = new Api(port);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("server exited with " + server.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (api.get("/actuator/health", null).status() == 200) {
                    return api;
                }
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("server not healthy within " + START_TIMEOUT + ":\n" + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
