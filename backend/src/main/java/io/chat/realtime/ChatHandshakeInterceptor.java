package io.chat.realtime;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Reads what the upgrade request says: the chat id from the path, the token (the Authorization
 * header wins over {@code ?token=}), and {@code ?last_message_id=}. The upgrade always goes
 * ahead: the contract answers problems with close codes once the socket is open.
 */
class ChatHandshakeInterceptor implements HandshakeInterceptor {

    static final String CHAT_ID = "chat.chatId";
    static final String TOKEN = "chat.token";
    static final String LAST_MESSAGE_ID = "chat.lastMessageId";

    private static final String BEARER = "Bearer ";

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Map<String, Object> attributes) {
        Long chatId = chatId(request.getURI().getPath());
        if (chatId != null) {
            attributes.put(CHAT_ID, chatId);
        }
        Map<String, List<String>> query = UriComponentsBuilder.fromUri(request.getURI()).build(true)
                .getQueryParams();
        String token = token(request.getHeaders(), query);
        if (token != null) {
            attributes.put(TOKEN, token);
        }
        String lastMessageId = decoded(first(query, "last_message_id"));
        if (lastMessageId != null) {
            attributes.put(LAST_MESSAGE_ID, lastMessageId);
        }
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Exception failure) {
    }

    /** {@code /ws/chat/42/} or {@code /ws/chat/42}; null for anything that is not a positive id. */
    static Long chatId(String path) {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String segment = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        if (!segment.matches("[1-9][0-9]{0,17}")) {
            return null;
        }
        return Long.parseLong(segment);
    }

    private static String token(HttpHeaders headers, Map<String, List<String>> query) {
        String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            // a header that is not a bearer token is a bad token, not a reason to look elsewhere
            return authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                    ? authorization.substring(BEARER.length()).trim() : "";
        }
        return decoded(first(query, "token"));
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String decoded(String value) {
        return value == null ? null : java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
