package io.chat.realtime;

import org.apache.catalina.Lifecycle;
import org.apache.coyote.AbstractProtocol;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.ServletWebSocketHandlerRegistry;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistration;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/** Mounts the chat socket at {@code /ws/chat/{chat_id}/}, with or without the trailing slash. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfiguration implements WebSocketConfigurer {

    private final ChatSocketHandler handler;
    private final WebSocketSettings settings;

    WebSocketConfiguration(ChatSocketHandler handler, WebSocketSettings settings) {
        this.handler = handler;
        this.settings = settings;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // Sockets are looked up before the REST mappings: every (re)connect goes through this.
        if (registry instanceof ServletWebSocketHandlerRegistry servletRegistry) {
            servletRegistry.setOrder(Ordered.HIGHEST_PRECEDENCE);
        }
        // Tokens, not cookies, authenticate the socket, so by default any origin may connect. A narrower
        // list is checked by OriginCheck, which refuses with a problem document; Spring's own check,
        // which always runs after the interceptors, is left open.
        WebSocketHandlerRegistration registration = registry.addHandler(handler, "/ws/chat/*", "/ws/chat/*/");
        if (!settings.allowedOrigins().contains(ANY_ORIGIN)) {
            registration.addInterceptors(new OriginCheck(settings.allowedOrigins()));
        }
        registration.addInterceptors(new ChatHandshakeInterceptor()).setAllowedOriginPatterns(ANY_ORIGIN);
    }

    private static final String ANY_ORIGIN = "*";

    /**
     * No {@code http.server.requests} observation for the upgrades: each would be timed and counted
     * as a 101 response, one meter update per (re)connect that says nothing the socket meters
     * ({@code chat_websocket_opens_total}, the open latency) do not, on the path of every open.
     */
    @Bean
    ObservationPredicate noHttpObservationOfUpgrades() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && request.getCarrier().getRequestURI().startsWith("/ws/"));
    }

    @Bean
    DrainingGate drainingGate() {
        return new DrainingGate();
    }

    /** First on the upgrade path: an instance that is draining refuses upgrades before any work. */
    @Bean
    FilterRegistrationBean<DrainingGate> drainingGateRegistration(DrainingGate gate) {
        FilterRegistrationBean<DrainingGate> registration = new FilterRegistrationBean<>(gate);
        registration.addUrlPatterns("/ws/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** Runs before everything else on the upgrade path, so that nothing sees an offer it would refuse. */
    @Bean
    FilterRegistrationBean<ExtensionOffers> extensionOffers() {
        FilterRegistrationBean<ExtensionOffers> registration = new FilterRegistrationBean<>(
                new ExtensionOffers(settings.compression()));
        registration.addUrlPatterns("/ws/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /** After the extension offers are filtered: the handshake copies only what it needs, per socket. */
    @Bean
    FilterRegistrationBean<UpgradeRequestTrim> upgradeRequestTrim() {
        FilterRegistrationBean<UpgradeRequestTrim> registration = new FilterRegistrationBean<>(new UpgradeRequestTrim());
        registration.addUrlPatterns("/ws/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }

    /**
     * Small receive buffers: the container allocates them for every socket up front. Larger text
     * messages arrive in parts and are joined, up to the limit, by {@link TextFrameAssembler};
     * any binary frame is refused at its first part.
     */
    @Bean
    ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(RECEIVE_BUFFER_CHARS);
        container.setMaxBinaryMessageBufferSize(RECEIVE_BUFFER_BINARY);
        return container;
    }

    /**
     * Socket read and write buffers of the connector, also allocated for every connection (8 KiB
     * each by default); chat frames are small. No larger than the WebSocket input buffer
     * ({@code ChatApplication}'s 1 KiB), so that Tomcat reads frames straight into that buffer
     * rather than through this one; larger writes bypass the write buffer the same way.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> smallSocketBuffers() {
        return factory -> factory.addConnectorCustomizers(connector -> {
            connector.setProperty("socket.appReadBufSize", SOCKET_BUFFER_BYTES);
            connector.setProperty("socket.appWriteBufSize", SOCKET_BUFFER_BYTES);
        });
    }

    /**
     * The connector's thread pool, set up from the same settings ({@code server.tomcat.threads.*}),
     * but running WebSocket write completions where they happen (see
     * {@link InlineSendCompletionExecutor}). Boot's own thread settings are connector customizers
     * of order 0; this one, unordered, runs after them and reads what they set.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> inlineSendCompletions() {
        return factory -> factory.addConnectorCustomizers(connector -> {
            if (connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol) {
                InlineSendCompletionExecutor executor = InlineSendCompletionExecutor.forConnector(
                        "http-exec-", protocol.getMinSpareThreads(), protocol.getMaxThreads(),
                        protocol.getMaxQueueSize(), IDLE_THREAD_MILLIS, protocol.getThreadPriority());
                protocol.setExecutor(executor);
                // Tomcat shuts down only the pools it made itself
                connector.addLifecycleListener(event -> {
                    if (Lifecycle.AFTER_DESTROY_EVENT.equals(event.getType())) {
                        executor.shutdownNow();
                    }
                });
            }
        });
    }

    /** Tomcat's own default for its pool's idle threads. */
    private static final long IDLE_THREAD_MILLIS = 60_000;

    private static final String SOCKET_BUFFER_BYTES = "1024";

    /**
     * Kept by every socket for the text of the frame being read (2 bytes a character): a short
     * message fits in one part, a longer one arrives in parts that {@link TextFrameAssembler} joins.
     */
    private static final int RECEIVE_BUFFER_CHARS = 512;
    /** Binary frames are refused; this only has to hold what is read before that. */
    private static final int RECEIVE_BUFFER_BINARY = 128;
}
