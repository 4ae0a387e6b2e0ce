package io.chat.realtime;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.support.OriginHandshakeInterceptor;

/**
 * Refuses an upgrade from a page of an origin not in {@code chat.websocket.allowed-origins}, with 403
 * as a problem document (Spring's check answers with an empty body). Same-origin pages, and clients
 * that send no {@code Origin} (servers, apps, CLI tools), always pass. Only installed when the
 * setting is narrower than {@code *}.
 */
class OriginCheck extends OriginHandshakeInterceptor {

    private static final Logger log = LoggerFactory.getLogger(OriginCheck.class);

    private static final byte[] REFUSED = ("{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
            + "\"detail\":\"WebSocket upgrade refused: this origin is not in chat.websocket.allowed-origins\"}")
            .getBytes(StandardCharsets.UTF_8);

    OriginCheck(List<String> allowedOriginPatterns) {
        setAllowedOriginPatterns(allowedOriginPatterns);
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Map<String, Object> attributes) throws Exception {
        if (super.beforeHandshake(request, response, handler, attributes)) {
            return true;
        }
        log.info("ws.origin_refused path={}", request.getURI().getPath());
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getBody().write(REFUSED);
        return false;
    }
}
