package io.chat.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/** The figures of one run: printed as one JSON line (for scripts) and as a table (for people). */
final class Result {

    private final Map<String, Object> figures = new LinkedHashMap<>();

    Result(String scenario) {
        figures.put("scenario", scenario);
    }

    Result put(String name, Object value) {
        figures.put(name, value instanceof Double number ? Math.round(number * 100) / 100.0 : value);
        return this;
    }

    Map<String, Object> figures() {
        return figures;
    }

    String jsonLine() {
        return "RESULT " + JsonMapper.builder().build().writeValueAsString(figures);
    }

    String table() {
        StringBuilder table = new StringBuilder();
        int width = figures.keySet().stream().mapToInt(String::length).max().orElse(10);
        figures.forEach((name, value) -> table.append(String.format("  %-" + width + "s  %s%n", name, value)));
        return table.toString();
    }

    /** The 1-minute load average of this machine, or -1 where /proc is absent. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException unavailable) {
            return -1;
        }
    }
}
