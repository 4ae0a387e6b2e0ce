package io.chat.chat;

import java.time.Instant;
import java.util.List;

import io.chat.auth.UserSummary;

/** A chat as {@code GET /api/chats/} shows it to one participant. */
record ChatView(long id, String name, List<UserSummary> participants, Object lastMessage, long unreadCount,
        Instant createdAt) {
}
