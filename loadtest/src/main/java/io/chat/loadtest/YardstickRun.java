package io.chat.loadtest;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code --yardstick URL}: after the run against {@code --url}, the same scenario with the same
 * options runs against a yardstick ({@code java -jar chat-loadtest.jar yardstick}), and each pair
 * of results is compared in a {@code RATIO} line ({@link Ratios}). The two options are taken out
 * of the arguments before they are parsed, so that each run is parsed as if typed alone: the
 * yardstick's URL replaces {@code --url}, and {@code --yardstick-pid} replaces {@code --server-pid}
 * (without it the yardstick run has none, rather than reading the server's process).
 *
 * @param serverArgs the arguments of the run against the server
 * @param yardstickArgs the arguments of the run against the yardstick, or null when none was asked for
 */
record YardstickRun(String[] serverArgs, String[] yardstickArgs) {

    static final String USAGE = String.join("\n",
            "  --yardstick URL      after the run, the same run against a yardstick (java -jar",
            "                       chat-loadtest.jar yardstick --port 8100: the server's stack, bare),",
            "                       then a RATIO line: key figures as server / yardstick",
            "  --yardstick-pid PID  the yardstick's process, as --server-pid for its run");

    private static final String YARDSTICK = "--yardstick";
    private static final String YARDSTICK_PID = "--yardstick-pid";

    static YardstickRun split(String... args) {
        List<String> server = new ArrayList<>();
        String url = null;
        String pid = null;
        for (int i = 0; i < args.length; i++) {
            boolean hasValue = i + 1 < args.length;
            if (args[i].equals(YARDSTICK) && hasValue) {
                url = args[++i];
            } else if (args[i].equals(YARDSTICK_PID) && hasValue) {
                pid = args[++i];
            } else {
                server.add(args[i]);
            }
        }
        if (url == null) {
            if (pid != null) {
                throw new Options.InvalidOptions("--yardstick-pid needs --yardstick URL");
            }
            return new YardstickRun(server.toArray(String[]::new), null);
        }
        List<String> yardstick = new ArrayList<>();
        for (int i = 0; i < server.size(); i++) {
            String arg = server.get(i);
            // options come in --name value pairs after the scenario; the scenario itself is kept
            if (i > 0 && (arg.equals("--url") || arg.equals("--server-pid")) && i + 1 < server.size()) {
                i++;
            } else {
                yardstick.add(arg);
            }
        }
        yardstick.add("--url");
        yardstick.add(url);
        if (pid != null) {
            yardstick.add("--server-pid");
            yardstick.add(pid);
        }
        return new YardstickRun(server.toArray(String[]::new), yardstick.toArray(String[]::new));
    }
}
