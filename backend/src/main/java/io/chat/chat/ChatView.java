package io.chat.chat;

import java.time.Instant;
import java.util.List;

import io.chat.auth.UserSummary;
import io.swagger.v3.oas.annotations.media.Schema;

/** A chat as {@code GET /api/chats/} shows it to one participant. */
record ChatView(long id, String name, List<UserSummary> participants,
        @Schema(description = "The latest message, as the message endpoints show it; null when there is none",
                ref = "#/components/schemas/MessageView") Object lastMessage,
        long unreadCount,
        Instant createdAt) {
}
