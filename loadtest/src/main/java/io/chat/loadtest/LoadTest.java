package io.chat.loadtest;

import java.util.ArrayList;
import java.util.List;

/**
 * The project's load tool. It drives running chat servers over the real protocol (REST set-up,
 * WebSocket clients with tokens) and prints one {@code RESULT} JSON line and a table of figures
 * per run (per step of a sweep).
 * Every scenario is bounded in count and time and stops by itself. With {@code --yardstick URL}
 * the same run is made again against the yardstick ({@code yardstick}, the command that starts
 * one) and the two compared ({@link YardstickRun}).
 */
public final class LoadTest {

    /** The results printed so far, in order, to compare a run's with its yardstick run's. */
    private static final List<Result> PRINTED = new ArrayList<>();

    private LoadTest() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(Options.USAGE);
            System.out.println(YardstickRun.USAGE);
            System.out.println(StormOptions.USAGE);
            return;
        }
        if (args.length > 0 && args[0].equals("yardstick")) {
            // the only path that loads Spring: a load run starts as fast as before
            io.chat.loadtest.yardstick.Yardstick.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals(StormOptions.SCENARIO)) {
            storm(args);
            return;
        }
        Options options;
        Options yardstick;
        try {
            YardstickRun runs = YardstickRun.split(args);
            options = Options.parse(runs.serverArgs());
            yardstick = runs.yardstickArgs() == null ? null : Options.parse(runs.yardstickArgs());
        } catch (Options.InvalidOptions invalid) {
            System.err.println("error: " + invalid.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        run(options);
        if (yardstick != null) {
            List<Result> server = new ArrayList<>(PRINTED);
            PRINTED.clear();
            Progress.phase("yardstick", "the same run against the yardstick at " + yardstick.urls().get(0));
            run(yardstick);
            for (int k = 0; k < Math.min(server.size(), PRINTED.size()); k++) {
                System.out.println(Ratios.line(server.get(k), PRINTED.get(k)));
            }
        }
        System.exit(0);
    }

    private static void run(Options options) throws Exception {
        switch (options.scenario()) {
            case "fanout" -> print(new MessagingRun(options).fanout());
            case "rooms" -> print(new MessagingRun(options).rooms());
            case "slow-consumer" -> print(new MessagingRun(options).slowConsumer());
            // a sweep prints each step as it ends, so that a run cut short still leaves its figures
            case "hot-chat" -> new MessagingRun(options).hotChat(LoadTest::print);
            default -> print(new ConnectRun(options).run()); // connect, hold
        }
    }

    /** The reconnect storm has options of its own ({@link StormOptions}). */
    private static void storm(String[] args) throws Exception {
        StormOptions options;
        try {
            options = StormOptions.parse(args);
        } catch (Options.InvalidOptions invalid) {
            System.err.println("error: " + invalid.getMessage());
            System.err.println(StormOptions.USAGE);
            System.exit(2);
            return;
        }
        print(new StormRun(options).run());
        System.exit(0);
    }

    private static void print(Result result) {
        PRINTED.add(result);
        System.out.println(result.table());
        System.out.println(result.jsonLine());
    }
}
