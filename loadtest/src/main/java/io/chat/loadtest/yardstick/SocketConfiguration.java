package io.chat.loadtest.yardstick;

import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * The chat socket on Spring's WebSocket support, as the server has it. Compression offers are
 * declined, as a default server declines them: the load tool's sockets offer {@code
 * permessage-deflate} as browsers do, and a yardstick that took it up would pay for zlib on every
 * frame (and hold its state per socket) where the server does not.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class SocketConfiguration implements WebSocketConfigurer {

    private static final String EXTENSIONS = "Sec-WebSocket-Extensions";

    private final ChatSockets sockets;

    SocketConfiguration(ChatSockets sockets) {
        this.sockets = sockets;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(sockets, "/ws/chat/*", "/ws/chat/*/").addInterceptors(sockets)
                .setAllowedOriginPatterns("*");
    }

    /**
     * Hides the upgrade request's extension offers. Tomcat negotiates {@code permessage-deflate}
     * from the request's header itself, whatever Spring's handshake selects, so the offer has to
     * be gone before the upgrade.
     */
    @Bean
    FilterRegistrationBean<Filter> declineExtensions() {
        Filter filter = (ServletRequest request, ServletResponse response, FilterChain chain) -> {
            chain.doFilter(request instanceof HttpServletRequest http ? withoutExtensions(http) : request, response);
        };
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/ws/*");
        return registration;
    }

    private static HttpServletRequest withoutExtensions(HttpServletRequest request) {
        return new HttpServletRequestWrapper(request) {
            @Override
            public String getHeader(String name) {
                return EXTENSIONS.equalsIgnoreCase(name) ? null : super.getHeader(name);
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                return EXTENSIONS.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
            }

            @Override
            public Enumeration<String> getHeaderNames() {
                List<String> names = Collections.list(super.getHeaderNames());
                names.removeIf(EXTENSIONS::equalsIgnoreCase);
                return Collections.enumeration(names);
            }
        };
    }
}
