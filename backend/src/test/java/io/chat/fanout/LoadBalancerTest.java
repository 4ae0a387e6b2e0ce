package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;

import io.chat.support.Api;
import io.chat.support.Instances;
import io.chat.support.RepositoryFiles;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import tools.jackson.databind.JsonNode;

/**
 * The deployment's topology on loopback: haproxy, with the repository's loopback configuration
 * ({@code deploy/haproxy-local.cfg}, kept equal to the compose one but for addresses), in front of
 * two relay-mode instances. Upgrades pass through it, connections spread over both instances, and
 * clients talk to each other whichever instance they landed on: no stickiness. An instance that is
 * not ready gets no new sockets, none ready fails open, and the clients of an instance that shuts
 * down get 1012 and come back through the same address to the other one. Its log and the
 * instances' access logs carry paths without the query string (where browsers put their token),
 * the instances see the client's address as haproxy forwards it and not as the client claims it,
 * and the actuator is not served through it. Needs {@code haproxy}
 * on the PATH ({@code .ci/run} installs it); skipped otherwise, except the check that the two
 * configuration files agree.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadBalancerTest {

    static final int CLIENTS = 8;
    static final int FIFTY = 50;
    /** Longer than haproxy needs to mark an instance down (checks every 2 s, 2 failures). */
    static final String DRAIN = "--chat.shutdown.drain-delay=6s";
    static final ExecutorService RECONNECTS = Executors.newFixedThreadPool(FIFTY);
    /** Two failed checks two seconds apart, plus slack for a busy machine. */
    static final Duration CHECK_SETTLE = Duration.ofSeconds(20);

    /** Not haproxy's own address (127.0.0.1): Linux routes all of 127/8 to the loopback interface. */
    static final String CLIENT_ADDRESS = "127.0.0.2";

    static Instances cluster;
    static Process haproxy;
    static Path haproxyLog;
    static Path accessLogs;
    static Api lb;
    static int lbPort;

    final List<WsClient> clients = new ArrayList<>();

    @BeforeAll
    static void startHaproxyInFrontOfTwoInstances() throws Exception {
        if (!RepositoryFiles.onPath("haproxy")) {
            return;
        }
        // The access log as shipped (application.properties), turned on, one file per instance.
        accessLogs = Files.createTempDirectory("chat-access-logs");
        cluster = Instances.start(0);
        for (int i = 0; i < 2; i++) {
            cluster.add(DRAIN, "--server.tomcat.accesslog.enabled=true",
                    "--server.tomcat.accesslog.directory=" + accessLogs, "--server.tomcat.accesslog.prefix=app" + (i + 1),
                    "--server.tomcat.accesslog.buffered=false");
        }
        lbPort = freePort();
        haproxyLog = Files.createTempFile("haproxy", ".log");
        ProcessBuilder command = new ProcessBuilder("haproxy", "-db", "-f",
                RepositoryFiles.find("deploy/haproxy-local.cfg").toString())
                .redirectErrorStream(true).redirectOutput(haproxyLog.toFile());
        command.environment().putAll(Map.of("CHAT_LB_PORT", String.valueOf(lbPort),
                "CHAT_APP1", "127.0.0.1:" + cluster.port(0), "CHAT_APP2", "127.0.0.1:" + cluster.port(1)));
        haproxy = command.start();
        awaitPort(lbPort);
        lb = new Api(lbPort);
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (haproxy != null) {
            haproxy.destroy();
            if (!haproxy.waitFor(10, TimeUnit.SECONDS)) {
                haproxy.destroyForcibly();
            }
        }
        if (cluster != null) {
            cluster.close();
        }
        if (accessLogs != null) {
            try (Stream<Path> files = Files.list(accessLogs)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(accessLogs);
        }
    }

    @AfterEach
    void closeClientsAndMakeInstancesReadyAgain() {
        clients.forEach(WsClient::close);
        if (cluster != null && cluster.context(0).isActive() && cluster.context(1).isActive()) {
            for (int i = 0; i < 2; i++) {
                AvailabilityChangeEvent.publish(cluster.context(i), ReadinessState.ACCEPTING_TRAFFIC);
            }
            await("both instances back in rotation", () -> serverUp("app1") && serverUp("app2"));
            // Counts of the next test start from zero: closes are handled asynchronously.
            await("every socket closed", () -> sessionsOn(0) == 0 && sessionsOn(1) == 0);
        }
    }

    @Test
    void clientsSpreadOverTwoInstancesBehindHaproxyTalkToEachOther() {
        assumeHaproxy();
        connectThroughTheBalancer();
        assertThat(sessionsOn(0)).as("instance 1 got some clients").isPositive();
        assertThat(sessionsOn(1)).as("instance 2 got some clients").isPositive();
        assertThat(sessionsOn(0) + sessionsOn(1)).isEqualTo(CLIENTS);

        for (int i = 0; i < CLIENTS; i++) {
            clients.get(i).sendJson(Map.of("type", "message", "text", "hello from " + i));
        }
        for (WsClient client : clients) {
            Set<String> heard = new HashSet<>();
            for (int i = 0; i < CLIENTS; i++) {
                heard.add(client.nextOfType("message").get("data").get("text").asString());
            }
            assertThat(heard).hasSize(CLIENTS);
        }
    }

    @Test
    void anInstanceThatIsNotReadyGetsNoNewSocketsAndWhenNoneIsReadyTheBalancerFailsOpen() {
        assumeHaproxy();
        TestUser owner = lb.newUser();
        List<TestUser> users = new ArrayList<>();
        for (int i = 0; i < 2 * CLIENTS; i++) {
            users.add(lb.newUser());
        }
        long chat = lb.newChat(owner, users.toArray(TestUser[]::new));

        // As while it shuts down, or loses the database.
        AvailabilityChangeEvent.publish(cluster.context(0), ReadinessState.REFUSING_TRAFFIC);
        await("app1 out of the ready pool", () -> !serverUp("app1"));
        for (TestUser user : users.subList(0, CLIENTS)) {
            clients.add(WsClient.open(lb.wsUrl(chat), user.access()));
        }
        assertThat(sessionsOn(0)).as("no socket on the instance that is not ready").isZero();
        assertThat(sessionsOn(1)).isEqualTo(CLIENTS);

        // As during a RabbitMQ outage, which every instance sees: serve by liveness rather than 503.
        AvailabilityChangeEvent.publish(cluster.context(1), ReadinessState.REFUSING_TRAFFIC);
        await("app2 out of the ready pool", () -> !serverUp("app2"));
        assertThat(lb.get("/asyncapi.yaml", null).status()).isEqualTo(200);
        for (TestUser user : users.subList(CLIENTS, 2 * CLIENTS)) {
            clients.add(WsClient.open(lb.wsUrl(chat), user.access()));
        }
        assertThat(clients.get(0).isClosed()).as("sockets of an instance that is not ready stay open").isFalse();
        clients.get(2 * CLIENTS - 1).sendJson(Map.of("type", "message", "text", "still served"));
        for (WsClient client : clients) {
            assertThat(client.nextOfType("message").get("data").get("text").asString()).isEqualTo("still served");
        }
    }

    /**
     * A deploy or a scale-in, as the contract has it: the instance drains first (not ready, new
     * upgrades refused) until the balancer has taken it out of its pool, then closes with 1012; its
     * clients reconnect at once, all at the same moment, through the same address, and every one
     * of them lands on the other instance, missing nothing.
     */
    @Test
    @Order(Integer.MAX_VALUE) // it stops an instance for good: the last test of the class
    void fiftyClientsOfAnInstanceThatShutsDownReconnectAtOnceThroughTheBalancerWithoutAFailure() throws Exception {
        assumeHaproxy();
        ChatThroughBalancer connected = connectThroughTheBalancer(FIFTY);
        List<TestUser> users = connected.users();
        long chat = connected.chatId();
        int onFirst = (int) sessionsOn(0);
        assertThat(onFirst).isPositive();

        Thread stopping = new Thread(() -> cluster.context(0).close(), "stopping-instance-0");
        stopping.start();
        List<CompletableFuture<String>> reconnects = new ArrayList<>();
        for (int i = 0; i < FIFTY; i++) {
            int index = i;
            WsClient client = clients.get(i);
            reconnects.add(CompletableFuture.supplyAsync(
                    () -> reconnectAtOnce(client, chat, users.get(index), index, stopping), RECONNECTS));
        }
        List<String> outcomes = new ArrayList<>();
        for (CompletableFuture<String> reconnect : reconnects) {
            String outcome = reconnect.get(120, TimeUnit.SECONDS);
            if (!outcome.equals("untouched")) {
                outcomes.add(outcome);
            }
        }
        stopping.join(60_000);
        assertThat(outcomes).as("every client of the stopped instance").hasSize(onFirst).containsOnly("reconnected");
        assertThat(sessionsOn(1)).isEqualTo(FIFTY);

        clients.get(0).sendJson(Map.of("type", "message", "text", "all here"));
        for (WsClient client : clients) {
            assertThat(client.nextOfType("message").get("data").get("text").asString()).isEqualTo("all here");
        }
    }

    /**
     * Waits for the client's close; after a 1012 it reconnects through the balancer at once, with no
     * delay (the worst case of a deploy). A client of the instance that stays is untouched.
     */
    private String reconnectAtOnce(WsClient client, long chat, TestUser user, int index, Thread stopping) {
        long deadline = Long.MAX_VALUE;
        while (!client.isClosed()) {
            if (!stopping.isAlive() && deadline == Long.MAX_VALUE) {
                deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            }
            if (System.nanoTime() > deadline) {
                return "untouched"; // a client of the instance that stays
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        WsClient.Closed closed = client.awaitClose();
        if (closed.code() != 1012) {
            return "closed with " + closed;
        }
        try {
            WsClient again = WsClient.connect(lb.wsUrl(chat) + "?since_seq=0", user.access());
            JsonNode greeting = again.poll(WsClient.WAIT);
            if (greeting == null || !"connection_established".equals(greeting.path("type").asString())) {
                return "reconnect failed: " + (again.isClosed() ? again.awaitClose() : "no greeting");
            }
            synchronized (clients) {
                clients.set(index, again);
            }
            return "reconnected";
        } catch (RuntimeException refused) {
            return "reconnect refused: " + refused;
        }
    }

    /**
     * A browser's socket carries its token in the query string. haproxy logs the request by method,
     * path and version only; the instance's access log likewise, with the client's address taken
     * from the X-Forwarded-For that haproxy wrote, not from the one the client sent.
     */
    @Test
    void logsCarryNoTokenAndTheInstanceSeesTheClientsAddressAsForwarded() throws Exception {
        assumeHaproxy();
        TestUser alice = lb.newUser();
        TestUser bob = lb.newUser();
        long chat = lb.newChat(alice, bob);
        String path = "/ws/chat/" + chat + "/";
        String head = upgradeFrom(CLIENT_ADDRESS, path + "?token=" + alice.access(), "203.0.113.9");
        assertThat(head).startsWith("HTTP/1.1 101");

        // haproxy logs a session when it ends: the socket above is closed by now.
        String logged = awaitLine(() -> lines(haproxyLog), line -> line.contains(path));
        assertThat(logged).startsWith(CLIENT_ADDRESS + ":").contains(" 101 ").contains("\"GET " + path + " HTTP/1.1\"");
        String accessLogged = awaitLine(this::accessLogLines, line -> line.contains(path));
        assertThat(accessLogged).as("the client's address as haproxy forwarded it, not the one it claimed")
                .contains(" " + CLIENT_ADDRESS + " ").doesNotContain("203.0.113.9")
                .contains("\"GET " + path + " HTTP/1.1\" 101");

        // A request the instances refuse is logged the same way (and a REST call with a token in its query).
        upgradeFrom(CLIENT_ADDRESS, path + "?token=not-a-token", null);
        assertThat(lb.get("/api/users/me/?token=" + bob.access(), null).status()).isEqualTo(401);
        awaitLine(() -> lines(haproxyLog), line -> line.contains("/api/users/me/"));
        awaitLine(this::accessLogLines, line -> line.contains("/api/users/me/"));
        assertThat(lines(haproxyLog)).as("haproxy's log").noneMatch(line -> line.contains("token="))
                .noneMatch(line -> line.contains(alice.access()) || line.contains(bob.access()));
        assertThat(accessLogLines()).as("the instances' access logs").isNotEmpty()
                .noneMatch(line -> line.contains("token=") || line.contains("?"));
    }

    /** Metrics and health details are served on the instances, never through the balancer. */
    @Test
    void theActuatorIsNotServedThroughTheBalancer() {
        assumeHaproxy();
        for (String path : List.of("/actuator/prometheus", "/actuator/health", "/actuator/health/readiness",
                "/actuator", "//actuator/prometheus", "/./actuator/prometheus", "/%61ctuator/prometheus",
                "/actuator;a=b/prometheus")) {
            assertThat(lb.get(path, null).status()).as(path).isEqualTo(404);
        }
        assertThat(cluster.api(0).get("/actuator/prometheus", null).status())
                .as("while haproxy's checks and operators reach it on the instance").isEqualTo(200);
    }

    /** The loopback file is what the tests run; it must be the compose file in all that matters. */
    @Test
    void loopbackConfigurationIsTheComposeOneButForAddresses() throws IOException {
        assertThat(essentials(RepositoryFiles.find("deploy/haproxy-local.cfg")))
                .isEqualTo(essentials(RepositoryFiles.find("deploy/haproxy.cfg")));
    }

    @Test
    void composeConfigurationIsValid() throws Exception {
        assumeHaproxy();
        Process check = new ProcessBuilder("haproxy", "-c", "-f", RepositoryFiles.find("deploy/haproxy.cfg").toString())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor()).as(output).isZero();
    }

    /** Directives without comments, addresses, Docker's DNS and the connection cap. */
    private static List<String> essentials(Path config) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean inResolvers = false;
        for (String raw : Files.readAllLines(config)) {
            String line = raw.strip();
            if (!raw.isEmpty() && !Character.isWhitespace(raw.charAt(0))) {
                inResolvers = line.startsWith("resolvers ");
            }
            if (line.isEmpty() || line.startsWith("#") || inResolvers || line.startsWith("maxconn ")) {
                continue;
            }
            line = line.replace(" resolvers docker init-addr last,libc,none", "").replace(" check port 8081 ", " check ");
            if (line.startsWith("bind ")) {
                line = "bind";
            } else if (line.startsWith("server ")) {
                line = line.substring(0, line.indexOf(' ', "server ".length()));
            }
            lines.add(line);
        }
        return lines;
    }

    private static void assumeHaproxy() {
        assumeTrue(haproxy != null, "haproxy is not installed (.ci/run installs it)");
    }

    /** Whether haproxy's last word on this server of the ready pool is UP (it logs each change). */
    private static boolean serverUp(String server) {
        String log;
        try {
            log = Files.readString(haproxyLog);
        } catch (IOException unreadable) {
            throw new IllegalStateException(unreadable);
        }
        String name = "Server chat_ready/" + server + " is ";
        int last = log.lastIndexOf(name);
        return last < 0 || log.startsWith("UP", last + name.length());
    }

    /**
     * A WebSocket upgrade written by hand from the given local address (so that haproxy sees a client
     * other than itself), optionally claiming another address in X-Forwarded-For; returns the
     * response's head and closes the socket.
     */
    private static String upgradeFrom(String localAddress, String target, String claimedAddress) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", lbPort), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + (claimedAddress == null ? "" : "X-Forwarded-For: " + claimedAddress + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            int read;
            while (head.indexOf("\r\n\r\n") < 0 && (read = in.read()) >= 0) {
                head.append((char) read);
            }
            return head.toString();
        }
    }

    private List<String> accessLogLines() {
        try (Stream<Path> files = Files.list(accessLogs)) {
            List<String> lines = new ArrayList<>();
            for (Path file : files.toList()) {
                lines.addAll(lines(file));
            }
            return lines;
        } catch (IOException unreadable) {
            throw new IllegalStateException(unreadable);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException unreadable) {
            throw new IllegalStateException(unreadable);
        }
    }

    private static String awaitLine(Supplier<List<String>> lines,
            Predicate<String> wanted) {
        long deadline = System.nanoTime() + CHECK_SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : lines.get()) {
                if (wanted.test(line)) {
                    return line;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new AssertionError(interrupted);
            }
        }
        throw new AssertionError("no such log line within " + CHECK_SETTLE + " in " + lines.get());
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + CHECK_SETTLE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + CHECK_SETTLE + ": " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new AssertionError(interrupted);
            }
        }
    }

    private static double sessionsOn(int instance) {
        return cluster.api(instance).get("/actuator/prometheus", null).text().lines()
                .filter(line -> line.startsWith("chat_websocket_sessions"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow();
    }

    private static void awaitPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("haproxy did not listen on " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A chat of {@link #CLIENTS} users, each connected through haproxy. */
    private ChatThroughBalancer connectThroughTheBalancer() {
        return connectThroughTheBalancer(CLIENTS);
    }

    private ChatThroughBalancer connectThroughTheBalancer(int count) {
        List<TestUser> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            users.add(lb.newUser());
        }
        long chat = lb.newChat(users.get(0), users.subList(1, count).toArray(TestUser[]::new));
        for (TestUser user : users) {
            clients.add(WsClient.open(lb.wsUrl(chat), user.access()));
        }
        return new ChatThroughBalancer(chat, users);
    }

    private record ChatThroughBalancer(long chatId, List<TestUser> users) {
    }
}
