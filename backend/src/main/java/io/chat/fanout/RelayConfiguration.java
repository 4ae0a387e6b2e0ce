package io.chat.fanout;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.scheduling.TaskScheduler;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.impl.ForgivingExceptionHandler;

import io.chat.system.ClusterSettings;

/** Relay mode: fan-out through RabbitMQ's STOMP plugin, over reactor-netty. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "chat.broker.mode", havingValue = "relay")
class RelayConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RelayConfiguration.class);

    /** STOMP heartbeats both ways: a dead broker or network is noticed within about two periods. */
    private static final long[] HEARTBEAT_MILLIS = {10_000, 10_000};
    private static final int AMQP_CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int AMQP_CALL_TIMEOUT_MILLIS = 10_000;

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
        Map<BrokerSettings.Address, BrokerSettings.Address> amqpNodes = new HashMap<>();
        List<BrokerSettings.Address> stomp = relay.nodes();
        List<BrokerSettings.Address> amqp = relay.amqpNodes();
        for (int i = 0; i < stomp.size(); i++) {
            amqpNodes.put(stomp.get(i), amqp.get(i));
        }
        return new StompRelayChatEventBus(listener, cluster.instanceId(), nodes.toString(), relay.subscriptions(),
                codec, (name, onConnected, watcher) -> {
                    StompHeaders connect = new StompHeaders();
                    connect.setLogin(relay.login());
                    connect.setPasscode(relay.passcode());
                    // RabbitMQ refuses a CONNECT without the virtual host
                    connect.setHost(relay.virtualHost());
                    return new StompLink(name, nodes, connect, scheduler, onConnected, watcher);
                }, (names, subscriber) -> new RelayBindings(amqpFactory(relay), names, codec, relay.bindingLinger(),
                        "chat relay bindings " + cluster.instanceId(), amqpNodes::get, subscriber));
    }

    private static ConnectionFactory amqpFactory(BrokerSettings.Relay relay) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUsername(relay.login());
        factory.setPassword(relay.passcode());
        factory.setVirtualHost(relay.virtualHost());
        factory.setRequestedHeartbeat((int) (HEARTBEAT_MILLIS[0] / 1000));
        factory.setConnectionTimeout(AMQP_CONNECT_TIMEOUT_MILLIS);
        // a broker that stops answering must not hold the bindings' thread for the client's default 10 min
        factory.setChannelRpcTimeout(AMQP_CALL_TIMEOUT_MILLIS);
        // a lost connection is reported once, by RelayState's broker.relay_down, not again by the client
        factory.setExceptionHandler(new ForgivingExceptionHandler() {
            @Override
            public void handleUnexpectedConnectionDriverException(Connection connection, Throwable failure) {
                log.debug("broker.bindings_connection_failed: {}", failure.toString());
            }
        });
        return factory;
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
