package io.chat.chat;

import org.springframework.http.HttpStatus;

import io.chat.system.ApiException;

/** Adding a user who is in the chat already. */
class AlreadyParticipant extends ApiException {

    AlreadyParticipant(long userId) {
        super(HttpStatus.CONFLICT, "User " + userId + " is already a participant of this chat");
    }
}
