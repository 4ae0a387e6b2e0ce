package io.chat.realtime;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Reads what the upgrade request says: the chat id from the path, and, as {@link UpgradeRequestTrim}
 * took them from the request, the token (the Authorization header wins over {@code ?token=}) and the
 * recovery parameters {@code ?since_seq=} and {@code ?last_message_id=}. The upgrade always goes
 * ahead: the contract answers problems with close codes once the socket is open. Runs for every
 * connection, so it scans the path and query by hand rather than through a URI builder or regex.
 */
class ChatHandshakeInterceptor implements HandshakeInterceptor {

    static final String CHAT_ID = "chat.chatId";
    static final String TOKEN = "chat.token";
    static final String LAST_MESSAGE_ID = "chat.lastMessageId";
    static final String SINCE_SEQ = "chat.sinceSeq";
    /** When the upgrade request came in (System.nanoTime()), for the open latency metric. */
    static final String UPGRADE_STARTED = "chat.upgradeStarted";

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Map<String, Object> attributes) {
        attributes.put(UPGRADE_STARTED, System.nanoTime());
        Long chatId = chatId(request.getURI().getPath());
        if (chatId != null) {
            attributes.put(CHAT_ID, chatId);
        }
        // read by UpgradeRequestTrim, which hides the query string and most headers from here on
        UpgradeRequestTrim.Parameters parameters = request instanceof ServletServerHttpRequest servlet
                && servlet.getServletRequest().getAttribute(UpgradeRequestTrim.PARAMETERS)
                        instanceof UpgradeRequestTrim.Parameters read
                ? read : new UpgradeRequestTrim.Parameters(null, null, null);
        if (parameters.token() != null) {
            attributes.put(TOKEN, parameters.token());
        }
        if (parameters.lastMessageId() != null) {
            attributes.put(LAST_MESSAGE_ID, parameters.lastMessageId());
        }
        if (parameters.sinceSeq() != null) {
            attributes.put(SINCE_SEQ, parameters.sinceSeq());
        }
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Exception failure) {
    }

    /** {@code /ws/chat/42/} or {@code /ws/chat/42}; null for anything that is not a positive id. */
    static Long chatId(String path) {
        int end = path.endsWith("/") ? path.length() - 1 : path.length();
        int start = path.lastIndexOf('/', end - 1) + 1;
        int digits = end - start;
        if (digits < 1 || digits > 18 || path.charAt(start) == '0') {
            return null;
        }
        long id = 0;
        for (int i = start; i < end; i++) {
            char c = path.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            id = id * 10 + (c - '0');
        }
        return id;
    }

    /** The first value of a query parameter, percent-decoded; null when absent or given without a value. */
    static String parameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        int from = 0;
        while (from <= rawQuery.length()) {
            int end = rawQuery.indexOf('&', from);
            if (end < 0) {
                end = rawQuery.length();
            }
            int equals = rawQuery.indexOf('=', from);
            int nameEnd = equals < 0 || equals > end ? end : equals;
            if (nameEnd - from == name.length() && rawQuery.startsWith(name, from)) {
                return nameEnd == end ? null
                        : URLDecoder.decode(rawQuery.substring(nameEnd + 1, end), StandardCharsets.UTF_8);
            }
            from = end + 1;
        }
        return null;
    }

}
