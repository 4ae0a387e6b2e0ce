package io.chat.loadtest.yardstick;

import java.util.List;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * The chat socket on Spring's WebSocket support, as the server has it. Compression offers are
 * declined, as a default server declines them: the load tool's sockets offer {@code
 * permessage-deflate} as browsers do, and a yardstick that took it up would pay for zlib on every
 * frame where the server does not.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class SocketConfiguration implements WebSocketConfigurer {

    private final ChatSockets sockets;

    SocketConfiguration(ChatSockets sockets) {
        this.sockets = sockets;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(sockets, "/ws/chat/*", "/ws/chat/*/")
                .setHandshakeHandler(new DefaultHandshakeHandler() {
                    @Override
                    protected List<WebSocketExtension> filterRequestedExtensions(ServerHttpRequest request,
                            List<WebSocketExtension> requested, List<WebSocketExtension> supported) {
                        return List.of();
                    }
                })
                .addInterceptors(sockets)
                .setAllowedOriginPatterns("*");
    }
}
