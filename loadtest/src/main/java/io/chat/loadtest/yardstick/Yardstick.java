package io.chat.loadtest.yardstick;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A bare chat server on the real server's stack (Spring Boot, Tomcat, Spring's WebSocket support,
 * Jackson), speaking just what the load tool's scenarios use: registration, login with an opaque
 * token, chats, history, and a WebSocket per chat on which every message is broadcast to the chat's
 * sockets with a per-chat {@code seq}. No database, no token verification beyond a map lookup, no
 * limits, no validation beyond not crashing. What the load tool measures against it is what a
 * socket and a broadcast cost on this machine and this stack; the real server's figures divided by
 * it say how much the server's own work (persistence, authentication, ordering, limits) adds.
 *
 * <p>Started by {@code java -jar chat-loadtest.jar yardstick --port 8100}; the load tool's own
 * commands never load it, so the Spring context is no part of a load run's start.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class Yardstick {

    /** The port when none is given: the first of the range kept for such servers on shared machines. */
    static final int DEFAULT_PORT = 8100;

    Yardstick() {
    }

    /** {@code --port N} (or any Spring property as {@code --name=value}). */
    public static void main(String[] args) {
        List<String> springArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                springArgs.add("--server.port=" + args[++i]);
            } else {
                springArgs.add(args[i]);
            }
        }
        SpringApplication application = new SpringApplication(Yardstick.class);
        application.setDefaultProperties(Map.of(
                "server.port", Integer.toString(DEFAULT_PORT),
                "spring.main.banner-mode", "off",
                "spring.jmx.enabled", "false",
                // as the real server's own settings: room for hold's sockets, and a burst of opens queued
                "server.tomcat.max-connections", "50000",
                "server.tomcat.accept-count", "4096"));
        String port = application.run(springArgs.toArray(String[]::new)).getEnvironment()
                .getProperty("local.server.port");
        System.err.println("yardstick listening on port " + port + ": point the load tool's --yardstick at"
                + " http://127.0.0.1:" + port);
    }
}
