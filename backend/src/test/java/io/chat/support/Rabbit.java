package io.chat.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;

/**
 * The local RabbitMQ, driven as an operator would: {@code rabbitmqctl} and the management API
 * (guest/guest on 15672). Faults are made for one test's own broker user, never for the whole
 * broker: other tests may be using it at the same time.
 */
public final class Rabbit {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String MANAGEMENT = "http://127.0.0.1:15672/api";
    private static final String AUTH = "Basic " + Base64.getEncoder()
            .encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8));

    private Rabbit() {
    }

    /** Names of the open STOMP connections, as the STOMP plugin lists them (no statistics delay). */
    public static List<String> stompConnections() {
        return run("rabbitmqctl", "-q", "list_stomp_connections", "conn_name").stream()
                .filter(line -> line.contains("->")).toList();
    }

    /**
     * A RabbitMQ user of its own for the instances of one test, with every permission on the
     * virtual host {@code /}: its connections can be told from those of tests running alongside on
     * the same broker, and faults can be made for it alone. {@link User#close()} deletes it.
     */
    public static User newUser(String purpose) {
        User user = new User("chat-test-" + purpose + "-" + System.nanoTime(), UUID.randomUUID().toString());
        run("rabbitmqctl", "-q", "add_user", user.login(), user.password());
        user.grant();
        return user;
    }

    /** A broker account of one test; its methods act on it alone, as an operator would. */
    public record User(String login, String password) implements AutoCloseable {

        /** Arguments that make an instance's relay log in as this user, followed by any others. */
        public String[] relayArgs(String... others) {
            List<String> args = new ArrayList<>(List.of("--chat.broker.relay.login=" + login,
                    "--chat.broker.relay.passcode=" + password));
            args.addAll(List.of(others));
            return args.toArray(String[]::new);
        }

        /** Open STOMP connections of this user, from the STOMP plugin itself (no statistics delay). */
        public int stompConnections() {
            return (int) run("rabbitmqctl", "-q", "list_stomp_connections", "auth_login").stream()
                    .filter(login::equals).count();
        }

        /** Consumers on this user's channels: each STOMP subscription of its connections is one. */
        public int consumers() {
            return run("rabbitmqctl", "-q", "list_channels", "user", "consumer_count").stream()
                    .map(line -> line.trim().split("\\s+"))
                    .filter(columns -> columns.length == 2 && login.equals(columns[0]))
                    .mapToInt(columns -> Integer.parseInt(columns[1])).sum();
        }

        /** Takes away access to the virtual host: the relay's next CONNECT is refused. */
        public void revoke() {
            run("rabbitmqctl", "-q", "clear_permissions", "-p", "/", login);
        }

        public void grant() {
            run("rabbitmqctl", "-q", "set_permissions", "-p", "/", login, ".*", ".*", ".*");
        }

        /**
         * Closes every STOMP connection of this user from the broker's side, as an operator's
         * "force close" in the management console does; waits until the management API lists as
         * many as the STOMP plugin has (its statistics lag by a few seconds).
         *
         * @return how many were closed
         */
        public int closeStompConnections() throws IOException, InterruptedException {
            return closeConnections("STOMP", stompConnections());
        }

        /**
         * Closes this user's connections of the protocol (e.g. {@code AMQP}) from the broker's side
         * once the management API lists as many as expected.
         *
         * @return how many were closed
         */
        public int closeConnections(String protocol, int expected) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<String> names = managementConnections(protocol);
            while (names.size() < expected && System.nanoTime() < deadline) {
                Thread.sleep(250);
                names = managementConnections(protocol);
            }
            for (String name : names) {
                String path = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
                HTTP.send(HttpRequest.newBuilder(URI.create(MANAGEMENT + "/connections/" + path))
                        .header("Authorization", AUTH).header("X-Reason", "closed by a test").DELETE().build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            return names.size();
        }

        private List<String> managementConnections(String protocol) throws IOException, InterruptedException {
            JsonNode connections = Api.parse(HTTP.send(HttpRequest.newBuilder(URI.create(MANAGEMENT + "/connections"))
                    .header("Authorization", AUTH).build(), HttpResponse.BodyHandlers.ofString()).body());
            List<String> names = new ArrayList<>();
            for (JsonNode connection : connections) {
                if (login.equals(connection.path("user").asString())
                        && connection.path("protocol").asString().startsWith(protocol)) {
                    names.add(connection.get("name").asString());
                }
            }
            return names;
        }

        @Override
        public void close() {
            run("rabbitmqctl", "-q", "delete_user", login);
        }
    }

    /**
     * One resource of the management API on 15672 (e.g. {@code /queues}, {@code /connections},
     * {@code /consumers}), as the console shows it. Its statistics lag by a few seconds.
     */
    public static JsonNode management(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(MANAGEMENT + path))
                    .header("Authorization", AUTH).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
            }
            return Api.parse(response.body());
        } catch (IOException failure) {
            throw new IllegalStateException(failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    private static List<String> run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output.lines().filter(line -> !line.isBlank()).toList();
        } catch (IOException failure) {
            throw new IllegalStateException(failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }
}
