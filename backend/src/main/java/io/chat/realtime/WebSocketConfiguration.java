package io.chat.realtime;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/** Mounts the chat socket at {@code /ws/chat/{chat_id}/}, with or without the trailing slash. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfiguration implements WebSocketConfigurer {

    private final ChatSocketHandler handler;

    WebSocketConfiguration(ChatSocketHandler handler) {
        this.handler = handler;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // Tokens, not cookies, authenticate the socket, so any origin may connect.
        registry.addHandler(handler, "/ws/chat/*", "/ws/chat/*/")
                .addInterceptors(new ChatHandshakeInterceptor())
                .setAllowedOriginPatterns("*");
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

    /** Fits any message the default limits allow (1000 characters of JSON) in one part. */
    private static final int RECEIVE_BUFFER_CHARS = 8192;
    private static final int RECEIVE_BUFFER_BINARY = 1024;
}
