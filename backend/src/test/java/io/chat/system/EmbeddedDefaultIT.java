package io.chat.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.chat.support.Api;
import io.chat.support.Response;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import tools.jackson.databind.JsonNode;

/**
 * The packaged jar on its embedded default, as a newcomer runs it: no datasource configured, so it
 * starts its own PostgreSQL; everything works end to end, and what was stored survives a restart.
 */
class EmbeddedDefaultIT {

    private static final String SECRET = "embedded-default-secret-of-32-bytes-or-more";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Path dataDirectory = Files.createTempDirectory("chat-embedded-pg");
    private final Path log = Files.createTempFile("chat-jar", ".log");
    private Process server;

    EmbeddedDefaultIT() throws IOException {
    }

    @AfterEach
    void stopServer() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void jarWithNoDatabaseConfiguredServesChatAndKeepsMessagesAcrossRestarts() throws Exception {
        int port = freePort();
        Api api = start(port);
        assertThat(Files.readString(log)).contains("Embedded PostgreSQL started").contains(dataDirectory.toString());

        TestUser alice = api.newUser();
        TestUser bob = api.newUser();
        long chat = api.newChat(alice, bob);
        long messageId;
        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(api.wsUrl(chat), bob.access())) {
            a.sendJson(Map.of("type", "message", "text", "survives restarts"));
            JsonNode received = b.next();
            assertThat(received.get("data").get("text").asString()).isEqualTo("survives restarts");
            messageId = received.get("data").get("id").asLong();

            server.destroy(); // SIGTERM, as a deploy does
            assertThat(a.awaitClose(Duration.ofSeconds(30))).isEqualTo(new WsClient.Closed(1012, "Service restart"));
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("server exits on SIGTERM").isTrue();
        }
        assertThat(postgresProcessesOf(dataDirectory)).as("embedded PostgreSQL stopped with the server").isEmpty();

        api = start(port);
        Response login = api.post("/api/token/", null,
                Api.json(Map.of("username", alice.username(), "password", alice.password())));
        assertThat(login.status()).isEqualTo(200);
        String access = login.json().get("access").asString();
        JsonNode history = api.get("/api/chats/" + chat + "/messages/", access).json().get("results");
        assertThat(history).hasSize(1);
        assertThat(history.get(0).get("id").asLong()).isEqualTo(messageId);
        assertThat(history.get(0).get("text").asString()).isEqualTo("survives restarts");

        server.destroy();
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(postgresProcessesOf(dataDirectory)).isEmpty();
    }

    private Api start(int port) throws Exception {
        String jar = System.getProperty("chat.jar", "target/chat-backend.jar");
        String java = ProcessHandle.current().info().command().orElse("java");
        server = new ProcessBuilder(List.of(java, "-jar", jar, "--chat.jwt.secret=" + SECRET,
                "--server.port=" + port, "--chat.embedded-postgres.data-directory=" + dataDirectory))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
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

    private static List<String> postgresProcessesOf(Path dataDirectory) {
        return ProcessHandle.allProcesses()
                .map(process -> process.info().commandLine().orElse(""))
                .filter(command -> command.contains("postgres") && command.contains(dataDirectory.toString()))
                .toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
