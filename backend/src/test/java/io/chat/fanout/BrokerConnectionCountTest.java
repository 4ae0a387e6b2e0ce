package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.chat.support.Api;
import io.chat.support.Instances;
import io.chat.support.Rabbit;
import io.chat.support.TestUser;
import io.chat.support.WsClient;

/** RabbitMQ holds a fixed, small number of STOMP connections per instance, whatever its number of clients. */
class BrokerConnectionCountTest {

    static final int CLIENTS = 1000;
    static final int USERS = 10;
    static final int MAX_STOMP_CONNECTIONS_PER_INSTANCE = 4;

    @Test
    void thousandClientsOnOneInstanceUseAtMostFourBrokerConnections() {
        int before = Rabbit.stompConnections().size();
        List<WsClient> clients = new ArrayList<>();
        try (Instances cluster = Instances.start(1)) {
            Api api = cluster.api(0);
            List<TestUser> users = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                users.add(api.newUser());
            }
            TestUser[] everyone = users.toArray(TestUser[]::new);
            // 100 chats of 10 users: one connection per user per chat gives 1000 sockets, 100 subscriptions
            for (int chatIndex = 0; chatIndex < CLIENTS / USERS; chatIndex++) {
                long chat = api.newChat(everyone[0], java.util.Arrays.copyOfRange(everyone, 1, USERS));
                for (TestUser user : users) {
                    clients.add(WsClient.open(api.wsUrl(chat), user.access()));
                }
            }
            assertThat(clients).hasSize(CLIENTS);
            int used = Rabbit.stompConnections().size() - before;
            assertThat(used).isPositive().isLessThanOrEqualTo(MAX_STOMP_CONNECTIONS_PER_INSTANCE);
            System.out.printf("STOMP connections for %d WebSocket clients on one instance: %d%n", CLIENTS, used);
        } finally {
            clients.forEach(WsClient::close);
        }
    }
}
