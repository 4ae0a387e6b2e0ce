package io.chat.loadtest;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to run, parsed from {@code SCENARIO --name value ...}. Every run is bounded: in time by
 * {@code --duration} (plus {@code --drain}), in size by the counts.
 *
 * @param scenario fanout, rooms or connect
 * @param urls server instances; clients are spread over them round-robin, set-up uses the first
 * @param members fanout: members of the one chat
 * @param senders fanout: how many members send
 * @param rate fanout: messages per second in total; rooms: per member
 * @param duration how long messages are sent
 * @param drain how long to wait for the last deliveries after sending stops
 * @param chats rooms: number of chats
 * @param chatSize rooms: members per chat; connect: users (one connection per user per chat)
 * @param connections connect: sockets to open
 * @param concurrency connect: opens in flight at once
 * @param warmup connect: sockets opened and closed before the timed part, so that neither the
 *        tool's nor the server's JIT compiler is what gets measured
 * @param serverPid optional: the server's process id on this machine, for GC before heap readings and RSS
 */
record Options(String scenario, List<URI> urls, int members, int senders, double rate, Duration duration,
        Duration drain, int chats, int chatSize, int connections, int concurrency, int warmup, long serverPid) {

    static final String USAGE = """
            usage: java -jar loadtest/target/chat-loadtest.jar SCENARIO [options]
              scenarios: fanout | rooms | connect
              --url URL[,URL...]   server instances (default http://127.0.0.1:8000)
              --members N          fanout: chat members (default 200)
              --senders N          fanout: members who send (default 4)
              --rate R             fanout: messages/s in total (default 50); rooms: per member (default 1)
              --duration SECONDS   sending time (default 20)
              --drain SECONDS      wait for late deliveries (default 3)
              --chats N            rooms: chats (default 200)
              --chat-size N        rooms: members per chat (default 3); connect: users (default 10)
              --connections N      connect: sockets to open, at most 10000 (default 1000)
              --concurrency N      connect: opens in flight (default 200)
              --warmup N           connect: sockets opened and closed before timing (default 2000)
              --server-pid PID     optional: server process on this machine (GC before heap readings, RSS)
            The server must allow the load: start it with --chat.limits.messages-per-minute=1000000.""";

    static Options parse(String... args) {
        if (args.length == 0 || args[0].startsWith("-")) {
            throw new InvalidOptions("a scenario comes first: fanout, rooms or connect");
        }
        String scenario = args[0];
        if (!List.of("fanout", "rooms", "connect").contains(scenario)) {
            throw new InvalidOptions("unknown scenario '" + scenario + "': use fanout, rooms or connect");
        }
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new InvalidOptions("expected --name value, got '" + args[i] + "'");
            }
            given.put(args[i].substring(2), args[i + 1]);
        }
        Reader read = new Reader(given);
        boolean rooms = scenario.equals("rooms");
        Options options = new Options(scenario, read.urls("url", "http://127.0.0.1:8000"),
                read.integer("members", 200, 2, 100_000), read.integer("senders", 4, 1, 10_000),
                read.decimal("rate", rooms ? 1 : 50), read.seconds("duration", 20), read.seconds("drain", 3),
                read.integer("chats", 200, 1, 100_000),
                read.integer("chat-size", scenario.equals("connect") ? 10 : 3, 1, 10_000),
                read.integer("connections", 1000, 1, 10_000), read.integer("concurrency", 200, 1, 10_000),
                read.integer("warmup", 2000, 0, 10_000),
                read.integer("server-pid", 0, 0, Integer.MAX_VALUE));
        read.rejectUnknown();
        if (options.senders() > options.members()) {
            throw new InvalidOptions("--senders (" + options.senders() + ") cannot exceed --members ("
                    + options.members() + ")");
        }
        return options;
    }

    /** Bad command-line input; the message says what to change. */
    static final class InvalidOptions extends RuntimeException {
        InvalidOptions(String message) {
            super(message);
        }
    }

    private static final class Reader {

        private final Map<String, String> given;
        private final List<String> used = new ArrayList<>();

        Reader(Map<String, String> given) {
            this.given = given;
        }

        int integer(String name, int fallback, int min, int max) {
            String raw = take(name);
            if (raw == null) {
                return fallback;
            }
            try {
                int value = Integer.parseInt(raw);
                if (value < min || value > max) {
                    throw new InvalidOptions("--" + name + " must be between " + min + " and " + max + ", got " + raw);
                }
                return value;
            } catch (NumberFormatException notANumber) {
                throw new InvalidOptions("--" + name + " must be a whole number, got '" + raw + "'");
            }
        }

        double decimal(String name, double fallback) {
            String raw = take(name);
            if (raw == null) {
                return fallback;
            }
            try {
                double value = Double.parseDouble(raw);
                if (!(value > 0) || Double.isInfinite(value)) {
                    throw new InvalidOptions("--" + name + " must be a positive number, got " + raw);
                }
                return value;
            } catch (NumberFormatException notANumber) {
                throw new InvalidOptions("--" + name + " must be a number, got '" + raw + "'");
            }
        }

        Duration seconds(String name, int fallback) {
            return Duration.ofSeconds(integer(name, fallback, 0, 3600));
        }

        List<URI> urls(String name, String fallback) {
            String raw = take(name);
            List<URI> urls = new ArrayList<>();
            for (String part : (raw == null ? fallback : raw).split(",")) {
                URI uri;
                try {
                    uri = URI.create(part.trim().replaceAll("/+$", ""));
                } catch (IllegalArgumentException malformed) {
                    throw new InvalidOptions("--" + name + ": not a URL: '" + part + "'");
                }
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new InvalidOptions("--" + name + ": expected http(s)://host:port, got '" + part + "'");
                }
                urls.add(uri);
            }
            return urls;
        }

        void rejectUnknown() {
            for (String name : given.keySet()) {
                if (!used.contains(name)) {
                    throw new InvalidOptions("unknown option --" + name);
                }
            }
        }

        private String take(String name) {
            used.add(name);
            return given.get(name);
        }
    }
}
