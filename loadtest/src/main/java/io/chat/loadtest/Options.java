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
 * @param scenario fanout, rooms, hot-chat, slow-consumer, connect or hold
 * @param urls server instances; clients are spread over them round-robin, set-up uses the first
 * @param members fanout, hot-chat, slow-consumer: members of the one chat
 * @param senders fanout, hot-chat, slow-consumer: how many members send
 * @param rate fanout, hot-chat, slow-consumer: messages per second in total (hot-chat: of the first
 *        step); rooms: per member
 * @param rates hot-chat: the rate of each step, sent one after another on the same chat and sockets;
 *        the other scenarios: just {@code rate}
 * @param duration how long messages are sent (hot-chat: per step)
 * @param drain how long to wait for the last deliveries after sending stops
 * @param readBack messaging scenarios: the longest wait for the run's messages to be read back over
 *        REST after the drain; zero skips the read-back
 * @param chats rooms: number of chats
 * @param chatSize rooms: members per chat; connect, hold: members per chat, each socket a user of its own
 * @param connections connect, hold: sockets to open
 * @param concurrency connect: opens in flight at once
 * @param warmup connect: sockets opened and closed before the timed part, so that neither the
 *        tool's nor the server's JIT compiler is what gets measured
 * @param serverPid optional: the server's process id on this machine, for GC before heap readings and RSS
 * @param slow slow-consumer: members (never senders) that stop reading after their greeting; zero
 *        is the baseline the others' latency is compared with
 * @param textBytes messaging scenarios: each message's text is padded to about this many bytes of
 *        UTF-8 (zero: no padding)
 * @param offerCompression whether every socket offers {@code permessage-deflate}, as browsers do
 * @param sources connect, hold: how many loopback source addresses (127.0.0.1, .2, ...) the sockets
 *        are spread over, each good for about 28,000 sockets to one server port
 * @param hold hold: how long the sockets stay open, idle, before the server's memory is read
 * @param sharedUsers connect, hold: users shared by all sockets (the warm-up's too), every chat holding
 *        all of them, so that the server's verified-token cache answers almost every open; 0 (the
 *        default): a user and a token of its own per socket, see {@link SocketPlan}
 * @param cpuPids connect, hold: the processes whose CPU per open is reported (every relay instance);
 *        empty: {@code serverPid}'s
 */
record Options(String scenario, List<URI> urls, int members, int senders, double rate, List<Double> rates,
        Duration duration, Duration drain, Duration readBack, int chats, int chatSize, int connections,
        int concurrency, int warmup, long serverPid, int slow, int textBytes, boolean offerCompression,
        int sources, Duration hold, int sharedUsers, List<Long> cpuPids) {

    static final List<String> SCENARIOS = List.of("fanout", "rooms", "hot-chat", "slow-consumer", "connect", "hold");
    /** connect's cap: it times opens, and more would only time the tool. */
    static final int MAX_CONNECT = 10_000;
    /** hold's cap: what one instance is sized for (issue 13) with room to spare. */
    static final int MAX_HOLD = 200_000;
    /** Sockets per loopback source address: Linux's default ephemeral range has about 28,000 ports. */
    static final int SOCKETS_PER_SOURCE = 25_000;
    /** A sweep longer than this is more likely a typo than a plan (and would outlive default tokens). */
    static final int MAX_STEPS = 20;
    /**
     * Padding is in 4-byte characters and the server limits texts to 1000 characters (code points),
     * so about 3,900 bytes is the most a default server stores; this leaves room for the tool's own
     * prefix (at most 34 characters).
     */
    static final int MAX_TEXT_BYTES = 3800;
    /**
     * slow-consumer pads to the longest text by default: the more bytes each member is offered per
     * second, the sooner a member that does not read passes the server's 1 MiB send buffer (about
     * 200 KiB/s per member at the default 50 messages/s, so within a 10 s run).
     */
    static final int SLOW_CONSUMER_TEXT_BYTES = MAX_TEXT_BYTES;

    static final String USAGE = """
            usage: java -jar loadtest/target/chat-loadtest.jar SCENARIO [options]
              scenarios: fanout | rooms | hot-chat | slow-consumer | connect
                fanout     one chat of --members, --senders of them sending --rate messages/s in total
                rooms      --chats chats of --chat-size, every member sending --rate messages/s
                hot-chat   one chat of --members, --senders sending concurrently: how many stored
                           messages/s one chat sustains (stored_per_s at latency_p99_ms < 50)
                slow-consumer  fanout in which --slow members stop reading after their greeting: the
                           server must close each of them with 1013 while the others' latency stays
                           as in the same run with --slow 0
                connect    --connections sockets opened, at most --concurrency at once
                hold       --connections idle sockets opened (spread over --sources addresses) and held
                           for --hold seconds: the server's RSS and live heap per socket
              --url URL[,URL...]   server instances (default http://127.0.0.1:8000)
              --members N          fanout, hot-chat, slow-consumer: chat members (default 200)
              --senders N          fanout, slow-consumer: members who send (default 4); hot-chat: (default 20)
              --rate R             fanout, slow-consumer: messages/s in total (default 50); rooms: per
                                   member (default 1); hot-chat: messages/s in total (default 1000)
              --rates R1,R2,...    hot-chat, instead of --rate: steps on the same chat and sockets, one
                                   result per step, a %d s pause between steps (at most %d steps)
              --duration SECONDS   sending time (default 20; hot-chat: per step)
              --drain SECONDS      wait for late deliveries (default 3)
              --read-back SECONDS  messaging scenarios: longest wait for reading the run's messages
                                   back over REST after the drain (default 60; 0 skips it)
              --chats N            rooms: chats (default 200)
              --chat-size N        rooms: members per chat (default 3); connect, hold: members per chat,
                                   each socket a user with a token of its own, warm-up users apart (default 10)
              --shared-users N     connect, hold: instead, N users shared by all sockets and the warm-up,
                                   each chat holding all N (the server's token cache answers most opens)
              --connections N      connect: sockets to open, at most %d (default 1000); hold: at most
                                   %d (default 10000)
              --concurrency N      connect, hold: opens in flight (default 200)
              --warmup N           connect, hold: sockets opened and closed before timing (default 2000)
              --compression offer|none  whether sockets offer permessage-deflate, as every browser
                                   does (default offer; the server declines unless configured to accept)
              --sources N          connect, hold: loopback source addresses 127.0.0.1..N to spread the
                                   sockets over (default: one per %d sockets)
              --hold SECONDS       hold: how long the sockets stay open before the reading (default 10)
              --server-pid PID     optional: server process on this machine (GC before heap readings, RSS)
              --cpu-pids PID,...   connect, hold: processes whose CPU per open is reported (default:
                                   --server-pid's), e.g. every relay instance
              --slow N             slow-consumer: members that stop reading, never senders (default 5;
                                   0 is the baseline); fewer than --members minus --senders
              --text-bytes N       fanout, rooms, hot-chat, slow-consumer: pad each message's text to
                                   about N bytes of UTF-8 with 4-byte characters, at most %d
                                   (default 0; slow-consumer: %d, so that a member that does not read
                                   is offered the server's 1 MiB send buffer within seconds)
            The server must allow the load: start it with --chat.limits.messages-per-minute=1000000.
            Messaging scenarios check the chat's event order (seq_gaps, seq_out_of_order, seq_missing);
            against a server that sends no "seq" those figures are null (not checked).
            slow-consumer: latency, lost and seq figures are those of the members that read. A slow member
            has a 4 KiB receive buffer (and, on Linux, a 1460-byte MSS, so that the server's kernel buffers
            as much as on a real network, not the megabytes it does over loopback), takes one read of its
            socket every %d ms while the messages are sent, and reads freely after the drain, so that a
            close queued behind its backlog reaches it. slow_closed_1013, slow_close_codes ("open": never
            closed) and slow_time_to_close_s (from when it stopped reading to the close's arrival, over
            the 1013 closes) describe them; slow_failures lists each slow member that was not closed
            with 1013, and member_kib_per_s is what each member was offered."""
            .formatted(MessagingRun.STEP_PAUSE.toSeconds(), MAX_STEPS, MAX_CONNECT, MAX_HOLD, SOCKETS_PER_SOURCE,
                    MAX_TEXT_BYTES, SLOW_CONSUMER_TEXT_BYTES, SlowReading.SIP_INTERVAL.toMillis());

    static Options parse(String... args) {
        if (args.length == 0 || args[0].startsWith("-")) {
            throw new InvalidOptions("a scenario comes first: " + String.join(", ", SCENARIOS));
        }
        String scenario = args[0];
        if (!SCENARIOS.contains(scenario)) {
            throw new InvalidOptions("unknown scenario '" + scenario + "': use " + String.join(", ", SCENARIOS));
        }
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new InvalidOptions("expected --name value, got '" + args[i] + "'");
            }
            given.put(args[i].substring(2), args[i + 1]);
        }
        boolean hotChat = scenario.equals("hot-chat");
        boolean slowConsumer = scenario.equals("slow-consumer");
        if (given.containsKey("slow") && !slowConsumer) {
            throw new InvalidOptions("--slow is for slow-consumer only");
        }
        boolean opensOnly = scenario.equals("connect") || scenario.equals("hold");
        if (given.containsKey("text-bytes") && opensOnly) {
            throw new InvalidOptions("--text-bytes is for the scenarios that send messages, not " + scenario);
        }
        if (given.containsKey("hold") && !scenario.equals("hold")) {
            throw new InvalidOptions("--hold is for the hold scenario only");
        }
        if (given.containsKey("sources") && !opensOnly) {
            throw new InvalidOptions("--sources is for connect and hold only");
        }
        if (given.containsKey("rates") && !hotChat) {
            throw new InvalidOptions("--rates is for hot-chat only; " + scenario + " takes one --rate");
        }
        if (given.containsKey("rates") && given.containsKey("rate")) {
            throw new InvalidOptions("give either --rate or --rates, not both");
        }
        if (given.containsKey("shared-users") && !opensOnly) {
            throw new InvalidOptions("--shared-users is for connect and hold only");
        }
        if (given.containsKey("shared-users") && given.containsKey("chat-size")) {
            throw new InvalidOptions("give either --shared-users (every chat holds all of them) or --chat-size,"
                    + " not both");
        }
        Reader read = new Reader(given);
        boolean hold = scenario.equals("hold");
        int connections = read.integer("connections", hold ? 10_000 : 1000, 1, hold ? MAX_HOLD : MAX_CONNECT);
        double rate = read.decimal("rate", switch (scenario) {
            case "rooms" -> 1;
            case "hot-chat" -> 1000;
            default -> 50;
        });
        List<Double> rates = read.decimals("rates", List.of(rate), MAX_STEPS);
        Options options = new Options(scenario, read.urls("url", "http://127.0.0.1:8000"),
                read.integer("members", 200, 2, 100_000), read.integer("senders", hotChat ? 20 : 4, 1, 10_000),
                rates.get(0), rates, read.seconds("duration", 20), read.seconds("drain", 3),
                read.seconds("read-back", 60),
                read.integer("chats", 200, 1, 100_000),
                read.integer("chat-size", opensOnly ? 10 : 3, 1, 10_000),
                connections, read.integer("concurrency", 200, 1, 10_000),
                read.integer("warmup", 2000, 0, 10_000),
                read.integer("server-pid", 0, 0, Integer.MAX_VALUE),
                read.integer("slow", slowConsumer ? 5 : 0, 0, 100_000),
                read.integer("text-bytes", slowConsumer ? SLOW_CONSUMER_TEXT_BYTES : 0, 0, MAX_TEXT_BYTES),
                read.choice("compression", "offer", List.of("offer", "none")).equals("offer"),
                read.integer("sources", (connections + SOCKETS_PER_SOURCE - 1) / SOCKETS_PER_SOURCE, 1, 254),
                read.seconds("hold", 10),
                read.integer("shared-users", 0, 1, 10_000),
                read.pids("cpu-pids"));
        read.rejectUnknown();
        if (options.senders() > options.members()) {
            throw new InvalidOptions("--senders (" + options.senders() + ") cannot exceed --members ("
                    + options.members() + ")");
        }
        int readers = options.members() - options.senders();
        if (options.slow() > 0 && options.slow() >= readers) {
            throw new InvalidOptions("--slow (" + options.slow() + ") must be less than --members minus --senders ("
                    + readers + "): slow members never send, and at least one member who only reads must"
                    + " remain to be measured");
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

        String choice(String name, String fallback, List<String> allowed) {
            String raw = take(name);
            if (raw == null) {
                return fallback;
            }
            if (!allowed.contains(raw)) {
                throw new InvalidOptions("--" + name + " must be one of " + String.join(", ", allowed) + ", got '"
                        + raw + "'");
            }
            return raw;
        }

        double decimal(String name, double fallback) {
            String raw = take(name);
            return raw == null ? fallback : positive("--" + name, raw);
        }

        /** A comma-separated list of positive numbers, at most {@code maxCount} of them. */
        List<Double> decimals(String name, List<Double> fallback, int maxCount) {
            String raw = take(name);
            if (raw == null) {
                return fallback;
            }
            String[] parts = raw.split(",", -1);
            if (parts.length > maxCount) {
                throw new InvalidOptions("--" + name + " takes at most " + maxCount + " values, got " + parts.length);
            }
            List<Double> values = new ArrayList<>();
            for (String part : parts) {
                values.add(positive("each of --" + name, part.trim()));
            }
            return List.copyOf(values);
        }

        private static double positive(String what, String raw) {
            double value;
            try {
                value = Double.parseDouble(raw);
            } catch (NumberFormatException notANumber) {
                throw new InvalidOptions(what + " must be a number, got '" + raw + "'");
            }
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new InvalidOptions(what + " must be a positive number, got " + raw);
            }
            return value;
        }

        /** A comma-separated list of process ids; empty when not given. */
        List<Long> pids(String name) {
            String raw = take(name);
            if (raw == null) {
                return List.of();
            }
            List<Long> pids = new ArrayList<>();
            for (String part : raw.split(",", -1)) {
                try {
                    pids.add(Long.parseLong(part.trim()));
                } catch (NumberFormatException notANumber) {
                    throw new InvalidOptions("each of --" + name + " must be a process id, got '" + part + "'");
                }
                if (pids.get(pids.size() - 1) <= 0) {
                    throw new InvalidOptions("each of --" + name + " must be a positive process id, got " + part);
                }
            }
            return List.copyOf(pids);
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
