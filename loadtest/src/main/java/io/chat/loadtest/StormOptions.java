package io.chat.loadtest;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@code storm} scenario runs, parsed from {@code storm --name value ...}. It has options
 * of its own (a victim instance, its process, how it is stopped), so it is parsed here rather than
 * in {@link Options}, which the other scenarios share.
 *
 * @param urls server instances; clients are spread over them round-robin, set-up uses the first
 *        that is not the victim
 * @param clients sockets, one per user (users and tokens distinct, as real phones are)
 * @param chatSize clients per chat
 * @param victim index into {@code urls} of the instance that is stopped
 * @param victimPid the victim's process id on this machine; the tool signals it itself
 * @param kill how the victim is stopped
 * @param rate messages per second per chat
 * @param before seconds of steady traffic before the kill
 * @param after seconds of observation (traffic going on) after the kill
 * @param drain after the traffic stops: the longest wait for unacknowledged sends and late deliveries
 * @param openConcurrency initial opens in flight at once (these are not the storm)
 */
record StormOptions(List<URI> urls, int clients, int chatSize, int victim, long victimPid, Kill kill, double rate,
        Duration before, Duration after, Duration drain, int openConcurrency) {

    static final String SCENARIO = "storm";
    static final int MAX_CLIENTS = 100_000;

    /** How the victim is stopped. */
    enum Kill {
        /** SIGKILL: its sockets drop without a close frame (1006), as when a machine dies. */
        CRASH,
        /** SIGTERM: it drains, closes its sockets with 1012 {@code Service restart}, and exits. */
        RESTART
    }

    static final String USAGE = """
              storm      a reconnect storm: --clients users, one socket each, in chats of --chat-size
                           with steady traffic; the --victim instance is stopped (--kill crash: SIGKILL,
                           --kill restart: SIGTERM, which closes with 1012 after a drain) and its clients
                           reconnect to the others with ?since_seq=, as the JS client does
                --url URL,URL[,...]  at least two instances (default http://127.0.0.1:8001,http://127.0.0.1:8002)
                --clients N          sockets, one user each (default 10000, at most %d)
                --chat-size N        clients per chat (default 5)
                --victim I           index into --url of the instance stopped (default: the last)
                --victim-pid PID     required: the victim's process on this machine
                --kill crash|restart (default crash)
                --rate R             messages/s per chat (default 0.2), from one of its live clients
                --before SECONDS     steady traffic before the kill (default 10)
                --after SECONDS      observation after the kill, traffic going on (default 30)
                --drain SECONDS      longest wait for unacknowledged sends after the traffic (default 10)
                --open-concurrency N initial opens in flight (default 200)
              The servers must allow the load (--chat.limits.messages-per-minute=1000000), and their
              access tokens must outlive set-up plus the run (5 minutes by default).""".formatted(MAX_CLIENTS);

    static StormOptions parse(String... args) {
        if (args.length == 0 || !args[0].equals(SCENARIO)) {
            throw new Options.InvalidOptions("expected the scenario '" + SCENARIO + "' first");
        }
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new Options.InvalidOptions("expected --name value, got '" + args[i] + "'");
            }
            given.put(args[i].substring(2), args[i + 1]);
        }
        List<URI> urls = urls(given.remove("url"));
        if (urls.size() < 2) {
            throw new Options.InvalidOptions("storm needs at least two instances in --url: the victim's clients"
                    + " reconnect to the others");
        }
        int clients = integer(given, "clients", 10_000, 1, MAX_CLIENTS);
        int chatSize = integer(given, "chat-size", 5, 1, 1000);
        int victim = integer(given, "victim", urls.size() - 1, 0, urls.size() - 1);
        if (!given.containsKey("victim-pid")) {
            throw new Options.InvalidOptions("--victim-pid is required: the process of instance " + urls.get(victim)
                    + ", which the tool stops itself");
        }
        long victimPid = integer(given, "victim-pid", 0, 1, Integer.MAX_VALUE);
        String kill = given.getOrDefault("kill", "crash");
        given.remove("kill");
        if (!kill.equals("crash") && !kill.equals("restart")) {
            throw new Options.InvalidOptions("--kill must be crash or restart, got '" + kill + "'");
        }
        double rate = decimal(given, "rate", 0.2);
        StormOptions options = new StormOptions(urls, clients, chatSize, victim, victimPid,
                Kill.valueOf(kill.toUpperCase(java.util.Locale.ROOT)), rate,
                Duration.ofSeconds(integer(given, "before", 10, 0, 3600)),
                Duration.ofSeconds(integer(given, "after", 30, 1, 3600)),
                Duration.ofSeconds(integer(given, "drain", 10, 0, 3600)),
                integer(given, "open-concurrency", 200, 1, 10_000));
        if (!given.isEmpty()) {
            throw new Options.InvalidOptions("unknown option --" + given.keySet().iterator().next() + " for storm");
        }
        if (clients < chatSize) {
            throw new Options.InvalidOptions("--clients (" + clients + ") must be at least --chat-size (" + chatSize
                    + ")");
        }
        return options;
    }

    /** Chats of {@code chatSize}; the last may be smaller. */
    int chats() {
        return (clients + chatSize - 1) / chatSize;
    }

    URI victimUrl() {
        return urls.get(victim);
    }

    /** The instances the victim's clients reconnect to, as a load balancer would send them. */
    List<URI> survivors() {
        List<URI> survivors = new ArrayList<>(urls);
        survivors.remove(victim);
        return survivors;
    }

    private static int integer(Map<String, String> given, String name, int fallback, int min, int max) {
        String raw = given.remove(name);
        if (raw == null) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw);
        } catch (NumberFormatException notANumber) {
            throw new Options.InvalidOptions("--" + name + " must be a whole number, got '" + raw + "'");
        }
        if (value < min || value > max) {
            throw new Options.InvalidOptions("--" + name + " must be between " + min + " and " + max + ", got " + raw);
        }
        return value;
    }

    private static double decimal(Map<String, String> given, String name, double fallback) {
        String raw = given.remove(name);
        if (raw == null) {
            return fallback;
        }
        double value;
        try {
            value = Double.parseDouble(raw);
        } catch (NumberFormatException notANumber) {
            throw new Options.InvalidOptions("--" + name + " must be a number, got '" + raw + "'");
        }
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new Options.InvalidOptions("--" + name + " must be a positive number, got " + raw);
        }
        return value;
    }

    private static List<URI> urls(String raw) {
        List<URI> urls = new ArrayList<>();
        for (String part : (raw == null ? "http://127.0.0.1:8001,http://127.0.0.1:8002" : raw).split(",")) {
            URI uri;
            try {
                uri = URI.create(part.trim().replaceAll("/+$", ""));
            } catch (IllegalArgumentException malformed) {
                throw new Options.InvalidOptions("--url: not a URL: '" + part + "'");
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new Options.InvalidOptions("--url: expected http(s)://host:port, got '" + part + "'");
            }
            urls.add(uri);
        }
        return urls;
    }
}
