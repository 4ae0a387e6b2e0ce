package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.chat.support.Api;
import io.chat.support.Instances;
import io.chat.support.Rabbit;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import tools.jackson.databind.JsonNode;

/**
 * RabbitMQ holds a fixed, small number of STOMP connections per instance, whatever its number of
 * clients. The instance logs in as a broker user of its own, so that its connections are counted
 * apart from those of tests running alongside on the same broker.
 */
class BrokerConnectionCountTest {

    static final int CLIENTS = 1000;
    static final int USERS = 10;
    static final int MAX_STOMP_CONNECTIONS_PER_INSTANCE = 4;

    @Test
    void thousandClientsOnOneInstanceUseAtMostFourBrokerConnections() {
        List<WsClient> clients = new ArrayList<>();
        try (Rabbit.User broker = Rabbit.newUser("count");
                Instances cluster = Instances.start(1, broker.relayArgs())) {
            Api api = cluster.api(0);
            List<TestUser> users = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                users.add(api.newUser());
            }
            TestUser[] everyone = users.toArray(TestUser[]::new);
            // 100 chats of 10 users: one connection per user per chat gives 1000 sockets, 100 subscriptions
            long lastChat = 0;
            for (int chatIndex = 0; chatIndex < CLIENTS / USERS; chatIndex++) {
                lastChat = api.newChat(everyone[0], Arrays.copyOfRange(everyone, 1, USERS));
                for (TestUser user : users) {
                    clients.add(WsClient.open(api.wsUrl(lastChat), user.access()));
                }
            }
            assertThat(clients).hasSize(CLIENTS);

            int used = broker.stompConnections();
            System.out.printf("STOMP connections for %d WebSocket clients on one instance: %d%n", CLIENTS, used);
            assertThat(used).isPositive().isLessThanOrEqualTo(MAX_STOMP_CONNECTIONS_PER_INSTANCE);
            // details are for authenticated callers; anyone sees the status
            JsonNode health = api.get("/actuator/health", users.get(0).access()).json().get("components").get("broker");
            assertThat(health.get("status").asString()).isEqualTo("UP");
            assertThat(health.get("details").get("chats").asInt()).as("one subscription per chat")
                    .isEqualTo(CLIENTS / USERS);

            // and fan-out still reaches every client of a chat at that size
            WsClient sender = clients.get(clients.size() - 1);
            sender.sendJson(Map.of("type", "message", "text", "to ten"));
            JsonNode sent = sender.next();
            for (WsClient client : clients.subList(clients.size() - USERS, clients.size() - 1)) {
                assertThat(client.next()).isEqualTo(sent);
            }
        } finally {
            clients.forEach(WsClient::close);
        }
    }
}
