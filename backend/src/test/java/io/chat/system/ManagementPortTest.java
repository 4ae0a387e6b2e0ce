package io.chat.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.Metrics;
import io.chat.support.Response;
import io.chat.support.TestUser;
import io.chat.support.WsClient;

/**
 * With {@code management.server.port} set, health and metrics are served there, without a token,
 * and no longer on the public port (which a load balancer exposes); the public port keeps its API,
 * its security and its sockets.
 */
@ExtendWith(OutputCaptureExtension.class)
@ChatServerTest
@TestPropertySource(properties = "management.server.port=0")
class ManagementPortTest {

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Test
    void healthAndMetricsAreOnTheManagementPortWithoutAToken() {
        assertThat(managementPort).isPositive().isNotEqualTo(port);
        Api management = new Api(managementPort);
        Response health = management.get("/actuator/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(management.get("/actuator/health/readiness", null).status()).isEqualTo(200);
        assertThat(management.get("/actuator/health/liveness", null).status()).isEqualTo(200);
        assertThat(Metrics.of(managementPort).names()).contains("chat_websocket_sessions", "jvm_memory_used_bytes",
                "hikaricp_connections_pending");
        // only what is exposed: no other actuator endpoint, and not the API
        assertThat(management.get("/actuator/env", null).status()).isIn(401, 404);
        assertThat(management.get("/api/users/me/", null).status()).isIn(401, 404);
    }

    @Test
    void theStartupLogPointsAtTheManagementPort(CapturedOutput output) {
        assertThat(output.getAll()).contains("health:      http://localhost:" + managementPort + "/actuator/health");
    }

    @Test
    void thePublicPortServesNeitherHealthNorMetrics() {
        Api api = new Api(port);
        for (String path : new String[] {"/actuator/health", "/actuator/health/readiness", "/actuator/prometheus"}) {
            Response response = api.get(path, null);
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.text()).as(path).doesNotContain("jvm_memory").doesNotContain("\"UP\"");
        }
    }

    @Test
    void thePublicPortKeepsItsSecurityAndSockets() {
        Api api = new Api(port);
        assertThat(api.get("/api/users/me/", null).status()).isEqualTo(401);
        assertThat(api.get("/api/users/me/", "garbage").status()).isEqualTo(401);
        TestUser alice = api.newUser();
        assertThat(api.get("/api/users/me/", alice.access()).status()).isEqualTo(200);
        long chat = api.newChat(alice);
        try (WsClient socket = WsClient.open(api.wsUrl(chat), alice.access())) {
            assertThat(Metrics.of(managementPort).value("chat_websocket_sessions")).isEqualTo(1);
        }
        // health details are still for authenticated callers only, on the management port too
        Api management = new Api(managementPort);
        assertThat(management.get("/actuator/health", null).json().path("components").path("db").has("details"))
                .isFalse();
        assertThat(management.get("/actuator/health", alice.access()).json().path("components").path("db")
                .has("details")).isTrue();
    }
}
