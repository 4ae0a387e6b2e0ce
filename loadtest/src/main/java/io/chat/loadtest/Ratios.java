package io.chat.loadtest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * The key figures of a run against the server divided by the same run's against the yardstick:
 * how much the server's own work costs over a bare socket and broadcast on the same stack and
 * machine. Above 1 for times, below 1 for rates, means the server is slower than the yardstick.
 */
final class Ratios {

    /** What a run that only opens sockets is judged by. */
    static final List<String> OPENING = List.of("opens_per_s", "open_p50_ms", "open_p99_ms");
    /** What a run that sends messages is judged by. */
    static final List<String> MESSAGING = List.of("latency_p50_ms", "latency_p99_ms", "deliveries_per_s");

    private Ratios() {
    }

    /**
     * @return the scenario (and step, for a sweep), then each key figure as server / yardstick, null
     *     where either is missing or the yardstick's is zero
     */
    static Map<String, Object> of(Result server, Result yardstick) {
        Map<String, Object> figures = server.figures();
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("scenario", figures.get("scenario"));
        if (figures.containsKey("step")) {
            ratios.put("step", figures.get("step"));
        }
        boolean opening = figures.containsKey("opens_per_s");
        for (String key : opening ? OPENING : MESSAGING) {
            ratios.put(key, ratio(figures.get(key), yardstick.figures().get(key)));
        }
        return ratios;
    }

    static String line(Result server, Result yardstick) {
        return "RATIO " + JsonMapper.builder().build().writeValueAsString(of(server, yardstick));
    }

    private static Double ratio(Object server, Object yardstick) {
        if (!(server instanceof Number s) || !(yardstick instanceof Number y) || y.doubleValue() == 0
                || Double.isNaN(s.doubleValue()) || Double.isNaN(y.doubleValue())) {
            return null;
        }
        return Math.round(s.doubleValue() / y.doubleValue() * 1000) / 1000.0;
    }
}
