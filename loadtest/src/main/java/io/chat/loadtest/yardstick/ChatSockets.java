package io.chat.loadtest.yardstick;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;

import tools.jackson.databind.JsonNode;

/**
 * {@code /ws/chat/{id}/}: the token (from {@code ?token=} or the {@code Authorization} header)
 * names the user, the greeting carries the chat's latest {@code seq}, and each {@code message}
 * frame is stored and broadcast to the chat's sockets. Every other frame is ignored. An unknown
 * token or chat closes the socket as the server does (4401, 4403), so that a misconfigured run
 * fails visibly rather than timing nothing.
 */
@Component
class ChatSockets extends TextWebSocketHandler implements HandshakeInterceptor {

    private static final String CHAT_ID = "chatId";
    private static final String TOKEN = "token";
    private static final String BEARER = "Bearer ";
    private static final String USER = "user";
    private static final String CHAT = "chat";
    private static final String OUTBOX = "outbox";

    private final Accounts accounts;
    private final Chats chats;
    private final Frames frames;

    ChatSockets(Accounts accounts, Chats chats, Frames frames) {
        this.accounts = accounts;
        this.chats = chats;
        this.frames = frames;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Map<String, Object> attributes) {
        List<String> path = UriComponentsBuilder.fromUri(request.getURI()).build().getPathSegments();
        attributes.put(CHAT_ID, path.isEmpty() ? "" : path.get(path.size() - 1));
        String header = request.getHeaders().getFirst("Authorization");
        String token = header != null && header.startsWith(BEARER) ? header.substring(BEARER.length())
                : UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams().getFirst(TOKEN);
        if (token != null) {
            attributes.put(TOKEN, token);
        }
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Exception exception) {
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws IOException {
        Accounts.Account user = accounts.byToken((String) session.getAttributes().get(TOKEN));
        if (user == null) {
            session.close(new CloseStatus(4401, "Invalid token"));
            return;
        }
        Chats.Chat chat;
        try {
            chat = chats.find(Long.parseLong((String) session.getAttributes().get(CHAT_ID)));
        } catch (NumberFormatException notAnId) {
            chat = null;
        }
        if (chat == null) {
            session.close(new CloseStatus(4403, "Access denied"));
            return;
        }
        Outbox outbox = new Outbox(session);
        session.getAttributes().put(USER, user);
        session.getAttributes().put(CHAT, chat);
        session.getAttributes().put(OUTBOX, outbox);
        chats.join(chat, outbox, frames);
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        Chats.Chat chat = (Chats.Chat) session.getAttributes().get(CHAT);
        JsonNode frame = frames.read(message.getPayload());
        if (chat == null || frame == null || !"message".equals(frame.path("type").asString(""))) {
            return;
        }
        JsonNode clientId = frame.get("client_id");
        chats.send(chat, (Accounts.Account) session.getAttributes().get(USER), frame.path("text").asString(""),
                clientId != null && clientId.isString() ? clientId.asString() : null, frames);
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        Chats.Chat chat = (Chats.Chat) session.getAttributes().get(CHAT);
        Outbox outbox = (Outbox) session.getAttributes().get(OUTBOX);
        if (chat != null && outbox != null) {
            chats.leave(chat, outbox);
        }
    }
}
