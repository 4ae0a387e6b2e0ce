package io.chat.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.springframework.util.FileSystemUtils;

import tools.jackson.databind.JsonNode;

/**
 * A RabbitMQ cluster of its own for one test: nodes started on loopback from the installed
 * RabbitMQ, each with its own node name, ports, data and log directories under {@code target/},
 * the STOMP and management plugins, and a shared Erlang cookie of their own; the second and later
 * nodes joined to the first with {@code rabbitmqctl join_cluster}. The machine's own node
 * ({@code rabbit@<host>}) is never touched: every command names one of these nodes, and it would
 * not accept this cookie anyway.
 */
public final class RabbitCluster implements AutoCloseable {

    /** Where Debian puts the scripts themselves; {@code /usr/sbin}'s wrappers would switch to the rabbitmq user. */
    private static final Path DEBIAN_SCRIPTS = Path.of("/usr/lib/rabbitmq/bin");
    /** Well below Linux's ephemeral ports, and off the CLI tools' own range (35672-35682). */
    private static final int FIRST_PORT = 25800;
    private static final Duration BOOT = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One node, as the relay and an operator reach it. */
    public record Node(String name, int amqpPort, int stompPort, int managementPort, int distPort, Path dir) {

        /** The node's STOMP listener, as {@code chat.broker.relay.addresses} lists it. */
        public String stompAddress() {
            return "127.0.0.1:" + stompPort;
        }

        /** The node's AMQP listener, as {@code chat.broker.relay.amqp-addresses} lists it. */
        public String amqpAddress() {
            return "127.0.0.1:" + amqpPort;
        }
    }

    private final Path base;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    private RabbitCluster(Path base) {
        this.base = base;
    }

    /** Whether RabbitMQ is installed here: the test that needs its own cluster is skipped only when not. */
    public static boolean installed() {
        return script("rabbitmq-server") != null && script("rabbitmqctl") != null;
    }

    /**
     * Starts the named nodes (short names such as {@code chat-a}, on host {@code localhost}) and
     * joins them into one cluster; any node of these names left running by an earlier run is shut
     * down first.
     */
    public static RabbitCluster start(Path base, String... shortNames) throws IOException, InterruptedException {
        RabbitCluster cluster = new RabbitCluster(base.toAbsolutePath());
        try {
            cluster.prepare(shortNames);
            for (Node node : cluster.nodes) {
                cluster.ctlQuietly(node, "shutdown"); // a leftover of an interrupted run, if any
            }
            for (Node node : cluster.nodes) {
                cluster.launch(node);
            }
            for (Node node : cluster.nodes) {
                cluster.awaitBoot(node);
            }
            Node first = cluster.nodes.get(0);
            for (Node node : cluster.nodes.subList(1, cluster.nodes.size())) {
                cluster.ctl(node, "stop_app");
                cluster.ctl(node, "join_cluster", first.name());
                cluster.ctl(node, "start_app");
            }
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException failure) {
            cluster.close();
            throw failure;
        }
    }

    public Node node(int index) {
        return nodes.get(index);
    }

    /** Stops RabbitMQ on a node as an operator would for maintenance: its connections are closed. */
    public void stopApp(Node node) {
        ctl(node, "stop_app");
    }

    /** The names of the nodes that run RabbitMQ, as the given node sees the cluster. */
    public List<String> runningNodes(Node asSeenBy) {
        JsonNode status = Api.parse(String.join("\n", ctl(asSeenBy, "cluster_status", "--formatter", "json")));
        List<String> running = new ArrayList<>();
        status.get("running_nodes").forEach(name -> running.add(name.asString()));
        return running;
    }

    /** One resource of a node's management API (guest/guest, allowed from loopback). */
    public JsonNode management(Node node, String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + node.managementPort() + "/api" + path))
                    .header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " on " + node.name() + " answered "
                        + response.statusCode());
            }
            return Api.parse(response.body());
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    /** Shuts every node of this cluster down, and only those. */
    @Override
    public void close() {
        for (Node node : nodes) {
            ctlQuietly(node, "shutdown");
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroy();
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                process.destroy();
            }
        }
    }

    private void prepare(String... shortNames) throws IOException {
        FileSystemUtils.deleteRecursively(base);
        Path home = Files.createDirectories(base.resolve("home"));
        Path cookie = home.resolve(".erlang.cookie");
        // the same at every run, so that a node left running by an interrupted run can be shut down
        Files.writeString(cookie, "CHATRELAYCLUSTERTESTCOOKIE");
        Files.setPosixFilePermissions(cookie, PosixFilePermissions.fromString("r--------"));
        // an empty environment file: the machine's own (which names its node) must not apply here
        Files.writeString(base.resolve("rabbitmq-env.conf"), "");
        Files.writeString(base.resolve("enabled_plugins"), "[rabbitmq_stomp,rabbitmq_management].\n");
        int port = FIRST_PORT;
        for (String shortName : shortNames) {
            int amqp = port = freePort(port);
            int stomp = port = freePort(port + 1);
            int management = port = freePort(port + 1);
            int dist = port = freePort(port + 1);
            port++;
            Path dir = Files.createDirectories(base.resolve(shortName));
            Files.writeString(dir.resolve("rabbitmq.conf"), String.join("\n",
                    "stomp.listeners.tcp.1 = 127.0.0.1:" + stomp,
                    "management.tcp.ip = 127.0.0.1",
                    "management.tcp.port = " + management,
                    ""));
            nodes.add(new Node(shortName + "@localhost", amqp, stomp, management, dist, dir));
        }
    }

    private void launch(Node node) throws IOException {
        ProcessBuilder server = new ProcessBuilder(script("rabbitmq-server").toString());
        Map<String, String> env = server.environment();
        env.putAll(environment());
        env.put("RABBITMQ_NODENAME", node.name());
        env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
        env.put("RABBITMQ_NODE_PORT", Integer.toString(node.amqpPort()));
        env.put("RABBITMQ_DIST_PORT", Integer.toString(node.distPort()));
        env.put("RABBITMQ_MNESIA_BASE", node.dir().resolve("mnesia").toString());
        env.put("RABBITMQ_LOG_BASE", node.dir().resolve("log").toString());
        env.put("RABBITMQ_CONFIG_FILE", node.dir().resolve("rabbitmq.conf").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", base.resolve("enabled_plugins").toString());
        env.put("RABBITMQ_PID_FILE", node.dir().resolve("pid").toString());
        processes.add(server.redirectErrorStream(true).redirectOutput(node.dir().resolve("console.log").toFile())
                .start());
    }

    /** The node's VM registers with epmd only after a moment: until then await_startup fails at once. */
    private void awaitBoot(Node node) throws InterruptedException {
        long deadline = System.nanoTime() + BOOT.toNanos();
        while (true) {
            Result result = run(List.of(script("rabbitmqctl").toString(), "-q", "-n", node.name(), "await_startup",
                    "--timeout", "60"));
            if (result.exitCode() == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(node.name() + " did not start within " + BOOT + "; see "
                        + node.dir().resolve("log") + ": " + result.output());
            }
            Thread.sleep(1000);
        }
    }

    private List<String> ctl(Node node, String... arguments) {
        Result result = ctlQuietly(node, arguments);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("rabbitmqctl -n " + node.name() + " " + String.join(" ", arguments)
                    + " failed: " + result.output());
        }
        return result.output().lines().toList();
    }

    private Result ctlQuietly(Node node, String... arguments) {
        List<String> command = new ArrayList<>(List.of(script("rabbitmqctl").toString(), "-q", "-n", node.name()));
        command.addAll(List.of(arguments));
        return run(command);
    }

    private record Result(int exitCode, String output) {
    }

    private Result run(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, output);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    /** What the server and the CLI tools share: the cookie (in HOME), and none of the machine's settings. */
    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", base.resolve("home").toString());
        env.put("RABBITMQ_CONF_ENV_FILE", base.resolve("rabbitmq-env.conf").toString());
        env.put("ERL_EPMD_ADDRESS", "127.0.0.1");
        env.put("ERL_FLAGS", "-kernel inet_dist_use_interface {127,0,0,1}");
        return env;
    }

    private static int freePort(int from) throws IOException {
        for (int port = from; port < from + 200; port++) {
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try the next one
            }
        }
        throw new IOException("no free port from " + from);
    }

    private static Path script(String name) {
        Path debian = DEBIAN_SCRIPTS.resolve(name);
        if (Files.isExecutable(debian)) {
            return debian;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, name);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return nodes.stream().map(Node::name).collect(Collectors.joining(","));
    }
}
