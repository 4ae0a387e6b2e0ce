package io.chat.loadtest;

/**
 * The project's load tool. It drives running chat servers over the real protocol (REST set-up,
 * WebSocket clients with tokens) and prints one {@code RESULT} JSON line and a table of figures
 * per run (per step of a sweep).
 * Every scenario is bounded in count and time and stops by itself.
 */
public final class LoadTest {

    private LoadTest() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(Options.USAGE);
            System.out.println(StormOptions.USAGE);
            return;
        }
        if (args.length > 0 && args[0].equals(StormOptions.SCENARIO)) {
            storm(args);
            return;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.InvalidOptions invalid) {
            System.err.println("error: " + invalid.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        switch (options.scenario()) {
            case "fanout" -> print(new MessagingRun(options).fanout());
            case "rooms" -> print(new MessagingRun(options).rooms());
            case "slow-consumer" -> print(new MessagingRun(options).slowConsumer());
            // a sweep prints each step as it ends, so that a run cut short still leaves its figures
            case "hot-chat" -> new MessagingRun(options).hotChat(LoadTest::print);
            default -> print(new ConnectRun(options).run()); // connect, hold
        }
        System.exit(0);
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
        System.out.println(result.table());
        System.out.println(result.jsonLine());
    }
}
