package io.chat.fanout;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.scheduling.TaskScheduler;

/** Relay mode: fan-out through RabbitMQ's STOMP plugin, over reactor-netty. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "chat.broker.mode", havingValue = "relay")
class RelayConfiguration {

    /** STOMP heartbeats both ways: a dead broker or network is noticed within about two periods. */
    private static final long[] HEARTBEAT_MILLIS = {10_000, 10_000};

    @Bean(destroyMethod = "shutdown")
    RelayStompClient stompClient(BrokerSettings settings, @Qualifier("taskScheduler") TaskScheduler scheduler) {
        RelayStompClient client = new RelayStompClient(settings.relay().host(), settings.relay().port());
        client.setMessageConverter(new StringMessageConverter());
        client.setTaskScheduler(scheduler);
        client.setDefaultHeartbeat(HEARTBEAT_MILLIS);
        return client;
    }

    @Bean
    StompRelayChatEventBus chatEventBus(@Lazy ChatEventListener listener, RelayStompClient client,
            BrokerSettings settings, @Qualifier("taskScheduler") TaskScheduler scheduler) {
        BrokerSettings.Relay relay = settings.relay();
        String address = relay.host() + ":" + relay.port();
        return new StompRelayChatEventBus(listener, address, relay.subscriptions(), (name, onConnected, watcher) -> {
            StompHeaders connect = new StompHeaders();
            connect.setLogin(relay.login());
            connect.setPasscode(relay.passcode());
            // RabbitMQ refuses a CONNECT without the virtual host
            connect.setHost(relay.virtualHost());
            return new StompLink(name, client, connect, scheduler, onConnected, watcher);
        });
    }

    @Bean
    RelayMetrics relayMetrics(StompRelayChatEventBus bus) {
        return new RelayMetrics(bus);
    }

    @Bean
    BrokerHealthIndicator brokerHealthIndicator(StompRelayChatEventBus bus, BrokerSettings settings) {
        return new BrokerHealthIndicator(bus, settings);
    }
}
