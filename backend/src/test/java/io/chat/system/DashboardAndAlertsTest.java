package io.chat.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import io.chat.support.Api;
import io.chat.support.Instances;
import io.chat.support.Metrics;
import io.chat.support.RepositoryFiles;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import tools.jackson.databind.JsonNode;

/**
 * The Grafana dashboard ({@code deploy/grafana/dashboards/chat.json}) and the Prometheus alert rules
 * ({@code deploy/prometheus/alerts.yml}) query only metrics that exist: every metric name in their
 * PromQL is exported by a running instance in relay mode after some traffic (the chat's own, JVM,
 * process, pool and HTTP meters), or, for {@code rabbitmq_*}, by this machine's RabbitMQ with its
 * {@code rabbitmq_prometheus} plugin. And the dashboard shows every chat metric the server exports, and
 * Prometheus' own parser accepts the files and every query.
 */
class DashboardAndAlertsTest {

    /** The RabbitMQ node's rabbitmq_prometheus endpoint (enabled by .ci/run). */
    static final String RABBITMQ_METRICS = "http://127.0.0.1:15692/metrics";
    /** Written by Prometheus itself for every target it scrapes, not by any target. */
    static final Set<String> FROM_PROMETHEUS = Set.of("up");

    static Instances instance;
    static Metrics exported;

    @BeforeAll
    static void startAnInstanceAndDriveTraffic() {
        instance = Instances.start(1);
        Api api = instance.api(0);
        TestUser alice = api.newUser();
        TestUser bob = api.newUser();
        long chat = api.newChat(alice, bob);
        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(api.wsUrl(chat), bob.access())) {
            a.sendJson(Map.of("type", "message", "text", "hello"));
            a.nextOfType("message");
            b.nextOfType("message");
            a.send("not json");
            a.nextOfType("error");
        }
        exported = Metrics.awaitValue(instance.port(0), WsClient.WAIT, closes -> closes >= 2,
                "chat_websocket_closes_total");
    }

    @AfterAll
    static void stop() {
        if (instance != null) {
            instance.close();
        }
    }

    @Test
    void everyMetricTheDashboardQueriesIsExported() throws IOException {
        Set<String> queried = new TreeSet<>();
        List<String> expressions = dashboardExpressions();
        assertThat(expressions).hasSizeGreaterThan(20);
        expressions.forEach(expression -> queried.addAll(metricNames(expression)));
        assertExported(queried, "deploy/grafana/dashboards/chat.json");
        assertThat(queried).as("the dashboard covers the JVM, the pool and RabbitMQ")
                .contains("jvm_memory_used_bytes", "hikaricp_connections_pending", "rabbitmq_connections");
    }

    @Test
    void everyMetricTheAlertsQueryIsExported() throws IOException {
        Map<String, String> alerts = alertExpressions();
        Set<String> queried = new TreeSet<>();
        alerts.values().forEach(expression -> queried.addAll(metricNames(expression)));
        assertExported(queried, "deploy/prometheus/alerts.yml");
        assertThat(alerts).containsKeys("ChatInstanceDown", "ChatRelayDown", "ChatEventLatencyHigh",
                "ChatSlowClientClosesSpiking", "ChatDatabasePoolExhausted");
        assertThat(alerts.get("ChatInstanceDown")).contains("up{job=\"chat\"}");
        assertThat(metricNames(alerts.get("ChatRelayDown"))).containsExactly("chat_relay_link_up");
        assertThat(alerts.get("ChatEventLatencyHigh")).contains("histogram_quantile(0.99")
                .contains("chat_events_delivery_latency_seconds_bucket");
        assertThat(metricNames(alerts.get("ChatSlowClientClosesSpiking")))
                .containsExactly("chat_websocket_slow_client_closes_total");
        assertThat(metricNames(alerts.get("ChatDatabasePoolExhausted")))
                .containsExactly("hikaricp_connections_pending");
    }

    @Test
    void theDashboardShowsEveryChatMetricTheServerExports() throws IOException {
        Set<String> shown = new TreeSet<>();
        dashboardExpressions().forEach(expression -> metricNames(expression).forEach(name -> shown.add(family(name))));
        Set<String> chatFamilies = new TreeSet<>();
        exported.names().stream().filter(name -> name.startsWith("chat_"))
                .forEach(name -> chatFamilies.add(family(name)));
        assertThat(chatFamilies).as("exported").contains("chat_relay_link_up", "chat_events_delivery_latency_seconds");
        assertThat(shown).containsAll(chatFamilies);
    }

    @Test
    void prometheusScrapesTheInstancesOnTheManagementPortAndRabbitMq() throws IOException {
        Map<String, Object> config = new Yaml().load(
                Files.readString(RepositoryFiles.find("deploy/prometheus/prometheus.yml")));
        assertThat(config.get("rule_files")).isEqualTo(List.of("alerts.yml"));
        Map<String, List<String>> targets = new TreeMap<>();
        Map<String, String> paths = new TreeMap<>();
        for (Object job : (List<?>) config.get("scrape_configs")) {
            Map<?, ?> scrape = (Map<?, ?>) job;
            List<String> jobTargets = new ArrayList<>();
            for (Object staticConfig : (List<?>) scrape.get("static_configs")) {
                ((List<?>) ((Map<?, ?>) staticConfig).get("targets"))
                        .forEach(target -> jobTargets.add((String) target));
            }
            targets.put((String) scrape.get("job_name"), jobTargets);
            paths.put((String) scrape.get("job_name"), (String) scrape.get("metrics_path"));
        }
        assertThat(targets).containsEntry("chat", List.of("app1:8081", "app2:8081"))
                .containsEntry("rabbitmq", List.of("rabbitmq:15692"));
        assertThat(paths).containsEntry("chat", "/actuator/prometheus");
    }

    /**
     * Prometheus' own parser (promtool, from Debian's prometheus package; .ci/run installs it) accepts
     * the scrape config, the alert rules and every query of the dashboard, with Grafana's variables
     * set as Grafana would.
     */
    @Test
    void prometheusAcceptsTheConfigTheRulesAndEveryDashboardQuery(@TempDir Path dir)
            throws IOException, InterruptedException {
        promtool("check", "config", RepositoryFiles.find("deploy/prometheus/prometheus.yml").toString());
        promtool("check", "rules", RepositoryFiles.find("deploy/prometheus/alerts.yml").toString());
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        List<String> expressions = dashboardExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            String expression = expressions.get(i).replace("$__rate_interval", "1m").replace("$instance_id", ".*");
            rules.append("      - record: dashboard_query_").append(i).append("\n        expr: ")
                    .append(Api.json(expression)).append('\n');
        }
        Path asRules = dir.resolve("dashboard-rules.yml");
        Files.writeString(asRules, rules);
        assertThat(promtool("check", "rules", asRules.toString())).contains(expressions.size() + " rules found");
    }

    private static String promtool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s:%n%s", command, output).isZero();
        return output;
    }

    private static void assertExported(Set<String> queried, String file) {
        Set<String> rabbitmq = new TreeSet<>();
        Set<String> server = new TreeSet<>();
        for (String name : queried) {
            if (FROM_PROMETHEUS.contains(name)) {
                continue;
            }
            (name.startsWith("rabbitmq_") ? rabbitmq : server).add(name);
        }
        assertThat(exported.names()).as("metrics of %s exported by the instance", file).containsAll(server);
        if (!rabbitmq.isEmpty()) {
            assertThat(Metrics.scrape(RABBITMQ_METRICS).names()).as("metrics of %s exported by RabbitMQ", file)
                    .containsAll(rabbitmq);
        }
    }

    /** Every PromQL of the dashboard: its panels' targets and its query variables. */
    private static List<String> dashboardExpressions() throws IOException {
        JsonNode dashboard = Api.parse(Files.readString(RepositoryFiles.find("deploy/grafana/dashboards/chat.json")));
        List<String> expressions = new ArrayList<>();
        collectTargets(dashboard.get("panels"), expressions);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String query = variable.path("query").isObject() ? variable.path("query").path("query").asString()
                    : variable.path("query").asString();
            Matcher labelValues = Pattern.compile("label_values\\(\\s*(.+?)\\s*,\\s*\\w+\\s*\\)").matcher(query);
            if (labelValues.matches()) {
                expressions.add(labelValues.group(1));
            } else if (!query.isBlank()) {
                expressions.add(query);
            }
        }
        return expressions;
    }

    private static void collectTargets(JsonNode panels, List<String> into) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                into.add(target.get("expr").asString());
            }
            if (panel.has("panels")) {
                collectTargets(panel.get("panels"), into);
            }
        }
    }

    /** Alert name to expression, from every group of alerts.yml. */
    private static Map<String, String> alertExpressions() throws IOException {
        Map<String, Object> rules = new Yaml().load(Files.readString(RepositoryFiles.find("deploy/prometheus/alerts.yml")));
        Map<String, String> alerts = new TreeMap<>();
        for (Object group : (List<?>) rules.get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                Map<?, ?> alert = (Map<?, ?>) rule;
                alerts.put((String) alert.get("alert"), alert.get("expr").toString());
            }
        }
        assertThat(alerts).isNotEmpty();
        return alerts;
    }

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan");

    /**
     * The metric names a PromQL expression selects: identifiers that are not functions (followed by
     * a parenthesis), keywords, labels (inside braces or grouping clauses), strings, ranges or
     * Grafana variables.
     */
    static Set<String> metricNames(String expression) {
        String bare = STRING.matcher(expression).replaceAll("\"\"");
        bare = MATCHERS.matcher(bare).replaceAll(" ");
        bare = RANGE.matcher(bare).replaceAll(" ");
        bare = GROUPING.matcher(bare).replaceAll(" ");
        bare = VARIABLE.matcher(bare).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            String name = identifier.group();
            int next = identifier.end();
            while (next < bare.length() && Character.isWhitespace(bare.charAt(next))) {
                next++;
            }
            boolean function = next < bare.length() && bare.charAt(next) == '(';
            boolean number = identifier.start() > 0 && Character.isDigit(bare.charAt(identifier.start() - 1));
            if (!function && !number && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    @Test
    void metricNamesAreReadFromPromQlAsPrometheusWould() {
        assertThat(metricNames("histogram_quantile(0.99, sum by (instance_id, le) (rate(a_seconds_bucket{x=\"y,z\"}"
                + "[$__rate_interval]))) > 0.5")).containsExactly("a_seconds_bucket");
        assertThat(metricNames("min by (instance_id) (chat_relay_link_up) == 0 or up{job=\"chat\"} == 0"))
                .containsExactly("chat_relay_link_up", "up");
        assertThat(metricNames("sum(rate(b_total[5m])) / on (i) group_left (j) c * 1e3"))
                .containsExactly("b_total", "c");
    }

    /** A histogram or counter's samples under one name: {@code x_seconds_bucket} is {@code x_seconds}. */
    private static String family(String name) {
        return name.replaceFirst("_(bucket|count|sum|max)$", "");
    }
}
