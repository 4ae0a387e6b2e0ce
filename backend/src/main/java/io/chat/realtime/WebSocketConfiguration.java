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

    /** Messages above the limit close the connection with 1009 (the container's own check). */
    @Bean
    ServletServerContainerFactoryBean webSocketContainer(WebSocketSettings settings) {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(settings.maxFrameBytes());
        container.setMaxBinaryMessageBufferSize(settings.maxFrameBytes());
        return container;
    }
}
