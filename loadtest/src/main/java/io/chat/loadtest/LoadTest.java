package io.chat.loadtest;

/**
 * The project's load tool. It drives running chat servers over the real protocol (REST set-up,
 * WebSocket clients with tokens) and prints one {@code RESULT} JSON line and a table of figures.
 * Every scenario is bounded in count and time and stops by itself.
 */
public final class LoadTest {

    private LoadTest() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(Options.USAGE);
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
        Result result = switch (options.scenario()) {
            case "fanout" -> new MessagingRun(options).fanout();
            case "rooms" -> new MessagingRun(options).rooms();
            default -> new ConnectRun(options).run();
        };
        System.out.println(result.table());
        System.out.println(result.jsonLine());
        System.exit(0);
    }
}
