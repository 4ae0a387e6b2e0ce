package io.chat.fanout;

import java.util.List;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.scheduling.TaskScheduler;

import io.chat.system.ClusterSettings;

/** Relay mode: fan-out through RabbitMQ's STOMP plugin, over reactor-netty. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "chat.broker.mode", havingValue = "relay")
class RelayConfiguration {

    /** STOMP heartbeats both ways: a dead broker or network is noticed within about two periods. */
    private static final long[] HEARTBEAT_MILLIS = {10_000, 10_000};

    /** One STOMP client per node; a client opens its threads only once a link uses its node. */
    @Bean(destroyMethod = "shutdown")
    RelayNodes relayNodes(BrokerSettings settings, @Qualifier("taskScheduler") TaskScheduler scheduler) {
        List<RelayNodes.Node> nodes = settings.relay().nodes().stream().map(address -> {
            RelayStompClient client = new RelayStompClient(address.host(), address.port());
            client.setMessageConverter(new StringMessageConverter());
            client.setTaskScheduler(scheduler);
            client.setDefaultHeartbeat(HEARTBEAT_MILLIS);
            return new RelayNodes.Node(address, client);
        }).toList();
        return new RelayNodes(nodes);
    }

    @Bean
    StompRelayChatEventBus chatEventBus(@Lazy ChatEventListener listener, RelayNodes nodes, BrokerSettings settings,
            ClusterSettings cluster, @Qualifier("taskScheduler") TaskScheduler scheduler) {
        BrokerSettings.Relay relay = settings.relay();
        ChatEventCodec codec = new ChatEventCodec(relay.destinationPrefix());
        return new StompRelayChatEventBus(listener, cluster.instanceId(), nodes.toString(), relay.subscriptions(),
                codec, (name, onConnected, watcher) -> {
                    StompHeaders connect = new StompHeaders();
                    connect.setLogin(relay.login());
                    connect.setPasscode(relay.passcode());
                    // RabbitMQ refuses a CONNECT without the virtual host
                    connect.setHost(relay.virtualHost());
                    return new StompLink(name, nodes, connect, scheduler, onConnected, watcher);
                });
    }

    @Bean
    RelayMetrics relayMetrics(StompRelayChatEventBus bus) {
        return new RelayMetrics(bus);
    }

    @Bean
    BrokerHealthIndicator brokerHealthIndicator(StompRelayChatEventBus bus, RelayNodes nodes) {
        return new BrokerHealthIndicator(bus, nodes.toString());
    }
}
