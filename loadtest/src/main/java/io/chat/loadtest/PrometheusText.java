package io.chat.loadtest;

/** Sums samples of one metric in Prometheus' text format, optionally only those with a given label. */
final class PrometheusText {

    private PrometheusText() {
    }

    /**
     * @param label e.g. {@code area="heap"}, or null for every sample of the metric
     * @return the sum, or NaN when the metric is absent
     */
    static double sum(String text, String metric, String label) {
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(metric)) {
                continue;
            }
            char next = line.length() > metric.length() ? line.charAt(metric.length()) : ' ';
            if (next != '{' && next != ' ') {
                continue; // another metric sharing the prefix
            }
            if (label != null && !line.contains(label)) {
                continue;
            }
            String[] parts = line.trim().split("\\s+");
            sum += Double.parseDouble(parts[parts.length - 1]);
            found = true;
        }
        return found ? sum : Double.NaN;
    }
}
