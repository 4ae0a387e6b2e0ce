package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.chat.support.Api;
import io.chat.support.Instances;
import io.chat.support.TestUser;
import io.chat.support.WsClient;

/**
 * The deployment's topology on loopback: haproxy, with the repository's own configuration, in front
 * of two relay-mode instances. Upgrades pass through it, connections spread over both instances,
 * and clients talk to each other whichever instance they landed on; no stickiness.
 */
class LoadBalancerTest {

    static final int CLIENTS = 8;

    @Test
    void clientsSpreadOverTwoInstancesBehindHaproxyTalkToEachOther() throws Exception {
        assumeTrue(onPath("haproxy"), "haproxy is not installed (.ci/run installs it)");
        try (Instances cluster = Instances.start(2)) {
            int lbPort = freePort();
            Path config = Files.createTempFile("haproxy", ".cfg");
            Files.writeString(config, Files.readString(repositoryFile("deploy/haproxy.cfg"))
                    .replace("bind :8000", "bind 127.0.0.1:" + lbPort)
                    // the machine's file limit, not the production one
                    .replaceFirst("maxconn \\d+", "maxconn 4000")
                    .replace("app1:8000", "127.0.0.1:" + cluster.port(0))
                    .replace("app2:8000", "127.0.0.1:" + cluster.port(1)));
            Process haproxy = new ProcessBuilder("haproxy", "-db", "-f", config.toString())
                    .redirectErrorStream(true).redirectOutput(Files.createTempFile("haproxy", ".log").toFile()).start();
            List<WsClient> clients = new ArrayList<>();
            try {
                awaitPort(lbPort);
                Api lb = new Api(lbPort);
                List<TestUser> users = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    users.add(lb.newUser());
                }
                long chat = lb.newChat(users.get(0), users.subList(1, CLIENTS).toArray(TestUser[]::new));
                for (TestUser user : users) {
                    clients.add(WsClient.open(lb.wsUrl(chat), user.access()));
                }
                assertThat(sessionsOn(cluster.api(0))).as("instance 1 got some clients").isPositive();
                assertThat(sessionsOn(cluster.api(1))).as("instance 2 got some clients").isPositive();
                assertThat(sessionsOn(cluster.api(0)) + sessionsOn(cluster.api(1))).isEqualTo(CLIENTS);

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
            } finally {
                clients.forEach(WsClient::close);
                haproxy.destroy();
                haproxy.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static double sessionsOn(Api instance) {
        return instance.get("/actuator/prometheus", null).text().lines()
                .filter(line -> line.startsWith("chat_websocket_sessions"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow();
    }

    private static Path repositoryFile(String path) {
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !Files.exists(here.resolve(path))) {
            here = here.getParent();
        }
        assertThat(here).as(path + " in the repository").isNotNull();
        return here.resolve(path);
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
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
}
