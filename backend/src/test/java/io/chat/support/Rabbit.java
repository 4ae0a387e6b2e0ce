package io.chat.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The local RabbitMQ, driven through {@code rabbitmqctl} as an operator would. */
public final class Rabbit {

    private Rabbit() {
    }

    /** Process ids of the open STOMP connections. */
    public static List<String> stompConnections() {
        List<String> pids = new ArrayList<>();
        for (String line : run("rabbitmqctl", "-q", "list_connections", "pid", "protocol")) {
            if (line.contains("STOMP")) {
                pids.add(line.split("\\s+")[0]);
            }
        }
        return pids;
    }

    /** Closes every STOMP connection from the broker's side, as a broker restart or network cut would. */
    public static void closeStompConnections() {
        for (String pid : stompConnections()) {
            run("rabbitmqctl", "-q", "close_connection", pid, "test: simulated broker fault");
        }
    }

    private static List<String> run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
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
