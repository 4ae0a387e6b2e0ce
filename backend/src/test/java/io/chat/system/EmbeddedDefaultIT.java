package io.chat.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import io.chat.support.Api;
import io.chat.support.Response;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import tools.jackson.databind.JsonNode;

/**
 * The packaged jar on its embedded default, as a newcomer runs it: no datasource configured, so it
 * starts its own PostgreSQL; everything works end to end over the real protocol, a SIGTERM closes
 * sockets with 1012 and stops that PostgreSQL too, and what was stored survives a restart.
 *
 * <p>Runs in failsafe's {@code verify} phase: it needs the jar that {@code package} built (system
 * property {@code chat.jar}, set by the pom).
 */
class EmbeddedDefaultIT {

    private static final String SECRET = "embedded-default-secret-of-32-bytes-or-more";
    /** Generous: the first start unpacks PostgreSQL and runs initdb, on a shared, busy CI machine. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDirectory = Files.createTempDirectory("chat-embedded-pg");
    // Under target/, so that a CI run keeps it as an artifact.
    private final Path log = Files.createDirectories(Path.of("target", "it-logs"))
            .resolve("embedded-default-" + System.currentTimeMillis() + ".log").toAbsolutePath();
    private Process server;

    @RegisterExtension
    final TestWatcher printServerLogOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            System.err.println("---- server log (" + log + ") ----");
            System.err.println(readLog());
            System.err.println("---- end of server log ----");
        }
    };

    EmbeddedDefaultIT() throws IOException {
    }

    /** Runs whatever happened: no server JVM and no PostgreSQL outlives the test. */
    @AfterEach
    void stopEverything() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroy();
            if (!server.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        // A killed JVM cannot stop its PostgreSQL: that one is not its child (pg_ctl detaches it).
        for (ProcessHandle leftover : postgresProcessesOf(dataDirectory)) {
            leftover.destroy(); // SIGTERM: PostgreSQL's smart shutdown
            try {
                leftover.onExit().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException stuck) {
                leftover.destroyForcibly();
            }
        }
        deleteRecursively(dataDirectory);
    }

    @Test
    void jarWithNoDatabaseConfiguredServesChatStopsCleanlyAndKeepsMessagesAcrossRestarts() throws Exception {
        int port = freePort();
        Api api = start(port);
        assertThat(readLog()).as("the startup log names the data directory")
                .contains("Embedded PostgreSQL started").contains(dataDirectory.toString());
        ProcessHandle postgres = postmasterOf(dataDirectory);

        TestUser alice = api.newUser();
        TestUser bob = api.newUser();
        long chat = api.newChat(alice, bob);
        long messageId;
        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(api.wsUrl(chat), bob.access())) {
            a.sendJson(Map.of("type", "message", "text", "survives restarts"));
            JsonNode received = b.nextOfType("message").get("data");
            assertThat(received.get("text").asString()).isEqualTo("survives restarts");
            assertThat(received.get("sender").get("username").asString()).isEqualTo(alice.username());
            messageId = received.get("id").asLong();
            assertThat(a.nextOfType("message").get("data").get("id").asLong())
                    .as("the sender's acknowledgement carries the stored id").isEqualTo(messageId);

            server.destroy(); // SIGTERM, as a deploy does
            WsClient.Closed serviceRestart = new WsClient.Closed(1012, "Service restart");
            assertThat(a.awaitClose(Duration.ofSeconds(30))).isEqualTo(serviceRestart);
            assertThat(b.awaitClose(Duration.ofSeconds(30))).isEqualTo(serviceRestart);
            assertThat(server.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("server exits on SIGTERM").isTrue();
        }
        assertStoppedCleanly(postgres);

        api = start(port);
        ProcessHandle restartedPostgres = postmasterOf(dataDirectory);
        for (TestUser user : List.of(alice, bob)) {
            Response login = api.post("/api/token/", null,
                    Api.json(Map.of("username", user.username(), "password", user.password())));
            assertThat(login.status()).as(user.username() + " logs in after the restart").isEqualTo(200);
            JsonNode history = api.get("/api/chats/" + chat + "/messages/", login.json().get("access").asString())
                    .json().get("results");
            assertThat(history).hasSize(1);
            assertThat(history.get(0).get("id").asLong()).isEqualTo(messageId);
            assertThat(history.get(0).get("text").asString()).isEqualTo("survives restarts");
        }

        server.destroy();
        assertThat(server.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertStoppedCleanly(restartedPostgres);
    }

    private Api start(int port) throws Exception {
        String jar = System.getProperty("chat.jar", "target/chat-backend.jar");
        assertThat(Path.of(jar)).as("the packaged jar (run this test with mvn verify)").exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        // No spring.datasource.url anywhere: the environment of a developer machine may carry one.
        ProcessBuilder command = new ProcessBuilder(List.of(java, "-Xmx256m", "-jar", jar,
                "--chat.jwt.secret=" + SECRET, "--server.port=" + port,
                "--chat.embedded-postgres.data-directory=" + dataDirectory))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        command.environment().keySet().removeIf(name -> name.startsWith("SPRING_DATASOURCE"));
        server = command.start();
        Api api = new Api(port);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("server exited with " + server.exitValue() + " before it was healthy");
            }
            try {
                Response health = api.get("/actuator/health", null);
                if (health.status() == 200 && "UP".equals(health.json().path("status").asString())) {
                    return api;
                }
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("server not healthy within " + START_TIMEOUT);
    }

    /** The PostgreSQL server process of a running embedded database, from its own pid file. */
    private static ProcessHandle postmasterOf(Path dataDirectory) throws IOException {
        long pid = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
        Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
        assertThat(postmaster).as("PostgreSQL process " + pid).isPresent();
        assertThat(postgresProcessesOf(dataDirectory)).as("the leak check can see it").contains(postmaster.get());
        return postmaster.get();
    }

    private void assertStoppedCleanly(ProcessHandle postgres) throws Exception {
        assertThat(postgres.onExit().get(30, TimeUnit.SECONDS).isAlive())
                .as("embedded PostgreSQL stopped with the server").isFalse();
        assertThat(postgresProcessesOf(dataDirectory)).as("no PostgreSQL process left on the data directory").isEmpty();
        assertThat(dataDirectory.resolve("postmaster.pid")).as("PostgreSQL shut down, not killed").doesNotExist();
        assertThat(readLog()).doesNotContain("Exception in thread");
    }

    private static List<ProcessHandle> postgresProcessesOf(Path dataDirectory) {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine()
                        .filter(command -> command.contains("postgres") && command.contains(dataDirectory.toString()))
                        .isPresent())
                .toList();
    }

    private String readLog() {
        try {
            return Files.readString(log);
        } catch (IOException unreadable) {
            return "(server log unreadable: " + unreadable + ")";
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (Files.exists(directory)) {
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
