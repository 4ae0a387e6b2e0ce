package io.chat.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import io.chat.support.RepositoryFiles;

/**
 * What {@code docker-compose.yml} and the {@code Dockerfile} promise an operator, read from the files
 * themselves (images cannot be pulled where the tests run, so the stack is never started here):
 * every service has a memory limit, the load balancer does not wait for every instance to be healthy,
 * RabbitMQ keeps its node name, the actuator stays on a port only haproxy's checks and Prometheus use,
 * the consoles listen on this machine only, and the image is layered, checked and sized to its limit.
 * With {@code docker-compose} installed, its own validation runs too.
 */
class DeploymentFilesTest {

    @Test
    void everyServiceHasAMemoryLimit() throws IOException {
        Map<String, Map<String, Object>> services = services();
        assertThat(services).containsKeys("postgres", "rabbitmq", "migrate", "app1", "app2", "lb", "prometheus",
                "grafana");
        services.forEach((name, service) -> assertThat(memoryLimit(service)).as(name + "'s memory limit").isNotNull());
    }

    @Test
    void theLoadBalancerStartsWithoutWaitingForEveryInstanceToBeHealthy() throws IOException {
        Map<String, Object> dependsOn = map(services().get("lb").get("depends_on"));
        assertThat(dependsOn).containsKeys("app1", "app2");
        dependsOn.forEach((instance, condition) -> assertThat(map(condition).get("condition"))
                .as("lb waits for " + instance).isEqualTo("service_started"));
    }

    @Test
    void rabbitmqKeepsItsNodeNameAcrossRecreates() throws IOException {
        Map<String, Object> rabbitmq = services().get("rabbitmq");
        assertThat(rabbitmq.get("hostname")).isEqualTo("rabbitmq");
        assertThat(map(rabbitmq.get("environment")).get("RABBITMQ_NODENAME")).isEqualTo("rabbit@rabbitmq");
    }

    /**
     * The instances serve the actuator on the management port: haproxy checks health there and
     * forwards clients only to the main port, and no service publishes it.
     */
    @Test
    void theActuatorStaysOnAManagementPortThatIsNeitherPublishedNorBalanced() throws IOException {
        Map<String, Map<String, Object>> services = services();
        for (String instance : List.of("app1", "app2")) {
            assertThat(map(services.get(instance).get("environment")).get("MANAGEMENT_SERVER_PORT"))
                    .as(instance).isEqualTo("8081");
            assertThat(services.get(instance)).as(instance + " publishes nothing").doesNotContainKey("ports");
        }
        services.forEach((name, service) -> assertThat(ports(service)).as(name).noneMatch(port -> port.contains("8081")));

        String haproxy = Files.readString(RepositoryFiles.find("deploy/haproxy.cfg"));
        List<String> servers = matches(Pattern.compile("(?m)^\\s*server (app\\d) (\\S+)"), haproxy);
        assertThat(servers).isNotEmpty().allMatch(server -> server.endsWith(":8000"));
        List<String> checks = matches(Pattern.compile("(?m)^\\s*default-server (.*)$"), haproxy);
        assertThat(checks).isNotEmpty().allMatch(line -> line.startsWith("check port 8081 "));
    }

    @Test
    void consolesListenOnThisMachineOnly() throws IOException {
        Map<String, Map<String, Object>> services = services();
        for (String console : List.of("grafana", "prometheus", "rabbitmq")) {
            assertThat(ports(services.get(console))).as(console).isNotEmpty().allMatch(port -> port.startsWith("127.0.0.1:"));
        }
        assertThat(ports(services.get("grafana"))).containsExactly("127.0.0.1:3000:3000");
    }

    @Test
    void prometheusAndGrafanaAreProvisionedFromTheRepository() throws IOException {
        Map<String, Map<String, Object>> services = services();
        assertThat(list(services.get("prometheus").get("volumes"))).contains(
                "./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
                "./deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
        assertThat(list(services.get("grafana").get("volumes"))).contains(
                "./deploy/grafana/provisioning/datasources:/etc/grafana/provisioning/datasources:ro",
                "./deploy/grafana/provisioning/dashboards:/etc/grafana/provisioning/dashboards:ro",
                "./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro");
    }

    /** Layers copied one by one, a health check on the management port, the heap a share of the limit. */
    @Test
    void theImageIsLayeredCheckedAndSizedToItsMemoryLimit() throws IOException {
        String dockerfile = Files.readString(RepositoryFiles.find("Dockerfile"));
        assertThat(dockerfile).contains("extract --layers --launcher");
        List<String> copies = matches(Pattern.compile("(?m)^COPY --from=build /layers/([a-z-]+)/"), dockerfile);
        assertThat(copies).containsExactly("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
        assertThat(dockerfile).containsPattern("(?m)^HEALTHCHECK .*\\n.*MANAGEMENT_SERVER_PORT.*/actuator/health/readiness");
        assertThat(dockerfile).contains("-XX:MaxRAMPercentage=").doesNotContain("-Xmx")
                .contains("org.springframework.boot.loader.launch.JarLauncher");
    }

    /** docker-compose's own check of the file, where it is installed (Debian's docker-compose 1.29). */
    @Test
    void dockerComposeAcceptsTheFile() throws Exception {
        assumeTrue(RepositoryFiles.onPath("docker-compose"), "docker-compose is not installed");
        ProcessBuilder command = new ProcessBuilder("docker-compose", "-f",
                RepositoryFiles.find("docker-compose.yml").toString(), "config", "-q").redirectErrorStream(true);
        command.environment().put("CHAT_JWT_SECRET", "a-secret-of-at-least-32-bytes-for-the-check");
        Process check = command.start();
        String output = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor()).as(output).isZero();
    }

    private static Map<String, Map<String, Object>> services() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(RepositoryFiles.find("docker-compose.yml")));
        Map<String, Map<String, Object>> services = new TreeMap<>();
        map(compose.get("services")).forEach((name, service) -> services.put(name, map(service)));
        return services;
    }

    private static Object memoryLimit(Map<String, Object> service) {
        if (service.get("mem_limit") != null) {
            return service.get("mem_limit");
        }
        Map<String, Object> deploy = map(service.get("deploy"));
        return map(map(deploy.get("resources")).get("limits")).get("memory");
    }

    private static List<String> ports(Map<String, Object> service) {
        return list(service.get("ports")).stream().map(String::valueOf).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return node == null ? Map.of() : (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node) {
        return node == null ? List.of() : (List<Object>) node;
    }

    private static List<String> matches(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(matcher.groupCount()));
        }
        return found;
    }
}
