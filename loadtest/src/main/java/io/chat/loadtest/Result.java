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

    /** Adds a figure; a double is rounded to two decimals, and one that could not be measured (NaN) is null. */
    Result put(String name, Object value) {
        if (value instanceof Double number) {
            figures.put(name, number.isNaN() ? null : Math.round(number * 100) / 100.0);
        } else {
            figures.put(name, value);
        }
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
