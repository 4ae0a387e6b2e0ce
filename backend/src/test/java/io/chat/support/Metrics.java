package io.chat.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoublePredicate;

/**
 * One scrape of a Prometheus endpoint ({@code /actuator/prometheus} of an instance, or RabbitMQ's
 * {@code /metrics}) as Prometheus reads it: samples, each a metric name, labels and a value.
 */
public final class Metrics {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One line of the exposition: {@code name{label="value",...} 1.0}. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private Metrics(List<Sample> samples) {
        this.samples = samples;
    }

    /** Scrapes the URL (Prometheus' text format); fails the test unless it answers 200. */
    public static Metrics scrape(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Accept", "text/plain").timeout(Duration.ofSeconds(15)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
            return parse(response.body());
        } catch (IOException failure) {
            throw new AssertionError("GET " + url + " failed", failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError(interrupted);
        }
    }

    /** The scrape of an instance's {@code /actuator/prometheus} on this port. */
    public static Metrics of(int port) {
        return scrape("http://127.0.0.1:" + port + "/actuator/prometheus");
    }

    static Metrics parse(String exposition) {
        List<Sample> samples = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            Map<String, String> labels = new LinkedHashMap<>();
            String name;
            int rest;
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                rest = labels(line, brace + 1, labels);
            } else {
                name = line.substring(0, space);
                rest = space;
            }
            String[] valueAndTime = line.substring(rest).trim().split(" ");
            samples.add(new Sample(name, labels, Double.parseDouble(valueAndTime[0])));
        }
        return new Metrics(samples);
    }

    /** Reads {@code a="x",b="y"}} from {@code from}; returns the index after the closing brace. */
    private static int labels(String line, int from, Map<String, String> into) {
        int i = from;
        while (line.charAt(i) != '}') {
            int equals = line.indexOf('=', i);
            String label = line.substring(i, equals);
            StringBuilder value = new StringBuilder();
            int j = equals + 2; // past ="
            while (line.charAt(j) != '"') {
                char c = line.charAt(j);
                if (c == '\\') {
                    char escaped = line.charAt(++j);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
                j++;
            }
            into.put(label, value.toString());
            i = j + 1;
            if (line.charAt(i) == ',') {
                i++;
            }
        }
        return i + 1;
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Every metric name with at least one sample. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(sample -> names.add(sample.name()));
        return names;
    }

    /**
     * The sum of the samples of this name whose labels include the given ones (name, value, name,
     * value...); 0 when none has them, as Prometheus treats a counter not yet created.
     */
    public double value(String name, String... labels) {
        double sum = 0;
        for (Sample sample : matching(name, labels)) {
            sum += sample.value();
        }
        return sum;
    }

    /** Whether a sample of this name with these labels exists. */
    public boolean has(String name, String... labels) {
        return !matching(name, labels).isEmpty();
    }

    public List<Sample> matching(String name, String... labels) {
        List<Sample> found = new ArrayList<>();
        for (Sample sample : samples) {
            if (sample.name().equals(name) && hasLabels(sample, labels)) {
                found.add(sample);
            }
        }
        return found;
    }

    private static boolean hasLabels(Sample sample, String... labels) {
        for (int i = 0; i < labels.length; i += 2) {
            if (!labels[i + 1].equals(sample.labels().get(labels[i]))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Scrapes until the value satisfies the condition (counters move on the server's threads, a
     * moment after the client saw what they count), or fails after {@code within}.
     */
    public static Metrics awaitValue(int port, Duration within, DoublePredicate condition, String name,
            String... labels) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Metrics metrics = of(port);
            double value = metrics.value(name, labels);
            if (condition.test(value)) {
                return metrics;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " " + List.of(labels) + " is " + value + " after " + within);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new AssertionError(interrupted);
            }
        }
    }
}
