package io.chat.message;

import java.time.Instant;

import io.chat.auth.UserSummary;

/** A message as clients see it: the {@code data} of message frames and the items of history pages. */
public record MessageView(long id, String text, UserSummary sender, Instant timestamp, boolean isEdited,
        boolean isDeleted, long chatId, String clientId) {
}
