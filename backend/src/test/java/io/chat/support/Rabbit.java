package io.chat.support;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;

/**
 * The local RabbitMQ, driven as an operator would: {@code rabbitmqctl}, {@code rabbitmq-plugins}
 * and the management API (guest/guest on 15672).
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

    /** Closes every STOMP connection from the broker's side, as a network cut would. */
    public static void closeStompConnections() throws IOException, InterruptedException {
        JsonNode connections = Api.parse(HTTP.send(HttpRequest.newBuilder(URI.create(MANAGEMENT + "/connections"))
                .header("Authorization", AUTH).build(), HttpResponse.BodyHandlers.ofString()).body());
        for (JsonNode connection : connections) {
            if (connection.get("protocol").asString().startsWith("STOMP")) {
                String name = URLEncoder.encode(connection.get("name").asString(), StandardCharsets.UTF_8)
                        .replace("+", "%20");
                HTTP.send(HttpRequest.newBuilder(URI.create(MANAGEMENT + "/connections/" + name))
                        .header("Authorization", AUTH).DELETE().build(), HttpResponse.BodyHandlers.discarding());
            }
        }
    }

    /** Stops the STOMP plugin: its connections close and new ones are refused until {@link #startStomp()}. */
    public static void stopStomp() {
        run("rabbitmq-plugins", "disable", "rabbitmq_stomp");
        awaitPort(false);
    }

    public static void startStomp() {
        run("rabbitmq-plugins", "enable", "rabbitmq_stomp");
        awaitPort(true);
    }

    private static void awaitPort(boolean open) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            boolean listening;
            try (Socket probe = new Socket("127.0.0.1", 61613)) {
                listening = true;
            } catch (IOException refused) {
                listening = false;
            }
            if (listening == open) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("port 61613 did not become " + (open ? "open" : "closed"));
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
